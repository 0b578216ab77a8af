/**
 * What the exports of an image run take from the project: its classes (as it trained), the
 * metadata saying how to feed and read the model (main/export/metadata.ts), and its dataset for
 * the Python export: a classifier's images as training decoded them (the decode cache, through
 * image-data.ts), a detector's images and confirmed boxes for COCO (detection-data.ts), each
 * image in the split its training gave it.
 */
import { promises as fsp } from 'node:fs';
import type { Run } from '../../shared/training.js';
import { analyzeGraph } from '../../shared/catalog/analyze.js';
import { detectorMetadata, imageClassifierMetadata, imagePreprocessing, type DetectorMetadata, type ImageModelMetadata } from '../export/metadata.js';
import type { ImageArraysExport, GridDetector } from '../export/python/index.js';
import type { ExportableDataset } from '../export/dataset/index.js';
import { imageShapeOf, imagesForTraining, prepareImageData } from './image-data.js';
import { detectionImagesForTraining } from './detection-data.js';
import type { CoreContext } from '../core.js';
import type { Samples } from './export-parity.js';
import { PARITY_SAMPLES } from './export-samples.js';

type Store = ReturnType<CoreContext['requireStore']>;

/** A detector trains with the grid loss on a detection dataset; any other image run is a classifier. */
export function isDetectionRun(store: Store, run: Run): boolean {
  const d = store.getDataset(run.datasetId);
  return run.settings.loss === 'gridDetection' || (d.kind === 'images' && d.config.task === 'detection');
}

/** The images the run's kind trains on, each in its split, as training chose them (image-data.ts, detection-data.ts). */
function chosenImages(store: Store, run: Run) {
  const d = store.getImageDataset(run.datasetId);
  return isDetectionRun(store, run) ? detectionImagesForTraining(store, d) : imagesForTraining(store, d);
}

/** The classes the run trained with (its prep), else the dataset's classes now. */
function runClasses(store: Store, run: Run): string[] {
  const prep = store.getRunPrep(run.id) as { images?: { classes?: string[] } } | null;
  return prep?.images?.classes ?? store.images.classes(run.datasetId).map((c) => c.name);
}

/** The run's evaluation threshold (best F1), or null when it has not been evaluated as a detector. */
function evaluatedThreshold(store: Store, run: Run): number | null {
  const e = store.getEvaluation(run.id);
  return e && e.task === 'detection' ? e.threshold : null;
}

/** How to feed and read an image run's model; null for a table's run. */
export function imageModelMetadata(store: Store, run: Run): ImageModelMetadata | null {
  if (store.getDataset(run.datasetId).kind !== 'images') return null;
  const classes = runClasses(store, run);
  return isDetectionRun(store, run) ? detectorMetadata(run.graph, classes, evaluatedThreshold(store, run)) : imageClassifierMetadata(run.graph, classes);
}

/** A classifier's images, decoded (or read from the cache) exactly as its training decoded them. */
export async function imageArraysExport(ctx: CoreContext, store: Store, run: Run): Promise<ImageArraysExport> {
  const d = store.getImageDataset(run.datasetId);
  const shape = imageShapeOf(run.graph);
  const images = imagesForTraining(store, d);
  const { data } = await prepareImageData(ctx, store, d, shape, ['train', 'validation', 'test'], { images });
  const input = analyzeGraph(run.graph).inputs[0]!;
  return {
    input: { name: run.graph.nodes.find((n) => n.id === input)!.name, shape },
    classes: data.classes,
    splits: data.splits,
    names: new Map(images.images.map((i) => [i.id, i.relPath])),
    preprocessing: imagePreprocessing(shape),
  };
}

/** Up to PARITY_SAMPLES test images (else validation, else train) as the model sees them (bytes / 255), for the parity checks. */
export async function imageSamples(ctx: CoreContext, store: Store, run: Run): Promise<Samples> {
  const d = store.getImageDataset(run.datasetId);
  const shape = imageShapeOf(run.graph);
  const images = chosenImages(store, run);
  const split = (['test', 'validation', 'train'] as const).find((s) => images.images.some((i) => i.split === s));
  if (!split) throw new Error('the dataset has no image to train on');
  const { data } = await prepareImageData(ctx, store, d, shape, [split], { images });
  const cached = data.splits[split]!;
  const n = Math.min(PARITY_SAMPLES, cached.count);
  const size = shape[0] * shape[1] * shape[2];
  const fh = await fsp.open(cached.file, 'r');
  const bytes = new Uint8Array(n * size);
  try {
    await fh.read(bytes, 0, bytes.length, 0);
  } finally {
    await fh.close();
  }
  const input = run.graph.nodes.find((x) => x.id === analyzeGraph(run.graph).inputs[0])!;
  return { source: 'test split', inputs: [{ name: input.name, shape: [n, ...shape], values: Float32Array.from(bytes, (v) => v / 255) }] };
}

/**
 * A detector's dataset for COCO: the images its training takes (detection-data.ts: those with a
 * confirmed box, and reviewed ones without as negatives), each in the split training gave it,
 * with its confirmed boxes; classes in the run's order (a box of a class the run did not know is
 * left out).
 */
export function detectionCocoExport(store: Store, run: Run, meta: DetectorMetadata): { detector: GridDetector; coco: ExportableDataset } {
  const classes = meta.classes;
  const chosen = detectionImagesForTraining(store, store.getImageDataset(run.datasetId));
  const byName = new Map(classes.map((c, i) => [c, i]));
  const toRun = chosen.classes.map((name) => byName.get(name));
  const coco: ExportableDataset = {
    classes,
    images: chosen.images.map((img) => {
      const truth = chosen.truths[img.id]!;
      return {
        mediaFile: img.file,
        fileName: img.relPath,
        width: truth.width,
        height: truth.height,
        split: img.split,
        classIndex: null,
        boxes: truth.boxes.flatMap((b) => {
          const k = toRun[b.classIndex];
          return k === undefined ? [] : [{ classIndex: k, ...b.box }];
        }),
      };
    }),
  };
  const detector: GridDetector = {
    input: [meta.input.height, meta.input.width, meta.input.channels],
    rows: meta.head.rows,
    cols: meta.head.cols,
    classes,
    threshold: meta.threshold,
    thresholdSource: meta.thresholdSource,
  };
  return { detector, coco };
}
