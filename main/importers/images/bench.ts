/**
 * The image-import benchmark (for `npm run bench -- label`): n generated 640×480 JPEGs are planned,
 * ingested (checked by decoding, hashed, copied) and thumbnailed, four at a time as the import
 * handler does. Generating the JPEGs is not timed.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { planImageImport } from './index.js';
import { ingestImage, makeThumbnail } from './ingest.js';
import { mapLimit } from './pool.js';

export interface IngestBench {
  imagesPerSec: number;
  images: number;
  planMs: number;
  ingestMs: number;
}

const W = 640;
const H = 480;

/** A photo-like JPEG (smooth gradients plus a little noise, so it compresses as photos do), different for each seed. */
async function photo(seed: number): Promise<Buffer> {
  const px = Buffer.alloc(W * H * 3);
  let r = (seed * 2654435761) >>> 0;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      r = (r * 1664525 + 1013904223) >>> 0;
      const o = (y * W + x) * 3;
      const n = r >>> 28;
      px[o] = (x + seed * 37) & 255 ^ n;
      px[o + 1] = (y + seed * 11) & 255 ^ n;
      px[o + 2] = ((x + y) >> 1) & 255 ^ n;
    }
  }
  return sharp(px, { raw: { width: W, height: H, channels: 3 } }).jpeg({ quality: 85 }).toBuffer();
}

export async function benchIngest(n: number, dir: string): Promise<IngestBench> {
  const src = path.join(dir, 'photos');
  const media = path.join(dir, 'media');
  const thumbs = path.join(dir, 'thumbs');
  await fsp.mkdir(src, { recursive: true });
  await mapLimit(
    Array.from({ length: n }, (_, i) => i),
    4,
    async (i) => fsp.writeFile(path.join(src, `img-${String(i).padStart(6, '0')}.jpg`), await photo(i)),
  );
  const t0 = performance.now();
  const plan = await planImageImport(src);
  const t1 = performance.now();
  await mapLimit(plan.images, 4, async (img) => {
    const got = await ingestImage(img, media);
    await makeThumbnail(path.join(media, `${got.sha256}${got.ext}`), path.join(thumbs, `${got.sha256}.webp`));
  });
  const t2 = performance.now();
  return { imagesPerSec: plan.images.length / ((t2 - t0) / 1000), images: plan.images.length, planMs: t1 - t0, ingestMs: t2 - t1 };
}
