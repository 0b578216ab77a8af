/**
 * The export api: every format writes its files, then measures parity (export-parity.ts) and
 * writes export-report.json + EXPORT.md beside them (main/export/report.ts).
 */
import path from 'node:path';
import type { ApiHandlers } from '../../shared/api/index.js';
import type { ExportFormat, ExportResult, ParityCheck } from '../../shared/api/export.js';
import type { ModelGraph } from '../../shared/graph.js';
import { AppError } from '../../shared/errors.js';
import { analyzeGraph } from '../../shared/catalog/analyze.js';
import type { CoreContext } from '../core.js';
import { writeTfjsModel } from '../export/tfjs.js';
import { writeKerasModel } from '../export/keras/index.js';
import { onnxSupport, writeOnnxModel } from '../export/onnx/index.js';
import { pythonSupport, writePythonExport } from '../export/python/index.js';
import { writeExportReport } from '../export/report.js';
import { preparedData, reportSubject, sampleInputs, tabularExport } from './export-samples.js';
import { kerasParity, onnxParity, tfjsParity, torchParity } from './export-parity.js';

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'model';
}

export function exportHandlers(ctx: CoreContext): ApiHandlers['export'] {
  /** Writes one format's files with `write`, measures its parity, writes the report. */
  async function exportRun(
    runId: string,
    dir: string | undefined,
    format: ExportFormat,
    write: (x: { out: string; name: string; run: ReturnType<typeof trained>['run']; weights: ReturnType<typeof trained>['weights']; data: Awaited<ReturnType<typeof preparedData>> }) => Promise<{ files: string[]; parity: (s: ReturnType<typeof sampleInputs>) => Promise<ParityCheck[]> }>,
  ): Promise<ExportResult> {
    const { run, weights, store } = trained(runId);
    const out = path.resolve(dir ?? path.join(store.dir, 'exports', `${safeName(run.name)}-${format}`));
    const data = await preparedData(store, run).catch(() => null);
    const { files, parity } = await write({ out, name: safeName(run.name), run, weights, data });
    const checks = await parity(sampleInputs(run.graph, data));
    const { report, files: reportFiles } = await writeExportReport(out, reportSubject(store, run, format, data), checks, files);
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
        const pre = data?.pre ?? (ctx.requireStore().getRunPrep(runId) as { preprocessing?: unknown } | null)?.preprocessing;
        const files = await writeTfjsModel(out, weights, {
          format: 'layerbench-tfjs',
          version: 1,
          run: { id: run.id, name: run.name, endedAt: run.endedAt, finalLogs: run.finalLogs },
          dataset: { name: dataset.name, sourceName: dataset.sourceName, sha256: dataset.sha256 },
          preprocessing: pre ?? null,
          inputShape: inputs[0]?.shape ?? [],
          inputs,
        });
        return { files, parity: async (s) => [await tfjsParity(ctx, weights, out, s, run.backend?.name ?? 'auto')] };
      }),
    keras: ({ runId, dir }) =>
      exportRun(runId, dir, 'keras', async ({ out, name, run, weights }) => {
        const files = await writeKerasModel(out, weights, { name, graph: run.graph });
        return { files, parity: async () => [await kerasParity(files[0]!, files[1]!, weights, run.graph)] };
      }),
    onnx: ({ runId, dir }) =>
      exportRun(runId, dir, 'onnx', async ({ out, name, run, weights }) => {
        const { file } = await writeOnnxModel(path.join(out, `${name}.onnx`), weights, run.graph, { name: run.name });
        return { files: [file], parity: async (s) => [await onnxParity(ctx, weights, file, s, run.backend?.name ?? 'auto')] };
      }),
    python: ({ runId, dir }) =>
      exportRun(runId, dir, 'python', async ({ out, name, run, weights, data }) => {
        const arrays = data ? tabularExport(run.graph, data) : null;
        const noDataReason = data ? "the run's dataset no longer fits the model's inputs" : "the run's dataset is not a table (image datasets are not exported with the code yet)";
        const r = await writePythonExport(out, { name, title: run.name, graph: run.graph, artifacts: weights, settings: run.settings, ...(arrays ? { data: arrays } : { noDataReason }) });
        return {
          files: r.files,
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
