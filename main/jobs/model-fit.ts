import { AppError } from '../../shared/errors.js';
import { analyzeGraph } from '../../shared/catalog/analyze.js';
import { modelDataFit, type DataShape, type InputFeed } from '../../shared/model-fit.js';
import type { ModelGraph } from '../../shared/graph.js';
import type { Loss } from '../../shared/training.js';

export type { InputFeed } from '../../shared/model-fit.js';

/**
 * The model's inputs and output must match what the dataset gives, or training would fail deep
 * inside TF.js: the rules are shared/model-fit.ts, which the graph editor shows as the user edits.
 * Throws the first problem (with its fix); returns the feeds in the model's input order.
 */
export function checkModelFitsData(graph: ModelGraph, data: DataShape['inputs'], outputUnits: number, loss?: Loss, task?: DataShape['task']): InputFeed[] {
  const a = analyzeGraph(graph);
  if (!a.valid) throw new AppError('GRAPH_INVALID', `The model is not valid: ${a.problems[0]?.message ?? 'unknown problem'}`);
  const { feeds, problems } = modelDataFit(graph, { inputs: data, outputUnits, ...(task ? { task } : {}) }, loss, a);
  const first = problems[0];
  if (first) throw new AppError('GRAPH_INVALID', first.hint ? `${first.message}. ${first.hint}` : `${first.message}.`, { problems });
  return feeds;
}
