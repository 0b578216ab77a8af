/**
 * The export api: every format writes its files, then measures parity (export-parity.ts) and
 * writes export-report.json + EXPORT.md beside them (main/export/report.ts).
 */
import path from 'node:path';
import type { ApiHandlers } from '../../shared/api/index.js';
import type { ExportFormat, ExportReport, ExportResult, ParityCheck } from '../../shared/api/export.js';
import type { ModelGraph } from '../../shared/graph.js';
import { AppError } from '../../shared/errors.js';
import { analyzeGraph } from '../../shared/catalog/analyze.js';
import type { CoreContext } from '../core.js';
import { writeTfjsModel } from '../export/tfjs.js';
import { writeKerasModel } from '../export/keras/index.js';
import { onnxSupport, writeOnnxModel } from '../export/onnx/index.js';
import { pythonSupport, writePythonExport, type PythonDataSummary, type PythonExportInput } from '../export/python/index.js';
import { writeExportReport } from '../export/report.js';
import { preparedData, reportSubject, sampleInputs, tabularExport } from './export-samples.js';
import { detectionCocoExport, imageArraysExport, imageModelMetadata, imageSamples } from './export-images.js';
import { kerasParity, onnxParity, tfjsParity, torchParity } from './export-parity.js';

/** The report's line on what data/ holds. */
function dataReport(d: PythonDataSummary): NonNullable<ExportReport['data']> {
  if (d.format === 'none') return { format: 'none', reason: d.reason };
  const { train, validation, test } = d.counts;
  const counts = `${train} train, ${validation} validation, ${test} test`;
  if (d.format === 'coco') return { format: 'coco', summary: `COCO in data/: annotations/instances_<split>.json and images/<split>/, ${counts} images, ${d.boxes} confirmed boxes` };
  return d.kind === 'images'
    ? { format: 'arrays', summary: `.npy arrays in data/: the images as training decoded them (uint8, divided by 255 per batch), one-hot classes, splits; ${counts} images` }
    : { format: 'arrays', summary: `.npy arrays in data/: the prepared inputs and targets, splits; ${counts} samples` };
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'model';
}

export function exportHandlers(ctx: CoreContext): ApiHandlers['export'] {
  /** Writes one format's files with `write`, measures its parity, writes the report. */
  async function exportRun(
    runId: string,
    dir: string | undefined,
    format: ExportFormat,
    write: (x: { out: string; name: string; run: ReturnType<typeof trained>['run']; weights: ReturnType<typeof trained>['weights']; data: Awaited<ReturnType<typeof preparedData>> }) => Promise<{ files: string[]; parity: (s: ReturnType<typeof sampleInputs>) => Promise<ParityCheck[]>; data?: ExportReport['data'] }>,
  ): Promise<ExportResult> {
    const { run, weights, store } = trained(runId);
    const out = path.resolve(dir ?? path.join(store.dir, 'exports', `${safeName(run.name)}-${format}`));
    const data = await preparedData(store, run).catch(() => null);
    const written = await write({ out, name: safeName(run.name), run, weights, data });
    // An image run is compared on its own test images (decoded as training decoded them), else on seeded random ones.
    const image = store.getDataset(run.datasetId).kind === 'images';
    const samples = image ? await imageSamples(ctx, store, run).catch(() => sampleInputs(run.graph, null)) : sampleInputs(run.graph, data);
    const checks = await written.parity(samples);
    const subject = { ...reportSubject(store, run, format, data, imageModelMetadata(store, run)), ...(written.data ? { data: written.data } : {}) };
    const files = written.files;
    const { report, files: reportFiles } = await writeExportReport(out, subject, checks, files);
    return { dir: out, files: [...files, ...reportFiles], report };
  }

  /** A finished run with its weights. */
  function trained(runId: string) {
    const store = ctx.requireStore();
    const run = store.getRun(runId);
    const weights = store.getWeights(runId);
    if (!weights) throw new AppError('RUN_NOT_FINISHED', `Run '${run.name}' has no trained weights to export (status: ${run.status}).`);
    return { store, run, weights };
  }

  /** The dataset part of a Python export: a table's arrays, an image classifier's decoded images, or a detector's COCO. */
  async function pythonData(run: ReturnType<typeof trained>['run'], data: Awaited<ReturnType<typeof preparedData>>): Promise<Partial<PythonExportInput>> {
    const store = ctx.requireStore();
    const image = imageModelMetadata(store, run);
    if (image?.task === 'detection') return { ...detectionCocoExport(store, run, image), layerbench: { ...image } };
    if (image) {
      const imageData = await imageArraysExport(ctx, store, run).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
      return imageData instanceof Error ? { noDataReason: `the images could not be prepared: ${imageData.message}`, layerbench: { ...image } } : { imageData, layerbench: { ...image } };
    }
    const arrays = data ? tabularExport(run.graph, data) : null;
    return arrays ? { data: arrays } : { noDataReason: data ? "the run's dataset no longer fits the model's inputs" : "the run's dataset could not be read" };
  }

  // The api's graph schema types config values as unknown; analyzeGraph checks them as any edited graph.
  const graphOf = (input: { runId: string } | { graph: unknown }): ModelGraph => ('graph' in input ? (input.graph as ModelGraph) : ctx.requireStore().getRun(input.runId).graph);

  return {
    tfjs: ({ runId, dir }) =>
      exportRun(runId, dir, 'tfjs', async ({ out, run, weights, data }) => {
        const dataset = ctx.requireStore().getDataset(run.datasetId);
        // The shapes the model takes per sample (a template may add an axis of size 1), in the model's input order.
        const inputs = analyzeGraph(run.graph).inputs.map((id) => {
          const node = run.graph.nodes.find((n) => n.id === id)!;
          return { name: node.name, shape: Array.isArray(node.config.shape) ? (node.config.shape as number[]) : [] };
        });
        const image = imageModelMetadata(ctx.requireStore(), run);
        const pre = data?.pre ?? (ctx.requireStore().getRunPrep(runId) as { preprocessing?: unknown } | null)?.preprocessing;
        const files = await writeTfjsModel(out, weights, {
          format: 'layerbench-tfjs',
          version: 1,
          run: { id: run.id, name: run.name, endedAt: run.endedAt, finalLogs: run.finalLogs },
          dataset: { name: dataset.name, sourceName: dataset.sourceName, sha256: dataset.sha256 },
          preprocessing: image ? image.input : (pre ?? null),
          inputShape: inputs[0]?.shape ?? [],
          inputs,
          ...(image ? { image } : {}),
        });
        return { files, parity: async (s) => [await tfjsParity(ctx, weights, out, s, run.backend?.name ?? 'auto')] };
      }),
    keras: ({ runId, dir }) =>
      exportRun(runId, dir, 'keras', async ({ out, name, run, weights }) => {
        const image = imageModelMetadata(ctx.requireStore(), run);
        const files = await writeKerasModel(out, weights, { name, graph: run.graph, ...(image ? { layerbench: { ...image } } : {}) });
        return { files, parity: async () => [await kerasParity(files[0]!, files[1]!, weights, run.graph)] };
      }),
    onnx: ({ runId, dir }) =>
      exportRun(runId, dir, 'onnx', async ({ out, name, run, weights }) => {
        const { file } = await writeOnnxModel(path.join(out, `${name}.onnx`), weights, run.graph, { name: run.name });
        return { files: [file], parity: async (s) => [await onnxParity(ctx, weights, file, s, run.backend?.name ?? 'auto')] };
      }),
    python: ({ runId, dir }) =>
      exportRun(runId, dir, 'python', async ({ out, name, run, weights, data }) => {
        const r = await writePythonExport(out, { name, title: run.name, graph: run.graph, artifacts: weights, settings: run.settings, ...(await pythonData(run, data)) });
        return {
          files: r.files,
          data: dataReport(r.data),
          parity: async (s) => [await torchParity(ctx, weights, out, s, run.backend?.name ?? 'auto'), await kerasParity(r.kerasFiles[0]!, r.kerasFiles[1]!, weights, run.graph)],
        };
      }),
    async onnxSupport(input) {
      return onnxSupport(graphOf(input));
    },
    async pythonSupport(input) {
      return pythonSupport(graphOf(input));
    },
  };
}
