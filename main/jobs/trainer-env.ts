/**
 * The environment a trainer process starts with. On Linux with glibc, large allocations are
 * mmap'ed and unmapped again on free, so every operation of the native kernels
 * (main/engine/native-kernels/) that needs a buffer of tens of MB got fresh pages and paid a page
 * fault for each: a 64 MB copy took 250 ms instead of 12, J3's first convolution 200 ms instead
 * of 15, a J3 step 8 s instead of 3 (docs/benchmarks.md). These glibc tunables keep freed memory
 * in the process for the next operation; they are read only when a process starts, which is why
 * they go into the trainer's environment. Elsewhere (macOS, Windows, musl) the variable is unknown
 * and ignored.
 */
export const GLIBC_MALLOC_TUNABLES = 'glibc.malloc.mmap_threshold=2147483647:glibc.malloc.trim_threshold=2147483647';

/** `env` with the malloc tunables added (a user's own GLIBC_TUNABLES come first and win). */
export function trainerEnvironment(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): NodeJS.ProcessEnv {
  if (platform !== 'linux') return { ...env };
  const own = env['GLIBC_TUNABLES'];
  if (own?.includes('glibc.malloc.mmap_threshold') || own?.includes('glibc.malloc.trim_threshold')) return { ...env };
  return { ...env, GLIBC_TUNABLES: own ? `${own}:${GLIBC_MALLOC_TUNABLES}` : GLIBC_MALLOC_TUNABLES };
}
