/** The trainer process's environment (main/jobs/trainer-env.ts), and that a forked trainer gets it. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GLIBC_MALLOC_TUNABLES, trainerEnvironment } from '../../../main/jobs/trainer-env.js';
import { forkWorker } from '../../../main/jobs/process.js';

describe('trainerEnvironment', () => {
  it('adds the malloc tunables on Linux and keeps everything else', () => {
    expect(trainerEnvironment({ PATH: '/bin' }, 'linux')).toEqual({ PATH: '/bin', GLIBC_TUNABLES: GLIBC_MALLOC_TUNABLES });
  });

  it("puts a user's other tunables first, and leaves a user's own malloc thresholds alone", () => {
    expect(trainerEnvironment({ GLIBC_TUNABLES: 'glibc.cpu.hwcaps=-AVX2' }, 'linux').GLIBC_TUNABLES).toBe(`glibc.cpu.hwcaps=-AVX2:${GLIBC_MALLOC_TUNABLES}`);
    const own = { GLIBC_TUNABLES: 'glibc.malloc.trim_threshold=1000' };
    expect(trainerEnvironment(own, 'linux')).toEqual(own);
  });

  it('changes nothing on macOS and Windows, and returns a copy', () => {
    const env = { HOME: '/Users/a' };
    for (const platform of ['darwin', 'win32'] as const) {
      const got = trainerEnvironment(env, platform);
      expect(got).toEqual(env);
      expect(got).not.toBe(env);
    }
  });

  it.runIf(process.platform === 'linux')('reaches a forked trainer process', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lb-env-'));
    try {
      const entry = path.join(dir, 'child.mjs');
      writeFileSync(entry, 'process.send(process.env.GLIBC_TUNABLES ?? null, () => process.exit(0));\n');
      const child = forkWorker(entry);
      const got = await new Promise<unknown>((resolve) => child.onMessage(resolve));
      expect(got).toBe(trainerEnvironment().GLIBC_TUNABLES);
      expect(String(got)).toContain(GLIBC_MALLOC_TUNABLES);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
