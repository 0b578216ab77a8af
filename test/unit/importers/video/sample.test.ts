import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, CancelledError } from '../../../../shared/errors.js';
import type { ImageImportPlan } from '../../../../shared/images.js';
import { findVideoDecoder, matchVideo, planVideoImport, probeVideo, type VideoDecoder, type VideoProgress } from '../../../../main/importers/video/index.js';
import { ffmpeg, makeClip, makeLong, makeWalker, processesMentioning } from './fixtures.js';

let dir: string;
let decoder: VideoDecoder;
const at = (f: string) => path.join(dir, f);
const times = (p: ImageImportPlan) => p.images.map((i) => i.frame!.timeSec);
const indexes = (p: ImageImportPlan) => p.images.map((i) => i.frame!.index);

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'lb-video-'));
  decoder = (await findVideoDecoder({ env: { PATH: '' } }))!;
  await Promise.all([makeClip(at('clip.mp4')), makeWalker(at('walker.mp4')), makeLong(at('long.mp4'))]);
  // The same clip, stored with a 90° rotation (as phones store portrait video).
  await ffmpeg(['-i', at('clip.mp4'), '-c', 'copy', '-metadata:s:v:0', 'rotate=90', at('rotated.mp4')]);
  // A 6 s Matroska file cut in half.
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25:duration=6', '-c:v', 'libx264', '-g', '25', at('whole.mkv')]);
  const whole = readFileSync(at('whole.mkv'));
  writeFileSync(at('cut.mkv'), whole.subarray(0, Math.floor(whole.length / 2)));
  await ffmpeg(['-f', 'lavfi', '-i', 'sine=duration=2', '-c:a', 'aac', at('audio.mp4')]);
  // Deterministic noise, named like a video.
  const junk = new Uint8Array(200_000);
  let x = 12345;
  for (let i = 0; i < junk.length; i++) junk[i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
  writeFileSync(at('corrupt.mp4'), junk);
  writeFileSync(at('empty.mp4'), new Uint8Array(0));
  writeFileSync(at('notes.mp4'), 'These are my notes, not a video.\n');
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('probeVideo', () => {
  it('reads duration, frame rate, size and a frame count from ffmpeg -i', async () => {
    expect(await probeVideo(decoder, at('clip.mp4'))).toEqual({
      durationSec: 10,
      fps: 25,
      width: 320,
      height: 240,
      rotation: 0,
      codec: 'h264',
      frameCountEstimate: 250,
      streamIndex: 0,
    });
  });

  it('reports a rotated video at its upright size', async () => {
    const info = await probeVideo(decoder, at('rotated.mp4'));
    expect([info.width, info.height]).toEqual([240, 320]);
    expect([90, 270]).toContain(info.rotation);
  });
});

describe('planVideoImport: sampling', () => {
  it('keeps one frame a second by default and names frames by index and time', async () => {
    const plan = await planVideoImport(at('clip.mp4'), { skipSimilar: false }, { decoder });
    expect(plan.format).toBe('video');
    expect(times(plan)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(indexes(plan)).toEqual([0, 25, 50, 75, 100, 125, 150, 175, 200, 225]);
    expect(plan.images[3]).toMatchObject({ relPath: 'clip.mp4/frame-000075-t0003.00s.jpg', frame: { video: 'clip.mp4', index: 75, timeSec: 3 } });
    expect(plan.problems).toEqual([]);
  });

  it('keeps the first frame at or after each multiple of everySeconds, without drift', async () => {
    // At 25 fps frames are 0.04 s apart: 2.5 s falls between frames 62 (2.48 s) and 63 (2.52 s).
    const plan = await planVideoImport(at('clip.mp4'), { everySeconds: 2.5, skipSimilar: false }, { decoder });
    expect(times(plan)).toEqual([0, 2.52, 5, 7.52]);
    expect(indexes(plan)).toEqual([0, 63, 125, 188]);
  });

  it('keeps exactly one frame per interval when the interval is a whole number of frames', async () => {
    // 0.2 s is 5 frames at 25 fps; 0.6 / 0.2 is 2.9999999999999996 in floating point, which must not add a frame.
    const plan = await planVideoImport(at('clip.mp4'), { everySeconds: 0.2, skipSimilar: false }, { decoder });
    expect(indexes(plan)).toEqual(Array.from({ length: 50 }, (_, k) => k * 5));
  });

  it('keeps every N-th frame with everyFrames', async () => {
    const every50 = await planVideoImport(at('clip.mp4'), { everyFrames: 50, skipSimilar: false }, { decoder });
    expect(indexes(every50)).toEqual([0, 50, 100, 150, 200]);
    expect(times(every50)).toEqual([0, 2, 4, 6, 8]);
    const every7 = await planVideoImport(at('clip.mp4'), { everyFrames: 7, skipSimilar: false }, { decoder });
    expect(every7.images).toHaveLength(Math.ceil(250 / 7));
    const all = await planVideoImport(at('clip.mp4'), { everyFrames: 1, skipSimilar: false }, { decoder });
    expect(all.images).toHaveLength(250);
    expect(all.images[249]!.frame).toEqual({ video: 'clip.mp4', index: 249, timeSec: 9.96 });
  });

  it('gives frames as valid JPEGs at the video size', async () => {
    const plan = await planVideoImport(at('clip.mp4'), { everySeconds: 3, skipSimilar: false }, { decoder });
    expect(times(plan)).toEqual([0, 3, 6, 9]);
    for (const img of plan.images) {
      expect(img.path).toBeUndefined();
      const meta = await sharp(img.bytes!).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 320, 240]);
      const raw = await sharp(img.bytes!).raw().toBuffer();
      expect(raw.length).toBe(320 * 240 * 3);
    }
    // Different moments give different pictures (not one frame repeated).
    expect(new Set(plan.images.map((i) => Buffer.from(i.bytes!).toString('base64'))).size).toBe(4);
  });

  it('turns frames of a rotated video upright', async () => {
    const plan = await planVideoImport(at('rotated.mp4'), { everySeconds: 5, skipSimilar: false }, { decoder });
    for (const img of plan.images) {
      const meta = await sharp(img.bytes!).metadata();
      expect([meta.width, meta.height]).toEqual([240, 320]);
    }
  });

  it('reports progress for each frame read', async () => {
    const seen: VideoProgress[] = [];
    await planVideoImport(at('clip.mp4'), {}, { decoder, onProgress: (p) => seen.push(p) });
    expect(seen).toHaveLength(10);
    expect(seen.at(-1)).toEqual({ framesRead: 10, framesKept: 8, timeSec: 9, durationSec: 10 });
  });

  it('refuses both everyFrames and everySeconds, and out-of-range values', async () => {
    await expect(planVideoImport(at('clip.mp4'), { everyFrames: 5, everySeconds: 1 }, { decoder })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: 'Video sampling takes everyFrames or everySeconds, not both; got everyFrames 5 and everySeconds 1.',
    });
    await expect(planVideoImport(at('clip.mp4'), { everyFrames: 0.5 }, { decoder })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    await expect(planVideoImport(at('clip.mp4'), { similarity: 2 }, { decoder })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });
});

describe('planVideoImport: near-duplicates', () => {
  it('skips the frames of a still segment and says how many it skipped', async () => {
    const plan = await planVideoImport(at('clip.mp4'), {}, { decoder });
    // 4.00 s is the first frame of the still picture (kept); 5 s and 6 s show the same picture.
    expect(times(plan)).toEqual([0, 1, 2, 3, 4, 7, 8, 9]);
    expect(plan.notes).toContain(
      'Sampled every 1 s: 10 frames read, 8 kept, 2 skipped as near-duplicates (similarity ≥ 0.995 to the last kept frame).',
    );
  });

  it('keeps the frames of a person walking across a still, noisy scene', async () => {
    const plan = await planVideoImport(at('walker.mp4'), { everySeconds: 0.5 }, { decoder });
    // At 25 fps the first frame at or after 0.5 s is at 0.52 s.
    expect(times(plan)).toEqual([0, 0.52, 1, 1.52, 2, 2.52, 3, 3.52, 4, 4.52]);
  });

  it('skips more with a lower similarity threshold', async () => {
    // Similarity 0: everything is "similar enough" to the first frame.
    const plan = await planVideoImport(at('clip.mp4'), { similarity: 0 }, { decoder });
    expect(times(plan)).toEqual([0]);
  });
});

describe('planVideoImport: cancel', () => {
  it.skipIf(process.platform !== 'linux')('kills ffmpeg at once and throws CancelledError (process check reads /proc)', async () => {
    const before = readdirSync(dir).sort();
    const ac = new AbortController();
    let aliveAtAbort = 0;
    let callsAfterAbort = 0;
    const run = planVideoImport(at('long.mp4'), { everyFrames: 1, skipSimilar: false }, {
      decoder,
      signal: ac.signal,
      onProgress: (p) => {
        if (ac.signal.aborted) callsAfterAbort++;
        else if (p.framesRead === 5) {
          aliveAtAbort = processesMentioning(at('long.mp4')).length;
          ac.abort();
        }
      },
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(aliveAtAbort).toBe(1);
    expect(processesMentioning(at('long.mp4'))).toEqual([]);
    expect(callsAfterAbort).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('does not start when already cancelled', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(planVideoImport(at('clip.mp4'), {}, { decoder, signal: ac.signal })).rejects.toBeInstanceOf(CancelledError);
  });
});

/** Bad and odd files, with the exact outcome (as Netron's test/models.json). */
const FIXTURES: { file: string; frames?: number; code?: string; message?: RegExp | string; problem?: RegExp }[] = [
  {
    file: 'corrupt.mp4',
    code: 'VIDEO_INVALID',
    message: /^Expected a video in 'corrupt\.mp4', but ffmpeg could not read it: "[^"\n]*Invalid data found when processing input"\.$/,
  },
  { file: 'empty.mp4', code: 'VIDEO_INVALID', message: "Expected a video in 'empty.mp4', found an empty file." },
  { file: 'notes.mp4', code: 'VIDEO_INVALID', message: /^Expected a video in 'notes\.mp4', but ffmpeg could not read it: "[^"\n]+"\.$/ },
  { file: 'audio.mp4', code: 'VIDEO_INVALID', message: "Expected a video stream in 'audio.mp4', found only audio (aac)." },
  { file: 'missing.mp4', code: 'VIDEO_INVALID', message: /^Cannot read the video .*missing\.mp4: no such file \(ENOENT\)\.$/ },
  // Half a 6 s file: about 3 s of frames, and a problem saying the file ends early.
  { file: 'cut.mkv', frames: 3, problem: /^Frames end at 2\.\d\d s, but 'cut\.mkv' declares 6\.00 s \(ffmpeg: "Read error"\); the file may be cut short\./ },
];

describe('planVideoImport: fixture table', () => {
  for (const f of FIXTURES) {
    it(`${f.file}: ${f.code ?? `${f.frames} frames`}`, async () => {
      const run = planVideoImport(at(f.file), { skipSimilar: false }, { decoder });
      if (f.code) {
        const e = await run.then(
          () => null,
          (err: unknown) => err,
        );
        expect(e).toBeInstanceOf(AppError);
        expect((e as AppError).code).toBe(f.code);
        if (typeof f.message === 'string') expect((e as AppError).message).toBe(f.message);
        else expect((e as AppError).message).toMatch(f.message!);
        expect((e as AppError).message).not.toContain('\n');
      } else {
        const plan = await run;
        expect(plan.images).toHaveLength(f.frames!);
        expect(plan.problems).toHaveLength(1);
        expect(plan.problems[0]!.code).toBe('VIDEO_INVALID');
        expect(plan.problems[0]!.message).toMatch(f.problem!);
      }
    });
  }

  it('matchVideo accepts the real videos and refuses the impostors', () => {
    expect(['clip.mp4', 'rotated.mp4', 'whole.mkv', 'audio.mp4'].map((f) => matchVideo(at(f)))).toEqual([true, true, true, true]);
    expect(['corrupt.mp4', 'empty.mp4', 'notes.mp4', 'missing.mp4'].map((f) => matchVideo(at(f)))).toEqual([false, false, false, false]);
  });
});
