/**
 * Test videos made by ffmpeg itself (the bundled build, always installed by npm ci), in a temp
 * folder. clip.mp4 is 10 s at 25 fps, 320×240: a moving test pattern (0–4 s), a still picture
 * (4–7 s, the near-duplicates), another moving pattern (7–10 s).
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';

export const BUNDLED_FFMPEG: string = ffmpegInstaller.path;

const run = promisify(execFile);

export async function ffmpeg(args: string[]): Promise<void> {
  await run(BUNDLED_FFMPEG, ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', ...args], { timeout: 120_000 });
}

export async function makeClip(out: string): Promise<void> {
  await ffmpeg([
    '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25:duration=4',
    '-f', 'lavfi', '-i', 'color=c=0x3366cc:size=320x240:rate=25:duration=3,drawbox=x=40:y=40:w=120:h=80:color=yellow:t=fill',
    '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25:duration=3',
    '-filter_complex', '[0:v][1:v][2:v]concat=n=3:v=1[v]', '-map', '[v]',
    '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-g', '25', out,
  ]);
}

/**
 * A fixed camera on a still, noisy scene and a "person" (a 20×55 box, 1.9 % of the picture)
 * walking across it at 50 px/s: 5 s, 320×180. No two frames half a second apart are duplicates.
 */
export async function makeWalker(out: string): Promise<void> {
  await ffmpeg([
    '-f', 'lavfi', '-i', 'mandelbrot=size=320x180:rate=25,trim=duration=0.04,loop=loop=125:size=1,setpts=N/25/TB,noise=alls=12:allf=t',
    '-f', 'lavfi', '-i', 'color=c=0x803020:size=20x55:rate=25',
    '-filter_complex', "[0:v][1:v]overlay=x='10+t*50':y=75:shortest=1",
    '-t', '5', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', out,
  ]);
}

/** A long, cheap video for cancelling: 120 s at 320×240. */
export async function makeLong(out: string): Promise<void> {
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25:duration=120', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', out]);
}

/** Processes whose command line mentions `needle` (Linux /proc). */
export function processesMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').some((a) => a.includes(needle))) pids.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}
