/**
 * The Train view's line about what the model is fed. An image input's shape in the dataset's
 * layout is only the template's default: training resizes every image to the model's own Input,
 * so for images the line shows the Input's shape as the graph has it now.
 */
import type { FeatureLayout } from '../../../shared/dataset.js';
import type { ModelGraph } from '../../../shared/graph.js';

function inputShape(graph: ModelGraph | null | undefined, name: string): number[] | null {
  const inputs = (graph?.nodes ?? []).filter((n) => n.type === 'Input');
  const node = inputs.length === 1 ? inputs[0] : inputs.find((n) => n.name === name);
  const shape = node?.config['shape'];
  return Array.isArray(shape) && shape.every((v) => typeof v === 'number') ? (shape as number[]) : null;
}

export function trainInputsLine(layout: FeatureLayout, graph: ModelGraph | null | undefined): string {
  const shapeOf = (i: FeatureLayout['inputs'][number]) => (i.image ? (inputShape(graph, i.name) ?? i.shape) : i.shape);
  const fmt = (shape: readonly number[]) => `(${['batch', ...shape].join(', ')})`;
  const inputs =
    layout.inputs.length > 1
      ? layout.inputs.map((i) => `${i.name} ${fmt(shapeOf(i))}`).join(' + ')
      : `input ${fmt(layout.inputs[0] ? shapeOf(layout.inputs[0]) : layout.inputShape)}${layout.inputs[0]?.image ? ', images resized to it' : ''}`;
  return `${inputs} · ${layout.task}${layout.classes ? `, ${layout.classes.length} classes` : ''}`;
}
