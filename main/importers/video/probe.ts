/**
 * What a video is, from `ffmpeg -i` (ffprobe is not bundled): duration, frame rate and the size
 * frames come out at. ffmpeg rotates frames upright by default (-autorotate), so a phone video
 * stored as 1920×1080 with a 90° rotation is reported, and sampled, as 1080×1920.
 */
import { spawn } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { CancelledError } from '../../../shared/errors.js';
import type { VideoDecoder } from './decoder.js';
import { ffmpegReason, ioReason, unreadableVideo, VideoError } from './errors.js';

export interface VideoInfo {
  /** Null when the container does not say (live WebM recordings often do not). */
  durationSec: number | null;
  /** Average frames per second; null when ffmpeg does not know it. */
  fps: number | null;
  /** As frames come out: after rotation. */
  width: number;
  height: number;
  /** Degrees clockwise the stored picture is turned for display (0, 90, 180, 270). */
  rotation: number;
  codec: string;
  /** duration × fps, rounded; null when either is unknown. */
  frameCountEstimate: number | null;
  /** ffmpeg's index of the stream sampled (`-map 0:<index>`): the first video stream that is not cover art. */
  streamIndex: number;
}

/** Reads the video's header with `ffmpeg -i`. VIDEO_INVALID when it is not a video ffmpeg can read. */
export async function probeVideo(decoder: VideoDecoder, file: string, opts: { signal?: AbortSignal } = {}): Promise<VideoInfo> {
  const name = path.basename(file);
  try {
    const st = await fsp.stat(file);
    if (!st.isFile()) throw new VideoError(name, `Expected a video file at ${file}, found a folder.`);
    if (st.size === 0) throw new VideoError(name, `Expected a video in '${name}', found an empty file.`);
  } catch (e) {
    if (e instanceof VideoError) throw e;
    throw new VideoError(name, `Cannot read the video ${file}: ${ioReason(e)}.`);
  }
  const stderr = await runInfo(decoder, file, opts.signal);
  const info = parseProbe(stderr);
  if (info) return info;
  const lines = stderr.split(/\r?\n/);
  if (/Input #0/.test(stderr)) {
    // "Stream #0:0(und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, …" → "audio (aac)"
    const streams = lines.flatMap((l) => {
      const m = /^\s*Stream #0:\d+[^:]*: (\w+): (\w+)/.exec(l);
      return m ? [`${m[1]!.toLowerCase()} (${m[2]})`] : [];
    });
    throw new VideoError(name, `Expected a video stream in '${name}', found ${streams.length > 0 ? `only ${streams.join(', ')}` : 'no streams'}.`);
  }
  throw unreadableVideo(name, ffmpegReason(lines, file));
}

/** The VideoInfo in `ffmpeg -i` output, or null when it names no video stream. Pure, for tests. */
export function parseProbe(stderr: string): VideoInfo | null {
  const lines = stderr.split(/\r?\n/);
  const durationMatch = /Duration:\s*(\d+):(\d+):(\d+(?:\.\d+)?)/.exec(stderr);
  const durationSec = durationMatch ? Number(durationMatch[1]) * 3600 + Number(durationMatch[2]) * 60 + Number(durationMatch[3]) : null;
  for (let i = 0; i < lines.length; i++) {
    // "Stream #0:0(und): Video: h264 (High) (avc1 / 0x31637661), yuv420p, 320x240 [SAR 1:1 DAR 4:3], 106 kb/s, 25 fps, 25 tbr, …"
    // (ffmpeg 6+ adds the container id: "Stream #0:0[0x1](und): Video: …")
    const s = /^\s*Stream #0:(\d+)[^:]*: Video: (.*)$/.exec(lines[i]!);
    if (!s || /\(attached pic\)/.test(s[2]!)) continue;
    const desc = s[2]!;
    const size = /,\s*(\d{2,5})x(\d{2,5})/.exec(desc);
    if (!size) continue;
    const fps = rate(/([\d.]+k?) fps/.exec(desc)?.[1]) ?? rate(/([\d.]+k?) tbr/.exec(desc)?.[1]);
    const rotation = rotationOf(lines, i + 1);
    const [w, h] = [Number(size[1]), Number(size[2])];
    const turned = rotation === 90 || rotation === 270;
    return {
      durationSec,
      fps,
      width: turned ? h : w,
      height: turned ? w : h,
      rotation,
      codec: desc.split(/[\s,]/)[0]!,
      frameCountEstimate: durationSec !== null && fps !== null ? Math.round(durationSec * fps) : null,
      streamIndex: Number(s[1]),
    };
  }
  return null;
}

/** Rotation from the stream's metadata ("rotate : 90") or side data ("displaymatrix: rotation of -90.00 degrees"). */
function rotationOf(lines: string[], from: number): number {
  for (let i = from; i < lines.length && !/^\s*Stream #/.test(lines[i]!) && !/^\S/.test(lines[i]!); i++) {
    const meta = /^\s*rotate\s*:\s*(-?\d+)/.exec(lines[i]!);
    if (meta) return norm(Number(meta[1]));
    // The display matrix turns counter-clockwise: -90 there is 90 clockwise.
    const dm = /displaymatrix: rotation of (-?[\d.]+) degrees/.exec(lines[i]!);
    if (dm) return norm(-Number(dm[1]));
  }
  return 0;
}

function norm(deg: number): number {
  return ((Math.round(deg / 90) * 90) % 360 + 360) % 360;
}

function rate(s: string | undefined): number | null {
  if (!s) return null;
  const v = s.endsWith('k') ? Number(s.slice(0, -1)) * 1000 : Number(s);
  // WebM from browsers says "1k tbr": its time base, not a frame rate.
  return Number.isFinite(v) && v > 0 && v < 1000 ? v : null;
}

/** `ffmpeg -i file` exits 1 ("At least one output file must be specified") after printing what it found. */
function runInfo(decoder: VideoDecoder, file: string, signal: AbortSignal | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError('Import cancelled.'));
    const child = spawn(decoder.path, ['-hide_banner', '-nostdin', '-i', file], { stdio: ['ignore', 'ignore', 'pipe'], windowsHide: true });
    let out = '';
    const onAbort = () => child.kill('SIGKILL');
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      if (out.length < 1_000_000) out += d;
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      reject(e);
    });
    child.on('close', () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) reject(new CancelledError('Import cancelled.'));
      else resolve(out);
    });
  });
}
