/**
 * The recent-projects list, kept as JSON in the app-data folder. Not precious: a missing or
 * unreadable file is an empty list. Written atomically so a crash never leaves half a file.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RecentProject } from '../../shared/api/projects.js';
import { PROJECT_FILE } from './project-store.js';

export const RECENT_FILE = 'recent-projects.json';
export const RECENT_MAX = 20;

type Entry = Omit<RecentProject, 'exists'>;

export class RecentProjects {
  readonly file: string;

  constructor(appDataDir: string) {
    this.file = path.join(path.resolve(appDataDir), RECENT_FILE);
  }

  /** Moves the project to the top of the list (adding it if new). */
  touch(dir: string, name: string): void {
    const abs = path.resolve(dir);
    const rest = this.read().filter((e) => e.dir !== abs);
    this.write([{ dir: abs, name, openedAt: new Date().toISOString() }, ...rest]);
  }

  /** Newest first; `exists` says whether the project file is still there. */
  list(): RecentProject[] {
    return this.read().map((e) => ({ ...e, exists: fs.existsSync(path.join(e.dir, PROJECT_FILE)) }));
  }

  remove(dir: string): void {
    const abs = path.resolve(dir);
    const entries = this.read();
    const rest = entries.filter((e) => e.dir !== abs);
    if (rest.length !== entries.length) this.write(rest);
  }

  private read(): Entry[] {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(this.file, 'utf8'));
    } catch {
      return [];
    }
    const items = (parsed as { projects?: unknown } | null)?.projects;
    if (!Array.isArray(items)) return [];
    return items.filter(isEntry).map((e) => ({ dir: e.dir, name: e.name, openedAt: e.openedAt })).slice(0, RECENT_MAX);
  }

  private write(entries: Entry[]): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.${Date.now()}.tmp`;
    try {
      const fd = fs.openSync(tmp, 'w');
      try {
        fs.writeFileSync(fd, JSON.stringify({ version: 1, projects: entries.slice(0, RECENT_MAX) }, null, 2));
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(tmp, this.file);
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      throw e;
    }
  }
}

function isEntry(e: unknown): e is Entry {
  const o = e as Partial<Entry> | null;
  return typeof o === 'object' && o !== null && typeof o.dir === 'string' && typeof o.name === 'string' && typeof o.openedAt === 'string';
}
