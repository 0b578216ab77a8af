/**
 * Wrappers hold another layer. In the graph they stay one flat node: `layer` names the wrapped
 * type and its parameters sit beside the wrapper's own. Keras JSON nests them instead
 * ({layer: {class_name, config}}); shared/keras.ts converts between the two.
 */
import type { JsonValue } from '../graph.js';
import { formatShape, type Shape } from '../shape.js';
import type { LayerSpec, ParamSpec } from './types.js';
import { ShapeError } from './types.js';
import { known, needRank, only, perSample, reshapeHint, str, type Config } from './common.js';
import { Dense } from './core.js';
import { Conv2D } from './convolution.js';
import { Flatten } from './reshaping.js';
import { GRU, LSTM, SimpleRNN } from './recurrent.js';

/** The layers each wrapper can hold. */
export const WRAPPABLE: Record<string, LayerSpec[]> = {
  Bidirectional: [LSTM, GRU, SimpleRNN],
  TimeDistributed: [Dense, Conv2D, Flatten],
};

/** The wrapped layer's spec and its own config (the keys its spec knows), from a wrapper's full config. */
export function wrappedLayer(wrapper: string, config: Config): { spec: LayerSpec; config: Config } {
  const type = str(config, 'layer');
  const spec = WRAPPABLE[wrapper]?.find((s) => s.type === type);
  if (!spec) throw new Error(`${wrapper} cannot wrap a ${type}`);
  const own: Record<string, JsonValue> = {};
  for (const p of spec.params) own[p.name] = p.name in config ? config[p.name]! : p.default;
  return { spec, config: own };
}

/**
 * The parameters of several layers as one flat list. A parameter not all of them have says which
 * ones it is for (onlyWhen), so a form can hide it. Shared names must agree on type and default.
 */
function unionParams(wrapper: string, specs: LayerSpec[]): ParamSpec[] {
  const merged = new Map<string, { p: ParamSpec; owners: string[] }>();
  for (const spec of specs) {
    for (const p of spec.params) {
      const seen = merged.get(p.name);
      if (!seen) merged.set(p.name, { p, owners: [spec.type] });
      else if (seen.p.type !== p.type || JSON.stringify(seen.p.default) !== JSON.stringify(p.default))
        throw new Error(`${wrapper}: parameter '${p.name}' differs between ${seen.owners.join(', ')} and ${spec.type}`);
      else seen.owners.push(spec.type);
    }
  }
  return [...merged.values()].map(({ p, owners }) =>
    owners.length === specs.length ? p : { ...p, onlyWhen: { param: 'layer', values: owners }, doc: `${p.doc} (${owners.join(' and ')} only.)` },
  );
}

function layerParam(wrapper: string, doc: string): ParamSpec {
  const options = WRAPPABLE[wrapper]!.map((s) => s.type);
  return { name: 'layer', type: 'enum', default: options[0]!, options, doc };
}

export const Bidirectional: LayerSpec = {
  type: 'Bidirectional',
  group: 'Recurrent',
  doc: 'Runs a recurrent layer forwards and backwards over the sequence and merges the two.',
  params: [
    layerParam('Bidirectional', 'The recurrent layer run in both directions.'),
    ...unionParams('Bidirectional', WRAPPABLE['Bidirectional']!),
    {
      name: 'merge_mode',
      type: 'enum',
      default: 'concat',
      options: ['concat', 'sum', 'mul', 'ave'],
      doc: "How the two directions are combined: 'concat' doubles the units; 'sum', 'mul' and 'ave' keep them.",
    },
  ],
  inputs: { min: 1, max: 1 },
  outputShape(inputs, config) {
    const s = only(inputs);
    needRank('Bidirectional', s, 3, '(batch, steps, features)');
    known('Bidirectional', s, 2, 'number of features');
    const inner = wrappedLayer('Bidirectional', config);
    const out = [...inner.spec.outputShape(inputs, inner.config)];
    if (str(config, 'merge_mode') === 'concat') out[out.length - 1] = out.at(-1)! * 2;
    return out;
  },
  paramCount(inputs, config) {
    const inner = wrappedLayer('Bidirectional', config);
    const one = inner.spec.paramCount(inputs, inner.config);
    return { trainable: 2 * one.trainable, nonTrainable: 2 * one.nonTrainable };
  },
  // Both directions, plus one operation per output value to merge them unless they are concatenated.
  flops(inputs, output, config) {
    const inner = wrappedLayer('Bidirectional', config);
    const one = inner.spec.flops(inputs, inner.spec.outputShape(inputs, inner.config), inner.config);
    return 2 * one + (str(config, 'merge_mode') === 'concat' ? 0 : perSample(output));
  },
};

/** One time step's shape: the input without its steps axis. */
function stepShape(s: Shape): Shape {
  return [s[0]!, ...s.slice(2)];
}

/** Runs the wrapped rule on one step, naming the wrapper in any error. */
function onEachStep<T>(s: Shape, inner: LayerSpec, rule: () => T): T {
  try {
    return rule();
  } catch (e) {
    // The wrapped layer's hint (a Reshape before it) would be wrong here: it sees one step.
    if (e instanceof ShapeError) throw new ShapeError(`TimeDistributed applies ${inner.type} to each step of ${formatShape(s)}, and ${e.message}`);
    throw e;
  }
}

export const TimeDistributed: LayerSpec = {
  type: 'TimeDistributed',
  group: 'Core',
  doc: 'Applies the same layer (same weights) to every step of a sequence.',
  params: [layerParam('TimeDistributed', 'The layer applied to each step.'), ...unionParams('TimeDistributed', WRAPPABLE['TimeDistributed']!)],
  inputs: { min: 1, max: 1 },
  outputShape(inputs, config) {
    const s = only(inputs);
    if (s.length < 3) throw new ShapeError(`TimeDistributed needs at least a 3-D input (batch, steps, ...); got ${formatShape(s)}`, reshapeHint(s, 3));
    const inner = wrappedLayer('TimeDistributed', config);
    const step = onEachStep(s, inner.spec, () => inner.spec.outputShape([stepShape(s)], inner.config));
    return [s[0]!, s[1]!, ...step.slice(1)];
  },
  paramCount(inputs, config) {
    const s = only(inputs);
    const inner = wrappedLayer('TimeDistributed', config);
    return onEachStep(s, inner.spec, () => inner.spec.paramCount([stepShape(s)], inner.config));
  },
  // The wrapped layer's cost, once per step.
  flops(inputs, output, config) {
    const s = only(inputs);
    const inner = wrappedLayer('TimeDistributed', config);
    return (s[1] ?? 1) * inner.spec.flops([stepShape(s)], stepShape(output), inner.config);
  },
};

export const WRAPPER_LAYERS: LayerSpec[] = [Bidirectional, TimeDistributed];
