import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findVideoDecoder, planVideoImport, requireVideoDecoder } from '../../../../main/importers/video/index.js';
import { BUNDLED_FFMPEG, makeClip } from './fixtures.js';

let dir: string;
let systemDir: string;
let brokenDir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'lb-ffmpeg-'));
  // A "system" ffmpeg: a symlink named ffmpeg on PATH, pointing at the bundled binary.
  systemDir = path.join(dir, 'bin');
  mkdirSync(systemDir);
  symlinkSync(BUNDLED_FFMPEG, path.join(systemDir, 'ffmpeg'));
  // Something named ffmpeg on PATH that does not work.
  brokenDir = path.join(dir, 'broken');
  mkdirSync(brokenDir);
  writeFileSync(path.join(brokenDir, 'ffmpeg'), '#!/bin/sh\necho "ffmpeg: error while loading shared libraries" >&2\nexit 127\n');
  chmodSync(path.join(brokenDir, 'ffmpeg'), 0o755);
  await makeClip(path.join(dir, 'clip.mp4'));
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(process.platform === 'win32')('findVideoDecoder (symlinks and shell scripts need a POSIX system)', () => {
  it('prefers an ffmpeg on PATH, as a system decoder', async () => {
    expect(await findVideoDecoder({ env: { PATH: systemDir } })).toEqual({ kind: 'system', path: path.join(systemDir, 'ffmpeg'), version: '4.x' });
  });

  it('falls back to the bundled npm build with nothing on PATH', async () => {
    const d = await findVideoDecoder({ env: { PATH: '' } });
    expect(d).toEqual({ kind: 'bundled', path: BUNDLED_FFMPEG, version: '4.x' });
    expect(d!.path).toMatch(/node_modules[/\\]@ffmpeg-installer[/\\]linux-x64[/\\]ffmpeg$/);
  });

  it('passes over an ffmpeg on PATH that does not run', async () => {
    expect(await findVideoDecoder({ env: { PATH: `${brokenDir}${path.delimiter}${systemDir}` } })).toMatchObject({ kind: 'system', path: path.join(systemDir, 'ffmpeg') });
    expect(await findVideoDecoder({ env: { PATH: brokenDir } })).toMatchObject({ kind: 'bundled' });
  });

  it('uses LAYERBENCH_FFMPEG over PATH, and knows the bundled binary by its real path', async () => {
    expect(await findVideoDecoder({ env: { PATH: systemDir, LAYERBENCH_FFMPEG: BUNDLED_FFMPEG } })).toEqual({ kind: 'bundled', path: BUNDLED_FFMPEG, version: '4.x' });
    const viaLink = path.join(systemDir, 'ffmpeg');
    expect(await findVideoDecoder({ env: { PATH: '', LAYERBENCH_FFMPEG: viaLink } })).toMatchObject({ kind: 'bundled', path: viaLink });
  });

  it('says clearly when LAYERBENCH_FFMPEG names nothing, instead of quietly using another ffmpeg', async () => {
    const missing = path.join(dir, 'no-such-ffmpeg');
    await expect(findVideoDecoder({ env: { PATH: systemDir, LAYERBENCH_FFMPEG: missing } })).rejects.toMatchObject({
      code: 'VIDEO_DECODER_MISSING',
      message: `LAYERBENCH_FFMPEG is set to ${missing}, but no ffmpeg runs there: no such file (ENOENT). Point it at an ffmpeg binary, or unset it to use ffmpeg from PATH or the bundled one.`,
    });
    await expect(requireVideoDecoder({ env: { LAYERBENCH_FFMPEG: path.join(brokenDir, 'ffmpeg') } })).rejects.toMatchObject({
      code: 'VIDEO_DECODER_MISSING',
      message: expect.stringContaining(`LAYERBENCH_FFMPEG is set to ${path.join(brokenDir, 'ffmpeg')}, but no ffmpeg runs there`),
    });
  });

  it('names the decoder it used in the plan notes', async () => {
    const system = (await findVideoDecoder({ env: { PATH: systemDir } }))!;
    const bundled = (await findVideoDecoder({ env: { PATH: '' } }))!;
    const clip = path.join(dir, 'clip.mp4');
    expect((await planVideoImport(clip, { everySeconds: 5 }, { decoder: system })).notes[0]).toBe('Decoder: ffmpeg 4.x (system).');
    expect((await planVideoImport(clip, { everySeconds: 5 }, { decoder: bundled })).notes[0]).toBe('Decoder: ffmpeg 4.x (bundled from npm @ffmpeg-installer).');
  });
});
