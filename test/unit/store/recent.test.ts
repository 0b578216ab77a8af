import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RECENT_FILE, RECENT_MAX, RecentProjects } from '../../../main/store/recent.js';
import { ProjectStore } from '../../../main/store/project-store.js';
import { tempDir } from './fixtures.js';

describe('RecentProjects', () => {
  it('lists newest first and moves a touched project to the top', () => {
    const recent = new RecentProjects(path.join(tempDir(), 'app-data'));
    expect(recent.list()).toEqual([]);
    recent.touch('/p/a', 'A');
    recent.touch('/p/b', 'B');
    recent.touch('/p/c', 'C');
    expect(recent.list().map((r) => r.name)).toEqual(['C', 'B', 'A']);
    recent.touch('/p/a', 'A renamed');
    expect(recent.list().map((r) => r.name)).toEqual(['A renamed', 'C', 'B']);
    recent.remove('/p/c');
    expect(recent.list().map((r) => r.dir)).toEqual([path.resolve('/p/a'), path.resolve('/p/b')]);
  });

  it(`keeps at most ${RECENT_MAX}`, () => {
    const recent = new RecentProjects(tempDir());
    for (let i = 0; i < RECENT_MAX + 5; i++) recent.touch(`/p/${i}`, `P${i}`);
    const list = recent.list();
    expect(list).toHaveLength(RECENT_MAX);
    expect(list[0]?.name).toBe(`P${RECENT_MAX + 4}`);
    expect(list[RECENT_MAX - 1]?.name).toBe('P5');
  });

  it('says whether each project still exists', () => {
    const root = tempDir();
    const live = path.join(root, 'live');
    ProjectStore.create(live).close();
    const recent = new RecentProjects(path.join(root, 'app'));
    recent.touch(live, 'Live');
    recent.touch(path.join(root, 'gone'), 'Gone');
    expect(recent.list().map((r) => [r.name, r.exists])).toEqual([['Gone', false], ['Live', true]]);
    const entry = recent.list()[1];
    expect(Date.parse(entry?.openedAt ?? '')).not.toBeNaN();
  });

  it('persists across instances, leaves no temp files, and shrugs off a corrupt file', () => {
    const app = tempDir();
    new RecentProjects(app).touch('/p/x', 'X');
    expect(new RecentProjects(app).list().map((r) => r.name)).toEqual(['X']);
    expect(fs.readdirSync(app)).toEqual([RECENT_FILE]);
    fs.writeFileSync(path.join(app, RECENT_FILE), '{ not json');
    const recent = new RecentProjects(app);
    expect(recent.list()).toEqual([]);
    recent.touch('/p/y', 'Y');
    expect(recent.list().map((r) => r.name)).toEqual(['Y']);
  });
});
