/**
 * Training a detector through the core, on the real trainer process and the wasm backend: a
 * synthetic COCO dataset of squares and discs (test/helpers/detection-data.ts) imported through
 * the real importer, the Grid detector template trained, evaluated (mAP@0.5 of the trained model
 * against the same template untrained), its test images judged by `evaluation.detectionImages`,
 * tried on an image, proposing boxes in the Label view, and the runs it must refuse.
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core } from '../../main/core.js';
import { ROOT } from '../helpers/serve.js';
import { writeShapesCoco } from '../helpers/detection-data.js';
import { DEFAULT_TRAIN_SETTINGS, type TrainSettings } from '../../shared/training.js';
import type { DetectionEvaluation } from '../../shared/detection.js';
import type { ModelGraph } from '../../shared/graph.js';
import type { PrelabelProgress } from '../../shared/api/labels.js';

function makeCore(tmp: string): Core {
  return createCore({ appDataDir: path.join(tmp, 'home'), workerEntry: path.join(ROOT, 'dist', 'main', 'worker.js') });
}

const SETTINGS: TrainSettings = { ...DEFAULT_TRAIN_SETTINGS, loss: 'gridDetection', metrics: [], optimizer: 'adam', learningRate: 0.003, batchSize: 16, backend: 'wasm', seed: 1 };

describe('detector training', () => {
  it('trains the Grid detector on squares and discs to a mAP@0.5 far above the untrained model, and judges its test images consistently', { timeout: 240_000 }, async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-det-'));
    const shapes = await writeShapesCoco(path.join(tmp, 'shapes'), { images: 160, size: 64, seed: 3 });
    const core = makeCore(tmp);
    const h = core.handlers;
    try {
      await h.projects.create({ dir: path.join(tmp, 'p') });
      const d = await h.datasets.importImages({ path: shapes.dir });
      const layout = await h.datasets.layout({ id: d.id });
      expect(layout).toMatchObject({ task: 'detection', classes: ['square', 'disc'], outputUnits: 7, inputShape: [64, 64, 3] });
      const graph = await h.models.fromTemplate({ template: 'detector-grid', datasetId: d.id });
      expect(graph.nodes[0]!.config['shape']).toEqual([64, 64, 3]);

      // Untrained: one epoch at a learning rate too small to move the weights; the same template and seed.
      const untrained = await h.training.start({ datasetId: d.id, settings: { ...SETTINGS, epochs: 1, learningRate: 1e-9 }, name: 'untrained' });
      expect((await h.training.wait({ runId: untrained.id })).status).toBe('completed');
      const before = (await h.evaluation.run({ runId: untrained.id })) as DetectionEvaluation;

      const started = Date.now();
      const run = await h.training.start({ datasetId: d.id, settings: { ...SETTINGS, epochs: 30 }, name: 'trained' });
      const ended = await h.training.wait({ runId: run.id });
      const trainMs = Date.now() - started;
      expect(ended.status).toBe('completed');
      expect(Number.isFinite(ended.finalLogs?.['loss'])).toBe(true);
      const e = (await h.evaluation.run({ runId: run.id })) as DetectionEvaluation;
      console.log(`detector: trained ${trainMs} ms; mAP@0.5 ${e.map50?.toFixed(3)} (untrained ${before.map50?.toFixed(3)}), mAP ${e.map?.toFixed(3)}, best F1 ${e.bestF1?.f1.toFixed(3)} at ${e.bestF1?.threshold.toFixed(3)}; ${e.count} test images, ${e.groundTruths} boxes`);
      expect(e.task).toBe('detection');
      expect(e.classes).toEqual(['square', 'disc']);
      expect(before.map50 ?? 0).toBeLessThan(0.1);
      expect(e.map50!).toBeGreaterThan(0.5);
      expect(e.perClass.map((c) => c.className)).toEqual(['square', 'disc']);
      expect(e.perClass.every((c) => c.pr.recall.length <= 200 && c.groundTruths > 0)).toBe(true);
      expect(e.threshold).toBe(e.bestF1!.threshold);
      // The stored boxes are not sent with the evaluation.
      expect(JSON.stringify(await h.evaluation.get({ runId: run.id }))).not.toContain('detectionSamples');

      // At the best-F1 threshold, the viewer's totals are the F1 point's counts.
      const page = await h.evaluation.detectionImages({ runId: run.id, show: 'all', offset: 0, limit: 12 });
      expect(page.threshold).toBe(e.threshold);
      expect(page.totals.images).toBe(e.count);
      expect(page.totals.tp + page.totals.misses).toBe(e.groundTruths);
      const { precision, recall } = e.bestF1!;
      expect(page.totals.tp / e.groundTruths).toBeCloseTo(recall, 6);
      expect(page.totals.tp / (page.totals.tp + page.totals.fp)).toBeCloseTo(precision, 6);
      expect(page.items).toHaveLength(12);
      for (const im of page.items) {
        expect(im.boxes.filter((b) => b.verdict === 'tp')).toHaveLength(im.tp);
        expect(im.boxes.filter((b) => b.verdict === 'miss').every((b) => b.score === undefined)).toBe(true);
        expect(im.image).toMatchObject({ width: 64, height: 64 });
      }
      const errors = await h.evaluation.detectionImages({ runId: run.id, show: 'errors', offset: 0, limit: 100 });
      const worst = errors.items.map((i) => i.fp + i.misses);
      expect(worst.every((n) => n > 0)).toBe(true);
      expect([...worst].sort((a, b) => b - a)).toEqual(worst);
      // A strict threshold keeps fewer detections.
      const strict = await h.evaluation.detectionImages({ runId: run.id, threshold: 0.99, show: 'all', offset: 0, limit: 1 });
      expect(strict.totals.tp + strict.totals.fp).toBeLessThan(page.totals.tp + page.totals.fp);

      // Try it: a test image's boxes at the evaluation's threshold, in its own pixels, named by class.
      const form = await h.tryit.form({ runId: run.id });
      expect(form).toMatchObject({ kind: 'images', classes: ['square', 'disc'], detector: { threshold: e.threshold } });
      const first = page.items.find((i) => i.tp > 0 && i.fp === 0 && i.misses === 0)!;
      const file = shapes.images.find((im) => first.image.name === im.fileName)!;
      const data = readFileSync(path.join(shapes.imagesDir, file.fileName)).toString('base64');
      const [tried] = await h.tryit.predictImages({ runId: run.id, images: [{ name: file.fileName, data }] });
      expect(tried!.detection).toMatchObject({ width: 64, height: 64 });
      expect(tried!.detection!.boxes.map((b) => b.label).sort()).toEqual(file.boxes.map((b) => shapes.classes[b.classIndex]).sort());
      expect(tried!.detection!.boxes.every((b) => b.score >= e.threshold)).toBe(true);

      // The trained detector proposes boxes in the Label view, under its run's id; the untrained one is listed too.
      const proposers = await h.labels.proposers({ datasetId: d.id });
      expect(proposers.filter((p) => p.id === run.id || p.id === untrained.id).map((p) => p.name)).toEqual(['My detector (trained)', 'My detector (untrained)']);
      const ended2 = new Promise<PrelabelProgress>((resolve) =>
        core.onEvent((ev, p) => ev === 'prelabel.progress' && (p as PrelabelProgress).finished && resolve(p as PrelabelProgress)),
      );
      await h.labels.prelabel({ datasetId: d.id, proposer: run.id, itemIds: [first.image.id], minScore: e.threshold });
      expect(await ended2).toMatchObject({ done: 1, total: 1 });
      const proposed = (await h.labels.boxes({ itemIds: [first.image.id] })).filter((b) => b.status === 'proposal');
      expect(proposed.length).toBe(tried!.detection!.boxes.length);
      expect(proposed.every((b) => b.source === run.id)).toBe(true);
    } finally {
      await core.dispose();
    }
  });

  it('refuses a detector with the wrong output shape, another loss or metric, shift augmentation, and a dataset with no confirmed box; trains one with flip', { timeout: 60_000 }, async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-det-bad-'));
    const shapes = await writeShapesCoco(path.join(tmp, 'shapes'), { images: 12, size: 32, seed: 4 });
    const core = makeCore(tmp);
    const h = core.handlers;
    try {
      await h.projects.create({ dir: path.join(tmp, 'p') });
      const d = await h.datasets.importImages({ path: shapes.dir });
      const graph = await h.models.fromTemplate({ template: 'detector-grid', datasetId: d.id });
      const head = graph.nodes.at(-1)!;
      const wrong: ModelGraph = { ...graph, nodes: graph.nodes.map((n) => (n === head ? { ...n, config: { ...n.config, filters: 5 } } : n)) };
      await h.models.set({ graph: wrong });
      await expect(h.training.start({ datasetId: d.id, settings: SETTINGS })).rejects.toThrow(
        "A detector's last layer must output (rows, cols, 5 + 2 classes) = (rows, cols, 7); this one outputs (2, 2, 5)",
      );
      await h.models.set({ graph });
      await expect(h.training.start({ datasetId: d.id, settings: { ...SETTINGS, loss: 'meanSquaredError' } })).rejects.toThrow(
        'A detector trains with the grid detection loss; this run asks for meanSquaredError',
      );
      await expect(h.training.start({ datasetId: d.id, settings: { ...SETTINGS, metrics: ['accuracy'] } })).rejects.toThrow('A detector logs its loss only; this run asks for accuracy');
      await expect(h.training.start({ datasetId: d.id, settings: { ...SETTINGS, augmentation: { flip: true, shift: 0.1 } } })).rejects.toThrow(
        'A detector trains without shift augmentation (it moves the objects but not their boxes); this run asks for shift 0.1. Set shift to 0: flip, brightness and contrast are fine.',
      );
      // Flip is not refused: the trainer mirrors each flipped image's grid target with it.
      const flipped = await h.training.start({ datasetId: d.id, settings: { ...SETTINGS, epochs: 1, augmentation: { flip: true, brightness: 0.1 } }, name: 'flipped' });
      expect((await h.training.wait({ runId: flipped.id })).status).toBe('completed');

      // Every box deleted: nothing to learn from, and the message says where to fix it.
      const items = await h.labels.itemIds({ filter: { datasetId: d.id } });
      const boxes = (await h.labels.boxes({ itemIds: items })).map((b) => b.id);
      await h.labels.apply({ datasetId: d.id, op: { kind: 'deleteBoxes', ids: boxes } });
      await expect(h.training.start({ datasetId: d.id, settings: SETTINGS })).rejects.toThrow(
        "Dataset 'shapes' has no image with a class (12 images) and no confirmed box: give images a class in the Label view to train a classifier, or draw boxes, or accept proposed ones, in the Label view to train a detector",
      );
    } finally {
      await core.dispose();
    }
  });
});
