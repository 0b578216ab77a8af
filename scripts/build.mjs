// Builds everything the app runs: the Node side with esbuild (one file per process entry)
// and the renderer with Vite. Fast enough to run before every start and test run.
import { build } from 'esbuild';
import { build as viteBuild } from 'vite';
import { existsSync } from 'node:fs';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
};

const entries = [
  { in: 'main/cli/index.ts', out: 'dist/main/cli.js', format: 'esm' },
  { in: 'main/jobs/worker.ts', out: 'dist/main/worker.js', format: 'esm' },
  { in: 'main/electron/main.ts', out: 'dist/main/electron/main.js', format: 'esm' },
  // Sandboxed preloads must be CommonJS.
  { in: 'main/electron/preload.ts', out: 'dist/main/electron/preload.cjs', format: 'cjs' },
  { in: 'bench/bench.ts', out: 'dist/bench/bench.js', format: 'esm' },
];

const started = Date.now();
await Promise.all(
  entries
    .filter((e) => existsSync(e.in))
    .map((e) => build({ ...common, entryPoints: [e.in], outfile: e.out, format: e.format })),
);
await viteBuild({ configFile: 'vite.config.ts', logLevel: 'warn' });
console.log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
