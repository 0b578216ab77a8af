#!/usr/bin/env node
// The `layerbench` command. The TypeScript sources are built into dist/ by `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/main/cli.js', import.meta.url));
if (!existsSync(cli)) {
  console.error('Layerbench is not built yet: run `npm run build` in its folder first.');
  process.exit(1);
}
await import(cli);
