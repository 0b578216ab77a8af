/** Images through the command line: a folder with a broken file, and a video sampled into frames. */
import { describe, it, expect } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { runCli, lastJson } from '../helpers/cli.js';
import { findVideoDecoder } from '../../main/importers/video/index.js';
import type { ImageDataset } from '../../shared/dataset.js';

describe('CLI image import', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-cli-img-'));
  const home = path.join(tmp, 'home');
  const project = path.join(tmp, 'p');

  it('imports a folder, naming the file it skipped, and a video as frames', async () => {
    expect((await runCli(['create', project], home)).code).toBe(0);
    const folder = path.join(tmp, 'shots');
    mkdirSync(folder);
    for (let i = 0; i < 3; i++)
      await sharp({ create: { width: 40 + i, height: 30, channels: 3, background: { r: 40 * i, g: 90, b: 200 } } }).png().toFile(path.join(folder, `s${i}.png`));
    writeFileSync(path.join(folder, 'notes.jpg'), 'this is text, not a JPEG');
    const r = await runCli(['import', project, folder], home);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Imported shots: 3 images (image-folder, for detection;');
    expect(r.stdout).toMatch(/Skipped 1:\n {2}notes\.jpg: /);

    const decoder = await findVideoDecoder();
    expect(decoder, 'the bundled ffmpeg (@ffmpeg-installer/ffmpeg) is installed by npm ci').not.toBeNull();
    const video = path.join(tmp, 'clip.mp4');
    execFileSync(decoder!.path, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10:duration=4', '-pix_fmt', 'yuv420p', video]);
    const v = await runCli(['import', project, video, '--every-seconds', '2', '--json'], home);
    expect(v.code, v.stderr).toBe(0);
    const { dataset } = lastJson<{ dataset: ImageDataset }>(v);
    expect(dataset.profile).toMatchObject({ format: 'video', imageCount: 2 });
    expect(dataset.profile.notes.join(' ')).toMatch(/ffmpeg/);
  }, 120_000);
});
