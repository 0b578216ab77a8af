/**
 * Who has a project open. Opening a project tidies what a crash left (failed runs, `.partial`
 * media), which must not happen while another Layerbench process (a CLI command beside serve
 * mode, say) is training or importing in it. The owner file names that process.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const OWNER_FILE = 'project.lbproj.owner';

interface Owner {
  pid: number;
  host: string;
}

function isAlive(o: Owner): boolean {
  // A process on another machine (a shared folder) cannot be checked: assume it is alive.
  if (o.host !== os.hostname()) return true;
  if (o.pid === process.pid) return false;
  try {
    process.kill(o.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function read(file: string): Owner | null {
  try {
    const o = JSON.parse(fs.readFileSync(file, 'utf8')) as Owner;
    return typeof o.pid === 'number' && typeof o.host === 'string' ? o : null;
  } catch {
    return null;
  }
}

/** Becomes the project's owner unless another live process is. Returns whether we own it. */
export function claimOwnership(dir: string): boolean {
  const file = path.join(dir, OWNER_FILE);
  const current = read(file);
  if (current && isAlive(current)) return false;
  fs.writeFileSync(file, JSON.stringify({ pid: process.pid, host: os.hostname() } satisfies Owner));
  return true;
}

export function releaseOwnership(dir: string): void {
  const file = path.join(dir, OWNER_FILE);
  const current = read(file);
  if (current && current.pid === process.pid && current.host === os.hostname()) fs.rmSync(file, { force: true });
}
