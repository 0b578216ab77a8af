import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Where the built files are: this module is bundled into dist/main/cli.js. */
export const distPaths = {
  worker: path.join(here, 'worker.js'),
  renderer: path.join(here, '..', 'renderer'),
};

export function appDataDir(): string {
  if (process.env.LAYERBENCH_HOME) return process.env.LAYERBENCH_HOME;
  const base = process.env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(base, 'layerbench');
}
