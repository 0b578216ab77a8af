/**
 * What an export's report and parity checks need from a run: its prepared tabular data (when the
 * dataset is a table), the sample inputs the formats are compared on (rows of the test split, or
 * seeded random inputs of the right shapes), and the report's description of the run.
 */
import type { Run } from '../../shared/training.js';
import type { ModelGraph } from '../../shared/graph.js';
import type { DatasetConfig } from '../../shared/dataset.js';
import { analyzeGraph } from '../../shared/catalog/analyze.js';
import { modelDataFit } from '../../shared/model-fit.js';
import { mulberry32 } from '../../shared/random.js';
import { prepareTabular, type PreparedTabular } from '../importers/csv/prepare.js';
import type { ParityTensor } from '../jobs/messages.js';
import type { ReportSubject } from '../export/report.js';
import type { TabularExport } from '../export/python/index.js';
import type { CoreContext } from '../core.js';
import type { ImageModelMetadata } from '../export/metadata.js';
import { datasetCsvPath } from './datasets.js';

/** Samples the formats are compared on. */
export const PARITY_SAMPLES = 16;

type Store = ReturnType<CoreContext['requireStore']>;

/** The run's data prepared as it trained (its stored config), or null when its dataset is not a table. */
export async function preparedData(store: Store, run: Run): Promise<PreparedTabular | null> {
  const dataset = store.getDataset(run.datasetId);
  if (dataset.kind !== 'tabular') return null;
  const config = (store.getRunPrep(run.id) as { config?: DatasetConfig } | null)?.config ?? dataset.config;
  return prepareTabular(datasetCsvPath(store.mediaDir, dataset), dataset.profile, config);
}

/** The model's feeds from the data (model input order), or null when the data no longer fits the graph. */
function feedsOf(graph: ModelGraph, data: PreparedTabular) {
  const { feeds, problems } = modelDataFit(graph, { inputs: data.inputs, outputUnits: data.outputUnits });
  return problems.length === 0 && feeds.length > 0 ? feeds : null;
}

export function tabularExport(graph: ModelGraph, data: PreparedTabular): TabularExport | null {
  const feeds = feedsOf(graph, data);
  const task = data.pre.target.task;
  if (!feeds || task === 'detection') return null;
  return {
    inputs: feeds,
    outputUnits: data.outputUnits,
    splits: { train: data.train, validation: data.validation, test: data.test },
    task,
    target: data.pre.target.column,
    ...(data.pre.target.classes ? { classes: data.pre.target.classes } : {}),
    preprocessing: data.pre,
  };
}

/** Up to PARITY_SAMPLES rows of the test split (else validation, else train), or seeded random inputs. */
export function sampleInputs(graph: ModelGraph, data: PreparedTabular | null): { inputs: ParityTensor[]; source: 'test split' | 'seeded random' } {
  const feeds = data ? feedsOf(graph, data) : null;
  const split = data ? [data.test, data.validation, data.train].find((s) => s.count > 0) : undefined;
  if (feeds && split) {
    const n = Math.min(PARITY_SAMPLES, split.count);
    return {
      source: 'test split',
      inputs: feeds.map((f) => {
        const size = f.shape.reduce((a, b) => a * b, 1);
        return { name: f.name, shape: [n, ...f.shape], values: split.xs[f.dataIndex]!.slice(0, n * size) };
      }),
    };
  }
  const random = mulberry32(1);
  const n = 4;
  return {
    source: 'seeded random',
    inputs: analyzeGraph(graph).inputs.map((id) => {
      const node = graph.nodes.find((x) => x.id === id)!;
      const shape = [n, ...(node.config['shape'] as number[])];
      const count = shape.reduce((a, b) => a * b, 1);
      // Inputs feeding an Embedding take whole ids below its vocabulary size.
      const embedding = graph.edges.filter((e) => e.source === id).map((e) => graph.nodes.find((x) => x.id === e.target)).find((x) => x?.type === 'Embedding');
      const ids = embedding ? Number(embedding.config['input_dim'] ?? 1) : 0;
      return { name: node.name, shape, values: Float32Array.from({ length: count }, () => (ids ? Math.floor(random() * ids) : random() * 2 - 1)) };
    }),
  };
}

/** `image`: an image model's metadata (its task, classes, input preprocessing, a detector's threshold), null for a table's. */
export function reportSubject(store: Store, run: Run, format: ReportSubject['format'], data: PreparedTabular | null, image: ImageModelMetadata | null = null): ReportSubject {
  const dataset = store.getDataset(run.datasetId);
  const analysis = analyzeGraph(run.graph);
  const named = (id: string) => run.graph.nodes.find((n) => n.id === id)!.name;
  const pre = data?.pre ?? (store.getRunPrep(run.id) as { preprocessing?: PreparedTabular['pre'] } | null)?.preprocessing ?? null;
  return {
    format,
    run: { id: run.id, name: run.name, epochsDone: run.epochsDone, ...(run.endedAt ? { endedAt: run.endedAt } : {}), ...(run.finalLogs ? { finalLogs: run.finalLogs } : {}) },
    dataset: { name: dataset.name, kind: dataset.kind, sourceName: dataset.sourceName },
    ...(image
      ? { task: image.task, classes: image.classes, ...(image.task === 'detection' ? { threshold: { value: image.threshold, source: image.thresholdSource } } : {}) }
      : pre
        ? { task: pre.target.task, target: pre.target.column, ...(pre.target.classes ? { classes: pre.target.classes } : {}) }
        : {}),
    preprocessing: image ? { image: image.input, ...(image.task === 'detection' ? { head: image.head } : {}) } : pre,
    inputs: analysis.inputs.map((id) => ({ name: named(id), shape: analysis.nodes[id]!.outputShape!.slice(1) })),
    outputs: analysis.outputs.map((id) => ({ name: named(id), shape: analysis.nodes[id]!.outputShape!.slice(1) })),
  };
}
