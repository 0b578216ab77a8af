/**
 * A video to frames: one ffmpeg process decodes the video, keeps a frame every N frames or every
 * S seconds (`select` filter), logs each kept frame's timestamp (`showinfo`) and writes it as JPEG
 * to a pipe (image2pipe MJPEG). Frames are read one by one while ffmpeg runs; when we fall behind,
 * the pipe is paused and ffmpeg waits, so memory holds a few frames of the video, never the video.
 * Frames the importer keeps stay in the plan as JPEG bytes (about 20–40 KB at 640×360, 100–250 KB
 * at 1080p), which is what the caller stores.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { AppError, CancelledError } from '../../../shared/errors.js';
import type { ImageImportPlan, ImportedImage, ImportProblem } from '../../../shared/images.js';
import { decoderMajor, describeDecoder, requireVideoDecoder, type VideoDecoder } from './decoder.js';
import { ffmpegReason, unreadableVideo } from './errors.js';
import { MjpegSplitter } from './mjpeg.js';
import { probeVideo, type VideoInfo } from './probe.js';
import { DEFAULT_SIMILARITY, similarity as similarityOf, thumbnail } from './similarity.js';

export interface VideoSampling {
  /** Keep frame 0, N, 2N, … of the decoded frames. */
  everyFrames?: number;
  /** Keep the first frame at or after 0, S, 2S, … seconds (the default: every 1 s). */
  everySeconds?: number;
  /** Skip a frame that looks like the last frame kept (default true). */
  skipSimilar?: boolean;
  /** 0–1: skip when at least this share of a 64×64 grey thumbnail is unchanged (default 0.995; see similarity.ts). */
  similarity?: number;
}

export interface VideoProgress {
  /** Frames that came out of the sampler so far. */
  framesRead: number;
  /** Of those, frames kept (not near-duplicates). */
  framesKept: number;
  /** Where in the video the last frame read was. */
  timeSec: number;
  /** The video's duration; 0 when the container does not say. */
  durationSec: number;
}

export interface VideoImportOptions {
  decoder?: VideoDecoder;
  signal?: AbortSignal;
  onProgress?: (p: VideoProgress) => void;
}

/** ffmpeg's MJPEG quality scale, 2 (best) to 31: 3 is about libjpeg quality 90. */
const JPEG_QSCALE = 3;
/** Frames waiting to be looked at before ffmpeg is made to wait. */
const MAX_QUEUED = 8;
const STDERR_TAIL = 40;

export async function planVideoImport(file: string, sampling: VideoSampling, opts: VideoImportOptions = {}): Promise<ImageImportPlan> {
  const s = checkSampling(sampling);
  const { signal } = opts;
  if (signal?.aborted) throw new CancelledError('Import cancelled.');
  const decoder = opts.decoder ?? (await requireVideoDecoder());
  const info = await probeVideo(decoder, file, { signal });
  const name = path.basename(file);

  const images: ImportedImage[] = [];
  const problems: ImportProblem[] = [];
  let read = 0;
  let lastKept: Uint8Array | null = null;
  let lastTime = 0;

  const run = await sample(decoder, file, info, s, signal, async (jpeg, timeSec) => {
    const k = read++;
    lastTime = timeSec;
    const index = s.everyFrames !== undefined ? k * s.everyFrames : info.fps !== null ? Math.round(timeSec * info.fps) : k;
    let keep = true;
    if (s.skipSimilar) {
      const thumb = await thumbnail(jpeg);
      keep = lastKept === null || similarityOf(thumb, lastKept) < s.similarity;
      if (keep) lastKept = thumb;
    }
    if (keep) {
      images.push({
        bytes: new Uint8Array(jpeg.buffer, jpeg.byteOffset, jpeg.length),
        relPath: `${name}/${frameName(index, timeSec)}`,
        frame: { video: name, index, timeSec },
      });
    }
    opts.onProgress?.({ framesRead: read, framesKept: images.length, timeSec, durationSec: info.durationSec ?? 0 });
  });

  if (run.exitCode !== 0) {
    const reason = ffmpegReason(run.stderrTail, file);
    if (read === 0) throw unreadableVideo(name, reason);
    problems.push({
      file: name,
      code: 'VIDEO_INVALID',
      message: `ffmpeg stopped after ${lastTime.toFixed(2)} s${info.durationSec ? ` of ${info.durationSec.toFixed(2)} s` : ''}: "${reason}"; the frames before that were imported.`,
    });
  } else if (read === 0) {
    throw unreadableVideo(name, run.decodeErrors > 0 ? ffmpegReason(run.stderrTail, file) : 'no frame could be decoded');
  } else if (info.durationSec !== null && lastTime + interval(info, s) + 1 < info.durationSec) {
    // ffmpeg ends a cut-off file quietly (exit 0, a "Read error" line): the frames stop before the declared end.
    problems.push({
      file: name,
      code: 'VIDEO_INVALID',
      message: `Frames end at ${lastTime.toFixed(2)} s, but '${name}' declares ${info.durationSec.toFixed(2)} s (ffmpeg: "${ffmpegReason(run.stderrTail, file)}"); the file may be cut short. The frames before that were imported.`,
    });
  }

  const skipped = read - images.length;
  const notes = [
    `Decoder: ${describeDecoder(decoder)}.`,
    `Video: ${describeInfo(info)}.`,
    `Sampled ${s.everyFrames !== undefined ? `every ${s.everyFrames} frame${s.everyFrames === 1 ? '' : 's'}` : `every ${s.everySeconds} s`}: ${read} frame${read === 1 ? '' : 's'} read, ${images.length} kept` +
      (s.skipSimilar ? `, ${skipped} skipped as near-duplicates (similarity ≥ ${s.similarity} to the last kept frame).` : '; near-duplicates kept (skipping was off).'),
  ];
  if (run.decodeErrors > 0) notes.push(`ffmpeg reported ${run.decodeErrors} decoding error${run.decodeErrors === 1 ? '' : 's'} (damaged data); frames near them may show artefacts.`);
  return { format: 'video', classes: [], images, problems, notes };
}

/** "frame-000120-t0004.80s.jpg": sorts by time as text for videos under 10 000 s. */
export function frameName(index: number, timeSec: number): string {
  return `frame-${String(index).padStart(6, '0')}-t${timeSec.toFixed(2).padStart(7, '0')}s.jpg`;
}

interface Sampling {
  everyFrames?: number;
  everySeconds?: number;
  skipSimilar: boolean;
  similarity: number;
}

function checkSampling(v: VideoSampling): Sampling {
  const bad = (msg: string) => new AppError('INVALID_REQUEST', msg);
  if (v.everyFrames !== undefined && v.everySeconds !== undefined) {
    throw bad(`Video sampling takes everyFrames or everySeconds, not both; got everyFrames ${v.everyFrames} and everySeconds ${v.everySeconds}.`);
  }
  if (v.everyFrames !== undefined && !(Number.isInteger(v.everyFrames) && v.everyFrames >= 1)) {
    throw bad(`everyFrames must be a whole number ≥ 1; got ${v.everyFrames}.`);
  }
  if (v.everySeconds !== undefined && !(Number.isFinite(v.everySeconds) && v.everySeconds >= 0.001)) {
    throw bad(`everySeconds must be a number ≥ 0.001; got ${v.everySeconds}.`);
  }
  if (v.similarity !== undefined && !(v.similarity >= 0 && v.similarity <= 1)) {
    throw bad(`similarity must be between 0 and 1; got ${v.similarity}.`);
  }
  return {
    ...(v.everyFrames !== undefined ? { everyFrames: v.everyFrames } : { everySeconds: v.everySeconds ?? 1 }),
    skipSimilar: v.skipSimilar ?? true,
    similarity: v.similarity ?? DEFAULT_SIMILARITY,
  };
}

function describeInfo(i: VideoInfo): string {
  const parts = [`${i.width}×${i.height}${i.rotation ? ` (stored rotated by ${i.rotation}°, frames upright)` : ''}`];
  if (i.fps !== null) parts.push(`${Number(i.fps.toFixed(3))} fps`);
  if (i.durationSec !== null) parts.push(clock(i.durationSec));
  parts.push(i.codec);
  return parts.join(', ');
}

function clock(sec: number): string {
  const h = Math.floor(sec / 3600);
  const m = Math.floor((sec % 3600) / 60);
  const s = (sec % 60).toFixed(1).padStart(4, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** The ffmpeg command line (without the binary): exported for tests and for the docs. */
export function ffmpegArgs(decoder: VideoDecoder, file: string, info: Pick<VideoInfo, 'streamIndex'>, s: Pick<Sampling, 'everyFrames' | 'everySeconds'>): string[] {
  // Commas inside a filter's expression are escaped; no shell is involved.
  const select =
    s.everyFrames !== undefined
      ? `select='not(mod(n\\,${s.everyFrames}))'`
      : // Keep the first frame at or after each multiple of S; the next multiple is kept in variable 0, so there is no drift.
        // 0.1 ms of slack absorbs floating point (0.6 / 0.2 = 2.9999999999999996), far below any frame interval.
        `select='if(gte(t+0.0001\\,ld(0))\\,st(0\\,(floor((t+0.0001)/${s.everySeconds})+1)*${s.everySeconds}))'`;
  // Without vfr ffmpeg would duplicate frames to keep the input's rate; -vsync is deprecated from 5.1 on, for -fps_mode.
  const vfr = decoderMajor(decoder) >= 6 ? ['-fps_mode', 'vfr'] : ['-vsync', 'vfr'];
  return [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info',
    '-i', file,
    '-map', `0:${info.streamIndex}`, '-an', '-sn', '-dn',
    '-vf', `${select},showinfo`,
    ...vfr,
    '-f', 'image2pipe', '-c:v', 'mjpeg', '-q:v', String(JPEG_QSCALE), '-pix_fmt', 'yuvj420p',
    'pipe:1',
  ];
}

interface RunResult {
  exitCode: number | null;
  stderrTail: string[];
  decodeErrors: number;
}

/**
 * Runs ffmpeg and calls `onFrame` for each sampled frame in order, one at a time. Settles only
 * once ffmpeg has exited; on abort ffmpeg is killed at once and CancelledError thrown.
 */
function sample(
  decoder: VideoDecoder,
  file: string,
  info: VideoInfo,
  s: Sampling,
  signal: AbortSignal | undefined,
  onFrame: (jpeg: Buffer, timeSec: number) => Promise<void>,
): Promise<RunResult> {
  return new Promise<RunResult>((resolve, reject) => {
    const child = spawn(decoder.path, ffmpegArgs(decoder, file, info, s), { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const splitter = new MjpegSplitter();
    const jpegs: Buffer[] = [];
    const times: number[] = [];
    const tail: string[] = [];
    let decodeErrors = 0;
    let partial = '';
    let exited = false;
    let exitCode: number | null = null;
    let failure: unknown = null;
    let wake: (() => void) | null = null;
    const poke = () => {
      const w = wake;
      wake = null;
      w?.();
    };
    const stop = (e: unknown) => {
      if (failure === null) failure = e;
      child.kill('SIGKILL');
      poke();
    };
    const onAbort = () => stop(new CancelledError('Import cancelled.'));
    signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (chunk: Buffer) => {
      try {
        jpegs.push(...splitter.push(chunk));
      } catch (e) {
        stop(e);
        return;
      }
      if (jpegs.length >= MAX_QUEUED) child.stdout.pause();
      poke();
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      const lines = (partial + d).split(/\r?\n|\r/);
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (line.includes('Parsed_showinfo')) {
          const t = /pts_time:\s*(-?[\d.]+(?:e[-+]?\d+)?)/.exec(line);
          if (t) times.push(Math.max(0, Number(t[1])));
          continue;
        }
        if (/error while decoding|concealing \d+ (DC|AC|MV) errors/i.test(line)) decodeErrors++;
        tail.push(line);
        if (tail.length > STDERR_TAIL) tail.shift();
      }
      poke();
    });
    child.on('error', (e) => stop(e));
    child.on('close', (code) => {
      exited = true;
      exitCode = code;
      if (partial) tail.push(partial);
      poke();
    });

    let taken = 0;
    const loop = async () => {
      for (;;) {
        if (failure !== null) break;
        if (jpegs.length > 0 && (times.length > 0 || exited)) {
          const jpeg = jpegs.shift()!;
          const t = times.shift() ?? estimateTime(info, s, taken);
          taken++;
          if (jpegs.length < MAX_QUEUED / 2 && child.stdout.isPaused()) child.stdout.resume();
          await onFrame(jpeg, t);
          continue;
        }
        if (exited) break;
        await new Promise<void>((r) => (wake = r));
      }
    };
    loop()
      .catch((e: unknown) => stop(e))
      .finally(() => {
        const settle = () => {
          signal?.removeEventListener('abort', onAbort);
          if (failure !== null) reject(failure);
          else resolve({ exitCode, stderrTail: tail, decodeErrors });
        };
        if (exited) settle();
        else child.once('close', settle);
      });
  });
}

/** Seconds between sampled frames (nominal). */
function interval(info: VideoInfo, s: Sampling): number {
  if (s.everyFrames !== undefined) return info.fps ? s.everyFrames / info.fps : 0;
  return s.everySeconds ?? 1;
}

/** Only when a showinfo line went missing: the nominal time of the k-th sampled frame. */
function estimateTime(info: VideoInfo, s: Sampling, k: number): number {
  if (s.everyFrames !== undefined) return info.fps ? (k * s.everyFrames) / info.fps : 0;
  return k * (s.everySeconds ?? 1);
}
