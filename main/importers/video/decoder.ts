/**
 * Which ffmpeg decodes videos: LAYERBENCH_FFMPEG when set (the user's choice, never second-guessed),
 * else an `ffmpeg` on PATH (usually newer, with the system's codecs and hardware support), else the
 * static build that npm installs with the optional dependency @ffmpeg-installer/ffmpeg (ffmpeg 4.x
 * from 2018: it decodes H.264, HEVC, VP8/9 and AV1, which covers phones and cameras).
 */
import { execFile } from 'node:child_process';
import { constants, existsSync, promises as fsp } from 'node:fs';
import path from 'node:path';
import { ioReason, VideoDecoderMissingError } from './errors.js';

export interface VideoDecoder {
  kind: 'system' | 'bundled';
  path: string;
  /** "6.1.1", or "4.x" for a build from git (the bundled one), from its library versions. */
  version: string;
}

export const FFMPEG_ENV = 'LAYERBENCH_FFMPEG';

const HOW_TO_GET =
  'Install ffmpeg (Debian/Ubuntu: apt install ffmpeg; macOS: brew install ffmpeg; Windows: winget install ffmpeg) so it is on PATH, ' +
  `reinstall Layerbench's optional dependency @ffmpeg-installer/ffmpeg (npm install), or set ${FFMPEG_ENV} to an ffmpeg binary.`;

/**
 * The ffmpeg to use, or null when there is none. Throws VIDEO_DECODER_MISSING only when
 * LAYERBENCH_FFMPEG names something that does not run: a path the user set must not be ignored.
 */
export async function findVideoDecoder(opts: { env?: NodeJS.ProcessEnv } = {}): Promise<VideoDecoder | null> {
  const env = opts.env ?? process.env;
  const bundled = await bundledPath();
  const forced = env[FFMPEG_ENV];
  if (forced) {
    const p = path.resolve(forced);
    const version = await runVersion(p).catch((e: unknown) => {
      throw new VideoDecoderMissingError(
        `${FFMPEG_ENV} is set to ${p}, but no ffmpeg runs there: ${e instanceof Error ? e.message : String(e)}. Point it at an ffmpeg binary, or unset it to use ffmpeg from PATH or the bundled one.`,
      );
    });
    return { kind: bundled !== null && (await samePath(p, bundled)) ? 'bundled' : 'system', path: p, version };
  }
  for (const candidate of onPath(env)) {
    if (!(await isExecutable(candidate))) continue;
    const version = await runVersion(candidate).catch(() => null);
    if (version !== null) return { kind: 'system', path: candidate, version };
  }
  if (bundled !== null) {
    const version = await runVersion(bundled).catch(() => null);
    if (version !== null) return { kind: 'bundled', path: bundled, version };
  }
  return null;
}

/** findVideoDecoder, or VIDEO_DECODER_MISSING saying how to get one. */
export async function requireVideoDecoder(opts: { env?: NodeJS.ProcessEnv } = {}): Promise<VideoDecoder> {
  const found = await findVideoDecoder(opts);
  if (!found) throw new VideoDecoderMissingError(`Importing a video needs ffmpeg, and none was found. ${HOW_TO_GET}`);
  return found;
}

/** For notes: "ffmpeg 6.1.1 (system)", "ffmpeg 4.x (bundled from npm @ffmpeg-installer)". */
export function describeDecoder(d: VideoDecoder): string {
  return `ffmpeg ${d.version} (${d.kind === 'system' ? 'system' : 'bundled from npm @ffmpeg-installer'})`;
}

/** The major version, for options that changed between releases (-vsync became -fps_mode in 5.1). */
export function decoderMajor(d: VideoDecoder): number {
  const m = /^(\d+)/.exec(d.version);
  return m ? Number(m[1]) : 0;
}

/** 'ffmpeg version 6.1.1-3ubuntu5 Copyright…' → '6.1.1'; a git build → its release line from libavutil's major. */
export function parseFfmpegVersion(out: string): string | null {
  const first = /ffmpeg version (\S+)/.exec(out);
  if (!first) return null;
  const release = /^n?(\d+(?:\.\d+)*)/.exec(first[1]!);
  if (release) return release[1]!;
  // Git snapshots say 'N-47683-g0e8eb07980'; libavutil's major version names the release line.
  const avutil = /libavutil\s+(\d+)\./.exec(out);
  const line = avutil ? AVUTIL_RELEASE[Number(avutil[1])] : undefined;
  return line ? `${line}.x` : first[1]!;
}

const AVUTIL_RELEASE: Record<number, number> = { 54: 2, 55: 3, 56: 4, 57: 5, 58: 6, 59: 7, 60: 8 };

function runVersion(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, ['-hide_banner', '-version'], { timeout: 10_000, windowsHide: true }, (err, stdout) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        reject(new Error(typeof code === 'string' ? ioReason(err) : err.message.split('\n')[0]));
        return;
      }
      const v = parseFfmpegVersion(stdout);
      if (v === null) reject(new Error(`it did not print an ffmpeg version (it printed '${stdout.slice(0, 60).trim()}')`));
      else resolve(v);
    });
  });
}

function* onPath(env: NodeJS.ProcessEnv): Generator<string> {
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter((d) => d.length > 0);
  const names = process.platform === 'win32' ? ['ffmpeg.exe', 'ffmpeg.cmd', 'ffmpeg.bat'] : ['ffmpeg'];
  for (const dir of dirs) for (const n of names) yield path.join(dir, n);
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    const st = await fsp.stat(file);
    if (!st.isFile()) return false;
    await fsp.access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function samePath(a: string, b: string): Promise<boolean> {
  try {
    return (await fsp.realpath(a)) === (await fsp.realpath(b));
  } catch {
    return false;
  }
}

/** The bundled binary's path, or null when the optional dependency is absent (it may be). */
async function bundledPath(): Promise<string | null> {
  try {
    const mod = await import('@ffmpeg-installer/ffmpeg');
    let p = mod.default.path;
    // Inside a packaged Electron app the binary is unpacked next to the asar archive.
    if (!existsSync(p) && p.includes(`app.asar${path.sep}`)) p = p.replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
    return existsSync(p) ? p : null;
  } catch {
    // Not installed, or installed for another platform (the package then throws a string).
    return null;
  }
}
