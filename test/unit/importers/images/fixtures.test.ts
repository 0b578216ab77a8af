/**
 * The image importers' fixture table, as Netron's test/models.json: each row makes a small folder
 * or file (real images from sharp, BMP and IDX written by hand), imports it as the import handler
 * does (plan, then ingest every image) and states the plan's summary and the exact problems, or
 * the exact error.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, copyFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { detectImageSource, planImageImport } from '../../../../main/importers/images/index.js';
import type { ImageSourceFormat, ImportedBox, ImportProblem, Split } from '../../../../shared/images.js';
import type { ErrorCode } from '../../../../shared/errors.js';
import { animatedGif, bmp, failure, idxFile, image, importAll, jpegWithOrientation, pixels, put, truncatedJpeg, type ImportResult } from './helpers.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-images-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Expected {
  format: ImageSourceFormat;
  classes: string[];
  /** relPath → what the imported image must carry. */
  images: Record<string, { classIndex?: number; split?: Split; boxes?: ImportedBox[]; width?: number; height?: number; ext?: string; orientation?: number }>;
  problems: ImportProblem[];
  /** Files in media/ afterwards (duplicates are stored once). */
  mediaFiles?: number;
  notes?: string[];
}

interface Row {
  name: string;
  /** Writes the fixture under `dir`; returns what to import. */
  make: (dir: string) => Promise<string>;
  expect?: Expected;
  error?: { code: ErrorCode; message: string };
}

const png = (seed: number, w = 8, h = 6) => image('png', w, h, seed);
const jpg = (seed: number, w = 16, h = 12) => image('jpeg', w, h, seed);

function idxPixels(n: number, rows: number, cols: number): Uint8Array {
  return Uint8Array.from({ length: n * rows * cols }, (_, i) => (i * 13) & 255);
}

const rows: Row[] = [
  {
    name: 'class folders, sorted by name, nested images keep their class',
    make: async (d) => {
      put(path.join(d, 'dogs', 'd1.jpg'), await jpg(1));
      put(path.join(d, 'cats', 'c1.PNG'), await png(2));
      put(path.join(d, 'cats', 'kittens', 'k1.png'), await png(3));
      put(path.join(d, 'cats', '.DS_Store'), 'junk');
      put(path.join(d, 'dogs', 'readme.txt'), 'not an image');
      return d;
    },
    expect: {
      format: 'class-folders',
      classes: ['cats', 'dogs'],
      images: { 'cats/c1.PNG': { classIndex: 0, width: 8, height: 6, ext: '.png' }, 'cats/kittens/k1.png': { classIndex: 0 }, 'dogs/d1.jpg': { classIndex: 1, ext: '.jpg', width: 16, height: 12 } },
      problems: [],
    },
  },
  {
    name: 'class folders under train/ val/ test/ give the split',
    make: async (d) => {
      put(path.join(d, 'train', 'ant', 'a.png'), await png(1));
      put(path.join(d, 'train', 'bee', 'b.png'), await png(2));
      put(path.join(d, 'val', 'ant', 'a.png'), await png(3));
      put(path.join(d, 'validation', 'bee', 'b.png'), await png(4));
      put(path.join(d, 'test', 'bee', 'c.png'), await png(5));
      return d;
    },
    expect: {
      format: 'class-folders',
      classes: ['ant', 'bee'],
      images: {
        'train/ant/a.png': { classIndex: 0, split: 'train' },
        'train/bee/b.png': { classIndex: 1, split: 'train' },
        'val/ant/a.png': { classIndex: 0, split: 'validation' },
        'validation/bee/b.png': { classIndex: 1, split: 'validation' },
        'test/bee/c.png': { classIndex: 1, split: 'test' },
      },
      problems: [],
    },
  },
  {
    name: 'plain folder (recursive) with BMPs (24-bit, 8-bit palette, 32-bit), an animated GIF, WebP and PNG',
    make: async (d) => {
      put(path.join(d, 'a.bmp'), bmp(5, 3, pixels(5, 3, 1), { bits: 24 }));
      put(path.join(d, 'b.BMP'), bmp(4, 4, Uint8Array.from({ length: 16 }, (_, i) => i % 2), { bits: 8, palette: [[255, 0, 0], [0, 0, 255]], topDown: true }));
      put(path.join(d, 'c.bmp'), bmp(3, 2, pixels(3, 2, 2, 4), { bits: 32 }));
      put(path.join(d, 'd.gif'), await animatedGif(10, 7));
      put(path.join(d, 'more', 'e.webp'), await image('webp', 9, 5, 3));
      put(path.join(d, 'more', 'f.png'), await png(4));
      return d;
    },
    expect: {
      format: 'image-folder',
      classes: [],
      images: {
        'a.bmp': { ext: '.png', width: 5, height: 3 },
        'b.BMP': { ext: '.png', width: 4, height: 4 },
        'c.bmp': { ext: '.png', width: 3, height: 2 },
        'd.gif': { ext: '.gif', width: 10, height: 7 },
        'more/e.webp': { ext: '.webp', width: 9, height: 5 },
        'more/f.png': { ext: '.png', width: 8, height: 6 },
      },
      problems: [],
    },
  },
  {
    name: 'JPEG with EXIF orientation 6: width and height swapped',
    make: async (d) => {
      put(path.join(d, 'upright.jpg'), await jpegWithOrientation(40, 20, 1));
      put(path.join(d, 'rotated.jpg'), await jpegWithOrientation(40, 20, 6));
      put(path.join(d, 'mirrored.jpg'), await jpegWithOrientation(40, 20, 3));
      return d;
    },
    expect: {
      format: 'image-folder',
      classes: [],
      images: {
        'upright.jpg': { width: 40, height: 20, orientation: 1 },
        'rotated.jpg': { width: 20, height: 40, orientation: 6 },
        'mirrored.jpg': { width: 40, height: 20, orientation: 3 },
      },
      problems: [],
    },
  },
  {
    name: 'truncated JPEG, a text file named .jpg, an empty file, a HEIC and an RLE BMP: each a problem, the rest imported',
    make: async (d) => {
      put(path.join(d, 'good.jpg'), await jpg(1));
      put(path.join(d, 'broken.jpg'), await truncatedJpeg());
      put(path.join(d, 'notes.jpg'), 'hello, this is not a picture at all');
      put(path.join(d, 'empty.png'), '');
      put(path.join(d, 'phone.HEIC'), 'whatever');
      put(path.join(d, 'rle.bmp'), bmp(2, 2, new Uint8Array(4), { bits: 8, palette: [[0, 0, 0]], compression: 1 }));
      return d;
    },
    expect: {
      format: 'image-folder',
      classes: [],
      images: { 'good.jpg': {} },
      problems: [
        { file: 'phone.HEIC', code: 'IMAGE_UNSUPPORTED', message: 'phone.HEIC is a HEIC image; expected JPEG, PNG, WebP, BMP or GIF. Convert it to one of those to import it.' },
        { file: 'broken.jpg', code: 'IMAGE_CORRUPT', message: 'broken.jpg is a damaged JPEG file: premature end of JPEG image.' },
        { file: 'empty.png', code: 'IMAGE_UNSUPPORTED', message: 'empty.png is not an image: expected JPEG, PNG, WebP, BMP or GIF data, found an empty file.' },
        { file: 'notes.jpg', code: 'IMAGE_UNSUPPORTED', message: "notes.jpg is not an image: expected JPEG, PNG, WebP, BMP or GIF data, found text ('hello, this is not a pic…')." },
        {
          file: 'rle.bmp',
          code: 'IMAGE_UNSUPPORTED',
          message: 'rle.bmp is a 8-bit BI_RLE8 BMP; expected an uncompressed 24- or 32-bit or an 8-bit palette BMP. Convert it to PNG first.',
        },
      ],
    },
  },
  {
    name: 'duplicate images (same bytes in two places) are stored once',
    make: async (d) => {
      const bytes = await jpg(9);
      put(path.join(d, 'one.jpg'), bytes);
      put(path.join(d, 'copy', 'one again.jpg'), bytes);
      put(path.join(d, 'copy', 'other.jpg'), await jpg(10));
      return d;
    },
    expect: { format: 'image-folder', classes: [], images: { 'one.jpg': {}, 'copy/one again.jpg': {}, 'copy/other.jpg': {} }, problems: [], mediaFiles: 2 },
  },
  {
    name: 'COCO: boxes exactly as written, a listed image that is missing, a bad category and bbox',
    make: async (d) => {
      put(path.join(d, 'images', 'a.jpg'), await jpg(1, 100, 80));
      put(path.join(d, 'images', 'b.jpg'), await jpg(2, 100, 80));
      put(path.join(d, 'images', 'stray.jpg'), await jpg(3));
      const doc = {
        images: [
          { id: 1, file_name: 'a.jpg', width: 100, height: 80 },
          { id: 2, file_name: 'b.jpg', width: 100, height: 80 },
          { id: 3, file_name: 'gone.jpg', width: 100, height: 80 },
        ],
        annotations: [
          { id: 10, image_id: 1, category_id: 7, bbox: [10.5, 20, 30.25, 40] },
          { id: 11, image_id: 1, category_id: 3, bbox: [0, 0, 5, 5] },
          { id: 12, image_id: 3, category_id: 3, bbox: [1, 1, 2, 2] },
          { id: 13, image_id: 2, category_id: 9, bbox: [1, 1, 2, 2] },
          { id: 14, image_id: 2, category_id: 3, bbox: [1, 1, 0, 2] },
        ],
        categories: [
          { id: 7, name: 'person' },
          { id: 3, name: 'car' },
        ],
      };
      return put(path.join(d, 'annotations', 'instances_val.json'), JSON.stringify(doc));
    },
    expect: {
      format: 'coco',
      classes: ['person', 'car'],
      images: {
        'images/a.jpg': { split: 'validation', boxes: [{ classIndex: 0, x: 10.5, y: 20, w: 30.25, h: 40 }, { classIndex: 1, x: 0, y: 0, w: 5, h: 5 }] },
        'images/b.jpg': { split: 'validation', boxes: [] },
      },
      problems: [
        { file: 'annotations/instances_val.json', code: 'NOT_FOUND', message: "annotations/instances_val.json lists image 'gone.jpg' (id 3, 1 annotation), but no such file is in the folder; skipped." },
        { file: 'annotations/instances_val.json', code: 'COCO_INVALID', message: 'annotations/instances_val.json: annotation 13 has category_id 9, which is not among the categories (7, 3); skipped.' },
        {
          file: 'annotations/instances_val.json',
          code: 'COCO_INVALID',
          message: 'annotations/instances_val.json: annotation 14 has bbox [1,1,0,2]; expected [x, y, width, height] with a positive width and height; skipped.',
        },
      ],
      notes: ['1 image in the folder is not listed in annotations/instances_val.json and was left out.'],
    },
  },
  {
    name: 'COCO: a folder with one JSON per split (COCO 2017 layout)',
    make: async (d) => {
      put(path.join(d, 'train2017', 'x.jpg'), await jpg(1));
      put(path.join(d, 'val2017', 'x.jpg'), await jpg(2));
      const one = (box: number[]) => ({ images: [{ id: 1, file_name: 'x.jpg' }], annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: box }], categories: [{ id: 1, name: 'dog' }] });
      put(path.join(d, 'annotations', 'instances_train2017.json'), JSON.stringify(one([1, 2, 3, 4])));
      put(path.join(d, 'annotations', 'instances_val2017.json'), JSON.stringify(one([5, 6, 7, 8])));
      return d;
    },
    expect: {
      format: 'coco',
      classes: ['dog'],
      images: {
        'train2017/x.jpg': { split: 'train', boxes: [{ classIndex: 0, x: 1, y: 2, w: 3, h: 4 }] },
        'val2017/x.jpg': { split: 'validation', boxes: [{ classIndex: 0, x: 5, y: 6, w: 7, h: 8 }] },
      },
      problems: [],
    },
  },
  {
    name: 'COCO that is not JSON: an error',
    make: async (d) => put(path.join(d, 'instances.json'), '{"images": [ {"id": 1,'),
    error: { code: 'COCO_INVALID', message: "instances.json is not valid JSON (__JSON__); expected a COCO object with 'images', 'annotations' and 'categories' arrays." },
  },
  {
    name: "COCO without 'images': an error naming what it has",
    make: async (d) => put(path.join(d, 'labels.json'), JSON.stringify({ info: {}, annotations: [], categories: [] })),
    error: {
      code: 'COCO_INVALID',
      message: "labels.json has no 'images' array; expected a COCO object with 'images', 'annotations' and 'categories' arrays, found an object with 'info', 'annotations', 'categories'.",
    },
  },
  {
    name: 'Pascal VOC: Annotations + JPEGImages + ImageSets, 1-based corners, a box outside the image',
    make: async (d) => {
      put(path.join(d, 'JPEGImages', '0001.jpg'), await jpg(1, 50, 40));
      put(path.join(d, 'JPEGImages', '0002.jpg'), await jpg(2, 50, 40));
      put(path.join(d, 'JPEGImages', '0003.jpg'), await jpg(3, 50, 40));
      const obj = (name: string, b: number[]) =>
        `<object><name>${name}</name><bndbox><xmin>${b[0]}</xmin><ymin>${b[1]}</ymin><xmax>${b[2]}</xmax><ymax>${b[3]}</ymax></bndbox></object>`;
      const ann = (file: string, ...objs: string[]) =>
        `<?xml version="1.0"?>\n<annotation><folder>VOC</folder><filename>${file}</filename><size><width>50</width><height>40</height><depth>3</depth></size>${objs.join('')}</annotation>`;
      put(path.join(d, 'Annotations', '0001.xml'), ann('0001.jpg', obj('dog', [1, 1, 50, 40]), obj('cat', [11, 21, 30, 30])));
      put(path.join(d, 'Annotations', '0002.xml'), ann('0002.jpg', obj('cat', [10, 10, 80, 30]), obj('cat', [0, 0, 51, 41])));
      put(path.join(d, 'Annotations', '0009.xml'), ann('0009.jpg', obj('cat', [1, 1, 2, 2])));
      put(path.join(d, 'Annotations', 'bad.xml'), '<annotation><filename>x.jpg</annotation>');
      put(path.join(d, 'ImageSets', 'Main', 'train.txt'), '0001\n');
      put(path.join(d, 'ImageSets', 'Main', 'val.txt'), '0002\n');
      put(path.join(d, 'ImageSets', 'Main', 'cat_train.txt'), '0001  1\n0002 -1\n');
      return d;
    },
    expect: {
      format: 'voc',
      classes: ['cat', 'dog'],
      images: {
        'JPEGImages/0001.jpg': { split: 'train', boxes: [{ classIndex: 1, x: 0, y: 0, w: 50, h: 40 }, { classIndex: 0, x: 10, y: 20, w: 20, h: 10 }] },
        'JPEGImages/0002.jpg': { split: 'validation', boxes: [{ classIndex: 0, x: 0, y: 0, w: 50, h: 40 }] },
        'JPEGImages/0003.jpg': { boxes: [] },
      },
      problems: [
        {
          file: 'Annotations/0002.xml',
          code: 'VOC_INVALID',
          message: "Annotations/0002.xml: object 1 'cat' (xmin 10, ymin 10, xmax 80, ymax 30) lies outside the 50×40 image (VOC boxes run from 1 to the width and height); left out.",
        },
        { file: 'Annotations/0009.xml', code: 'NOT_FOUND', message: "Annotations/0009.xml describes '0009.jpg', but no such image is in JPEGImages/; skipped." },
        {
          file: 'Annotations/bad.xml',
          code: 'VOC_INVALID',
          message: "Annotations/bad.xml is not valid XML (line 1: Expected closing tag 'filename' (opened in line 1, col 13) instead of closing tag 'annotation'.); expected a Pascal VOC <annotation>.",
        },
      ],
      notes: ['1 image without an annotation file imported without boxes.'],
    },
  },
  {
    name: 'Pascal VOC: XML files next to their images',
    make: async (d) => {
      put(path.join(d, 'shots', 'p.png'), await png(1, 20, 10));
      put(path.join(d, 'shots', 'p.xml'), '<annotation><filename>p.png</filename><size><width>20</width><height>10</height></size><object><name>person</name><bndbox><xmin>2</xmin><ymin>3</ymin><xmax>6</xmax><ymax>9</ymax></bndbox></object></annotation>');
      put(path.join(d, 'q.xml'), '<annotation><size><width>8</width><height>6</height></size></annotation>');
      put(path.join(d, 'q.png'), await png(2));
      return d;
    },
    expect: {
      format: 'voc',
      classes: ['person'],
      images: { 'shots/p.png': { boxes: [{ classIndex: 0, x: 1, y: 2, w: 5, h: 7 }] }, 'q.png': { boxes: [] } },
      problems: [],
    },
  },
  {
    name: 'YOLO: images/ + labels/ with splits, data.yaml names as a map, bad lines listed by number',
    make: async (d) => {
      put(path.join(d, 'images', 'train', 'a.jpg'), await jpg(1, 100, 50));
      put(path.join(d, 'labels', 'train', 'a.txt'), '0 0.5 0.5 0.2 0.4\n1 0.5 0.5 0.2\n\n2 0.1 0.1 0.1 0.1\n1 0.1 0.2 0.3 0.2 0.3 0.4\n');
      put(path.join(d, 'images', 'val', 'b.png'), await png(2, 40, 20));
      put(path.join(d, 'labels', 'val', 'b.txt'), '1 0.25 0.5 0.5 1\n0 20 10 5 5\n');
      put(path.join(d, 'images', 'val', 'c.png'), await png(3, 40, 20));
      put(path.join(d, 'data.yaml'), 'path: .\ntrain: images/train\nval: images/val\nnames:\n  0: person\n  1: bicycle\n');
      return d;
    },
    expect: {
      format: 'yolo',
      classes: ['person', 'bicycle'],
      images: {
        'images/train/a.jpg': { split: 'train', boxes: [{ classIndex: 0, x: 40, y: 15, w: 20, h: 20 }, { classIndex: 1, x: 10, y: 10, w: 20, h: 10 }] },
        'images/val/b.png': { split: 'validation', boxes: [{ classIndex: 1, x: 0, y: 0, w: 20, h: 20 }] },
        'images/val/c.png': { split: 'validation', boxes: [] },
      },
      problems: [
        {
          file: 'labels/train/a.txt',
          code: 'YOLO_INVALID',
          message: "labels/train/a.txt line 2: expected 5 numbers 'class cx cy w h' (or a class and x y pairs of a polygon), found 4: '1 0.5 0.5 0.2'; line left out.",
        },
        { file: 'labels/train/a.txt', code: 'YOLO_INVALID', message: 'labels/train/a.txt line 4: class id 2 is beyond the 2 classes of data.yaml (0–1); line left out.' },
        { file: 'labels/val/b.txt', code: 'YOLO_INVALID', message: "labels/val/b.txt line 2: expected coordinates normalised to 0–1, found '20 10 5 5' (pixels?); line left out." },
      ],
    },
  },
  {
    name: 'YOLO: labels next to images, classes.txt, a class id beyond it',
    make: async (d) => {
      put(path.join(d, 'x.jpg'), await jpg(1, 10, 10));
      put(path.join(d, 'x.txt'), '0 0.5 0.5 1 1\n3 0.5 0.5 0.5 0.5\n');
      put(path.join(d, 'classes.txt'), 'cat\ndog\n');
      return d;
    },
    expect: {
      format: 'yolo',
      classes: ['cat', 'dog'],
      images: { 'x.jpg': { boxes: [{ classIndex: 0, x: 0, y: 0, w: 10, h: 10 }] } },
      problems: [{ file: 'x.txt', code: 'YOLO_INVALID', message: 'x.txt line 2: class id 3 is beyond the 2 classes of classes.txt (0–1); line left out.' }],
    },
  },
  {
    name: 'IDX (MNIST): train- and t10k- pairs, gzipped or not, classes 0–9, split from the prefix',
    make: async (d) => {
      put(path.join(d, 'train-images-idx3-ubyte'), idxFile('images', [3, 4, 5], idxPixels(3, 4, 5)));
      put(path.join(d, 'train-labels-idx1-ubyte'), idxFile('labels', [3], Uint8Array.from([7, 0, 9])));
      put(path.join(d, 't10k-images-idx3-ubyte.gz'), idxFile('images', [2, 4, 5], idxPixels(2, 4, 5), { gzip: true }));
      put(path.join(d, 't10k-labels-idx1-ubyte.gz'), idxFile('labels', [2], Uint8Array.from([1, 2]), { gzip: true }));
      return d;
    },
    expect: {
      format: 'idx',
      classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      images: {
        'train/0.png': { classIndex: 7, split: 'train', width: 5, height: 4, ext: '.png' },
        'train/1.png': { classIndex: 0, split: 'train' },
        'train/2.png': { classIndex: 9, split: 'train' },
        'test/0.png': { classIndex: 1, split: 'test' },
        'test/1.png': { classIndex: 2, split: 'test' },
      },
      problems: [],
      notes: ['train-images-idx3-ubyte: 3 images of 4×5', 't10k-images-idx3-ubyte.gz: 2 images of 4×5'],
    },
  },
  {
    name: 'IDX in a folder named fashion-mnist: Fashion-MNIST class names',
    make: async (d) => {
      const f = path.join(d, 'fashion-mnist');
      put(path.join(f, 'train-images-idx3-ubyte'), idxFile('images', [1, 2, 2], idxPixels(1, 2, 2)));
      return put(path.join(f, 'train-labels-idx1-ubyte'), idxFile('labels', [1], Uint8Array.from([9])));
    },
    expect: {
      format: 'idx',
      classes: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
      images: { 'train/0.png': { classIndex: 9, split: 'train' } },
      problems: [],
    },
  },
  {
    name: 'IDX with a wrong magic number: an error',
    make: async (d) => {
      put(path.join(d, 'train-images-idx3-ubyte'), idxFile('images', [1, 2, 2], idxPixels(1, 2, 2), { magic: 0x12345678 }));
      put(path.join(d, 'train-labels-idx1-ubyte'), idxFile('labels', [1], Uint8Array.from([1])));
      return d;
    },
    error: {
      code: 'IDX_INVALID',
      message: 'train-images-idx3-ubyte starts with 0x12345678; expected the IDX magic number 0x00000803 (unsigned bytes, 3 dimensions: images).',
    },
  },
  {
    name: 'IDX of the wrong length: an error',
    make: async (d) => {
      put(path.join(d, 'train-images-idx3-ubyte'), idxFile('images', [2, 28, 28], idxPixels(1, 28, 28)));
      return d;
    },
    error: { code: 'IDX_INVALID', message: 'train-images-idx3-ubyte is 800 bytes; expected 1584 (a 16-byte header and 2 images of 28×28).' },
  },
  {
    name: 'IDX labels that do not match the images in number: an error',
    make: async (d) => {
      put(path.join(d, 'train-images-idx3-ubyte'), idxFile('images', [2, 2, 2], idxPixels(2, 2, 2)));
      put(path.join(d, 'train-labels-idx1-ubyte'), idxFile('labels', [3], Uint8Array.from([1, 2, 3])));
      return d;
    },
    error: { code: 'IDX_INVALID', message: 'train-labels-idx1-ubyte has 3 labels but train-images-idx3-ubyte has 2 images; expected one label per image.' },
  },
  {
    name: 'a file that is no image dataset: an error',
    make: async (d) => put(path.join(d, 'notes.txt'), 'hello'),
    error: {
      code: 'UNSUPPORTED_FILE',
      message: 'notes.txt is not an image dataset: expected a folder of images, a class-per-folder tree, IDX files, a COCO .json, Pascal VOC .xml files or YOLO labels.',
    },
  },
  {
    name: 'a path that does not exist: an error',
    make: async (d) => path.join(d, 'nowhere'),
    error: { code: 'NOT_FOUND', message: 'Cannot open __DIR__/nowhere: no such file (ENOENT).' },
  },
];

function jsonParseMessage(text: string): string {
  try {
    JSON.parse(text);
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

describe('image importers: fixture table', () => {
  rows.forEach((row, k) => {
    it(row.name, async () => {
      const dir = path.join(tmp, `row-${k}`);
      const media = path.join(tmp, `media-${k}`);
      const target = await row.make(dir);
      if (row.error) {
        const e = await failure(importAll(target, media));
        const message = row.error.message.replace('__JSON__', jsonParseMessage('{"images": [ {"id": 1,')).replace('__DIR__', dir);
        expect({ code: e.code, message: e.message }).toEqual({ code: row.error.code, message });
        return;
      }
      const want = row.expect!;
      const got: ImportResult = await importAll(target, media);
      expect(await detectImageSource(target)).toBe(want.format);
      expect(got.plan.format).toBe(want.format);
      expect(got.plan.classes).toEqual(want.classes);
      expect(got.problems).toEqual(want.problems);
      expect(got.ingested.map((i) => i.img.relPath).sort()).toEqual(Object.keys(want.images).sort());
      for (const { img, got: ing } of got.ingested) {
        const w = want.images[img.relPath]!;
        const actual = {
          classIndex: img.classIndex,
          split: img.split,
          boxes: img.boxes ?? [],
          width: ing.width,
          height: ing.height,
          ext: ing.ext,
          orientation: ing.orientation,
        };
        const picked = Object.fromEntries(Object.keys({ classIndex: 0, split: 0, boxes: 0, ...w }).map((key) => [key, actual[key as keyof typeof actual]]));
        expect(picked, img.relPath).toEqual({ classIndex: undefined, split: undefined, boxes: [], ...w });
      }
      if (want.mediaFiles !== undefined) expect(readdirSync(media)).toHaveLength(want.mediaFiles);
      if (want.notes) expect(got.plan.notes).toEqual(want.notes);
      // Stored files are whole: no `.partial` left behind.
      expect(readdirSync(media).filter((f) => f.endsWith('.partial'))).toEqual([]);
    });
  });
});

describe('image importers: progress and cancel', () => {
  it('reports images found while walking, and a cancelled plan throws CANCELLED', async () => {
    const dir = path.join(tmp, 'progress');
    const bytes = await png(1);
    for (let i = 0; i < 30; i++) put(path.join(dir, `part${i % 3}`, 'deeper', `${i}.png`), bytes);
    const seen: number[] = [];
    const plan = await planImageImport(dir, { onProgress: (n) => seen.push(n) });
    expect(plan.images).toHaveLength(30);
    expect(seen.at(-1)).toBe(30);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    const abort = new AbortController();
    abort.abort();
    const e = await failure(planImageImport(dir, { signal: abort.signal }));
    expect([e.code, e.message]).toEqual(['CANCELLED', 'Import cancelled.']);
  });
});

describe('image importers: decoded content', () => {
  let dir: string;
  beforeAll(() => {
    dir = path.join(tmp, 'content');
  });

  it('IDX images become PNGs with the pixels of the file', async () => {
    const px = idxPixels(2, 3, 4);
    put(path.join(dir, 'idx', 'train-images-idx3-ubyte'), idxFile('images', [2, 3, 4], px));
    const plan = await planImageImport(path.join(dir, 'idx'));
    expect(plan.notes).toEqual(['train-images-idx3-ubyte: 2 images of 3×4 (no labels file found)']);
    expect(await sharp(plan.images[1]!.bytes!).metadata()).toMatchObject({ format: 'png', width: 4, height: 3, channels: 1 });
    const second = await sharp(plan.images[1]!.bytes!).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    expect([...second.data]).toEqual([...px.subarray(12, 24)]);
  });

  it('an 8-bit BMP is stored as a PNG with the palette colours, top-down rows in order', async () => {
    const media = path.join(dir, 'media-bmp');
    put(path.join(dir, 'bmp', 'p.bmp'), bmp(2, 2, Uint8Array.from([0, 1, 1, 0]), { bits: 8, palette: [[10, 20, 30], [200, 100, 50]], topDown: true }));
    const got = await importAll(path.join(dir, 'bmp'), media);
    const stored = path.join(media, `${got.ingested[0]!.got.sha256}.png`);
    const { data } = await sharp(stored).raw().toBuffer({ resolveWithObject: true });
    expect([...data]).toEqual([10, 20, 30, 200, 100, 50, 200, 100, 50, 10, 20, 30]);
  });

  it('a BMP picked as one file, and the same image imported twice, keeps one media file', async () => {
    const media = path.join(dir, 'media-twice');
    const file = put(path.join(dir, 'single', 'x.bmp'), bmp(3, 3, pixels(3, 3, 5), { bits: 24 }));
    copyFileSync(file, path.join(dir, 'single', 'y.bmp'));
    const a = await importAll(file, media);
    const b = await importAll(path.join(dir, 'single'), media);
    expect(a.plan.images.map((i) => i.relPath)).toEqual(['x.bmp']);
    expect(b.ingested.map((i) => i.got.sha256)).toEqual([a.ingested[0]!.got.sha256, a.ingested[0]!.got.sha256]);
    expect(readdirSync(media)).toEqual([`${a.ingested[0]!.got.sha256}.png`]);
  });
});
