/**
 * Pre-labelling through the core and a real trainer process: the bundled detector proposes boxes
 * on a real street photograph (test/fixtures/people, from OpenCV's sample data), the proposals
 * land as "person" proposals on the image, overlap the people drawn by hand, and a second run
 * replaces them rather than piling up.
 */
import { describe, it, expect } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../../main/core.js';
import type { PrelabelProgress } from '../../shared/api/labels.js';
import { iou } from '../../shared/images.js';
import { ROOT } from '../helpers/serve.js';

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'people');
const hand = JSON.parse(readFileSync(path.join(FIXTURE, 'vtest-frame200.boxes.json'), 'utf8')) as { boxes: { x: number; y: number; w: number; h: number }[] };

describe('pre-label through the core', () => {
  it('proposes person boxes on a street photo in a trainer process, and a second run replaces them', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-prelabel-'));
    const src = path.join(tmp, 'street');
    mkdirSync(src);
    copyFileSync(path.join(FIXTURE, 'vtest-frame200.jpg'), path.join(src, 'street.jpg'));
    const core = createCore({ appDataDir: path.join(tmp, 'home'), workerEntry: path.join(ROOT, 'dist', 'main', 'worker.js') });
    try {
      await core.handlers.projects.create({ dir: path.join(tmp, 'p') });
      const d = await core.handlers.datasets.importImages({ path: src });
      expect((await core.handlers.labels.proposers({ datasetId: d.id })).map((p) => p.id)).toContain('human-models/nanodet');

      const runOnce = async () => {
        const done = new Promise<PrelabelProgress>((resolve) =>
          core.onEvent((e, p) => {
            if (e === 'prelabel.progress' && (p as PrelabelProgress).finished) resolve(p as PrelabelProgress);
          }),
        );
        await core.handlers.labels.prelabel({ datasetId: d.id });
        return done;
      };
      const first = await runOnce();
      expect(first).toMatchObject({ done: 1, total: 1, finished: true });
      expect(first.error).toBeUndefined();
      const [item] = (await core.handlers.labels.items({ filter: { datasetId: d.id }, offset: 0, limit: 10 })).items;
      const { boxes } = await core.handlers.labels.item({ itemId: item!.id });
      const classes = await core.handlers.labels.classes({ datasetId: d.id });
      expect(classes.map((c) => c.name)).toEqual(['person']);
      expect(boxes.length).toBe(first.proposals);
      expect(boxes.every((b) => b.status === 'proposal' && b.source === 'human-models/nanodet' && b.classId === classes[0]!.id)).toBe(true);
      expect(item).toMatchObject({ proposals: boxes.length, confirmedBoxes: 0, reviewed: false });
      // Most of the people drawn by hand are found (the detector's own test holds the exact bar).
      const found = hand.boxes.filter((h) => boxes.some((b) => iou(h, b) >= 0.5));
      expect(found.length).toBeGreaterThanOrEqual(Math.ceil(hand.boxes.length / 2));

      const second = await runOnce();
      expect((await core.handlers.labels.item({ itemId: item!.id })).boxes).toHaveLength(second.proposals);
    } finally {
      await core.dispose();
    }
  }, 180_000);
});
