/**
 * Every problem that stops a model from training on the chosen dataset, each on the layer that
 * causes it: the graph's own (shapes, cycles, loose layers) and, once those are fixed, whether it
 * fits the dataset and the loss. The Model view flags them on the canvas; Train lists them.
 */
import { modelDataFit, type FitProblem } from '../../../shared/model-fit.js';
import type { GraphAnalysis } from '../../../shared/catalog/types.js';
import type { FeatureLayout } from '../../../shared/dataset.js';
import type { ModelGraph } from '../../../shared/graph.js';
import { LOSSES, type Loss } from '../../../shared/training.js';

/**
 * The loss a run will use: Train switches a classification dataset to cross-entropy, a regression
 * one away from it, and a detection dataset to the grid loss (the only one a detector trains with).
 */
export function effectiveLoss(task: FeatureLayout['task'] | undefined, loss: Loss): Loss {
  const xent = loss === 'categoricalCrossentropy' || loss === 'binaryCrossentropy';
  if (task === 'detection') return 'gridDetection';
  if (task === 'classification' && !xent) return 'categoricalCrossentropy';
  if (task === 'regression' && (xent || loss === 'gridDetection')) return 'meanAbsoluteError';
  return loss;
}

/** The losses offered for a task: the grid loss for detection alone, and only there. */
export function lossesFor(task: FeatureLayout['task'] | undefined): readonly Loss[] {
  if (task === 'detection') return ['gridDetection'];
  return LOSSES.filter((l) => l !== 'gridDetection');
}

export function modelProblems(graph: ModelGraph, analysis: GraphAnalysis, layout: FeatureLayout | null, loss: Loss): FitProblem[] {
  if (!analysis.valid || !layout) return analysis.problems;
  return modelDataFit(graph, layout, effectiveLoss(layout.task, loss), analysis).problems;
}

/** Problems by layer, for drawing them on the canvas (graph-wide ones have no layer). */
export function problemsByNode(problems: FitProblem[]): Record<string, { message: string; hint?: string }> {
  const out: Record<string, { message: string; hint?: string }> = {};
  for (const p of problems) if (p.nodeId && !out[p.nodeId]) out[p.nodeId] = { message: p.message, ...(p.hint ? { hint: p.hint } : {}) };
  return out;
}
