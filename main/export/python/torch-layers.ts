/**
 * Each catalog layer as a torch module of the generated script (torch-runtime.ts) and its TF.js
 * weights in torch's layout, keyed by the module's state_dict names:
 *   Dense kernel (in, out) → Linear weight (out, in); Conv kernels HWIO → OIHW (1-D: WIO → OIW);
 *   depthwise (h, w, in, mult) → (in·mult, 1, h, w); Conv2DTranspose (h, w, out, in) → (in, out, h, w);
 *   LSTM gates i,f,c,o are torch's i,f,g,o (kernel transposed, Keras's one bias in bias_ih, zeros in
 *   bias_hh); SimpleRNN likewise; cells torch has no module for (every GRU: TF.js's are
 *   reset_after = false; hard_sigmoid gates) keep Keras's layout in the script's KerasCell.
 */
import type { JsonValue } from '../../../shared/graph.js';
import type { Shape } from '../../../shared/shape.js';
import { wrappedLayer } from '../../../shared/catalog/wrappers.js';
import type { NamedWeight } from '../keras/layer-weights.js';
import { transposeValues } from '../onnx/tensor-math.js';

export type Config = Record<string, JsonValue>;

export interface TorchWeight {
  /** The state_dict key below the layer's module (`linear.weight`). */
  key: string;
  shape: number[];
  values: Float32Array;
}

export interface TorchContext {
  name: string;
  type: string;
  config: Config;
  inputShapes: Shape[];
  outputShape: Shape;
  weights: NamedWeight[];
}

export interface TorchLayer {
  /** Why this layer cannot be written as torch code, or null. */
  unsupported?(config: Config, inputShapes: Shape[]): string | null;
  /** A Python expression building the module. */
  module(ctx: TorchContext): string;
  /** The module's weights in torch's layout. */
  weights?(ctx: TorchContext): TorchWeight[];
  /** Takes a list of tensors (merges) instead of one. */
  merge?: boolean;
}

/** A JSON value as a Python literal. */
export function py(v: JsonValue | undefined): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : v > 0 ? "float('inf')" : "float('-inf')";
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(v)) return `[${v.map(py).join(', ')}]`;
  return `{${Object.entries(v).map(([k, x]) => `${py(k)}: ${py(x)}`).join(', ')}}`;
}

function get(ctx: TorchContext, local: string): NamedWeight | undefined {
  return ctx.weights.find((w) => w.local === local || w.local.endsWith(`/${local}`));
}

function need(ctx: TorchContext, local: string): NamedWeight {
  const w = get(ctx, local);
  if (!w) throw new Error(`${ctx.type} '${ctx.name}' has no weight '${local}'; it has ${ctx.weights.map((x) => x.local).join(', ') || 'none'}`);
  return w;
}

function t(w: NamedWeight, perm: number[], key: string): TorchWeight {
  const { values, shape } = transposeValues(w.values, w.shape, perm);
  return { key, shape, values };
}

const lastDim = (s: Shape | undefined): number => Number(s?.at(-1));
const ints = (c: Config, k: string): number[] => c[k] as number[];

function biasOf(ctx: TorchContext, prefix: string): TorchWeight[] {
  const b = get(ctx, 'bias');
  return b ? [{ key: `${prefix}.bias`, shape: b.shape, values: b.values }] : [];
}

const Dense: TorchLayer = {
  module: (c) => `Dense(${lastDim(c.inputShapes[0])}, ${py(c.config['units'])}, ${py(c.config['use_bias'])}, ${py(c.config['activation'])})`,
  weights: (c) => [t(need(c, 'kernel'), [1, 0], 'linear.weight'), ...biasOf(c, 'linear')],
};

function conv(rank: 1 | 2): TorchLayer {
  return {
    module: (c) =>
      `Conv(${rank}, ${lastDim(c.inputShapes[0])}, ${py(c.config['filters'])}, ${py(c.config['kernel_size'])}, ${py(c.config['strides'])}, ${py(c.config['padding'])}, ${py(c.config['dilation_rate'])}, ${py(c.config['use_bias'])}, ${py(c.config['activation'])})`,
    weights: (c) => [t(need(c, 'kernel'), rank === 1 ? [2, 1, 0] : [3, 2, 0, 1], 'conv.weight'), ...biasOf(c, 'conv')],
  };
}

const DepthwiseConv2D: TorchLayer = {
  module(c) {
    const cin = lastDim(c.inputShapes[0]);
    const mult = Number(c.config['depth_multiplier']);
    return `Conv(2, ${cin}, ${cin * mult}, ${py(c.config['kernel_size'])}, ${py(c.config['strides'])}, ${py(c.config['padding'])}, ${py(c.config['dilation_rate'] ?? [1, 1])}, ${py(c.config['use_bias'])}, ${py(c.config['activation'])}, groups=${cin})`;
  },
  weights(c) {
    // (h, w, in, mult) → output channel in·mult + m, as torch's grouped convolution orders them.
    const k = need(c, 'depthwise_kernel');
    const [h, w, cin, mult] = k.shape as [number, number, number, number];
    const { values } = transposeValues(k.values, [h, w, cin * mult], [2, 0, 1]);
    return [{ key: 'conv.weight', shape: [cin * mult, 1, h, w], values }, ...biasOf(c, 'conv')];
  },
};

const SeparableConv2D: TorchLayer = {
  module: (c) =>
    `SeparableConv2D(${lastDim(c.inputShapes[0])}, ${py(c.config['filters'])}, ${py(c.config['kernel_size'])}, ${py(c.config['strides'])}, ${py(c.config['padding'])}, ${py(c.config['dilation_rate'])}, ${py(c.config['use_bias'])}, ${py(c.config['activation'])})`,
  weights(c) {
    const d = need(c, 'depthwise_kernel');
    const [h, w, cin] = d.shape as [number, number, number];
    const depth = transposeValues(d.values, [h, w, cin], [2, 0, 1]).values;
    return [{ key: 'depthwise.weight', shape: [cin, 1, h, w], values: depth }, t(need(c, 'pointwise_kernel'), [3, 2, 0, 1], 'pointwise.weight'), ...biasOf(c, 'pointwise')];
  },
};

const Conv2DTranspose: TorchLayer = {
  module: (c) =>
    `Conv2DTranspose(${lastDim(c.inputShapes[0])}, ${py(c.config['filters'])}, ${py(c.config['kernel_size'])}, ${py(c.config['strides'])}, ${py(c.config['padding'])}, ${py(c.config['use_bias'])}, ${py(c.config['activation'])})`,
  weights(c) {
    const b = get(c, 'bias');
    return [t(need(c, 'kernel'), [3, 2, 0, 1], 'conv.weight'), ...(b ? [{ key: 'bias', shape: b.shape, values: b.values }] : [])];
  },
};

function pool(rank: number, kind: 'max' | 'average'): TorchLayer {
  return { module: (c) => `Pool(${rank}, '${kind}', ${py(c.config['pool_size'])}, ${py((c.config['strides'] as JsonValue) ?? c.config['pool_size'])}, ${py(c.config['padding'])})` };
}

const globalPool = (rank: number, kind: 'max' | 'average'): TorchLayer => ({ module: () => `GlobalPool(${rank}, '${kind}')` });

type Cell = 'LSTM' | 'GRU' | 'SimpleRNN';
const GATES: Record<Cell, number> = { LSTM: 4, GRU: 3, SimpleRNN: 1 };

/** Whether the script's Recurrent uses torch's own module for this cell (torch_cell in the runtime). */
function torchCell(cell: Cell, c: Config): boolean {
  const act = String(c['activation']);
  const rec = String(c['recurrent_activation'] ?? 'sigmoid');
  if (cell === 'LSTM') return act === 'tanh' && rec === 'sigmoid';
  if (cell === 'GRU') return false;
  return act === 'tanh' || act === 'relu';
}

function cellArgs(cell: Cell, features: number, c: Config): string {
  return `cell='${cell}', features=${features}, units=${py(c['units'])}, act=${py(c['activation'])}, rec_act=${py(c['recurrent_activation'] ?? 'sigmoid')}, bias=${py(c['use_bias'])}, reset_after=${py(c['reset_after'] === true)}, dropout=${py(c['dropout'] ?? 0)}`;
}

/** One direction's weights below `prefix` (`rnn.`): torch's layout or KerasCell's (Keras's own). */
function cellWeights(cell: Cell, c: Config, weights: NamedWeight[], prefix: string): TorchWeight[] {
  const find = (local: string) => weights.find((w) => w.local === local || w.local.endsWith(`/${local}`));
  const kernel = find('kernel');
  const recurrent = find('recurrent_kernel');
  if (!kernel || !recurrent) throw new Error(`${cell} weights are missing: found ${weights.map((w) => w.local).join(', ')}`);
  const bias = find('bias');
  if (!torchCell(cell, c)) return [kernel, recurrent, ...(bias ? [bias] : [])].map((w) => ({ key: `${prefix}${w.local.split('/').at(-1)}`, shape: w.shape, values: w.values }));
  const units = Number(c['units']);
  const gates = GATES[cell];
  // LSTM: Keras's gates i,f,c,o are torch's i,f,g,o, so the blocks keep their order.
  const torchMatrix = (w: NamedWeight, rows: number) => transposeValues(w.values, [rows, gates * units], [1, 0]).values;
  const features = kernel.shape[0]!;
  const out: TorchWeight[] = [
    { key: `${prefix}weight_ih_l0`, shape: [gates * units, features], values: torchMatrix(kernel, features) },
    { key: `${prefix}weight_hh_l0`, shape: [gates * units, units], values: torchMatrix(recurrent, units) },
  ];
  if (bias) {
    // Keras adds one bias; torch two (input and recurrent): the second stays zero.
    const n = gates * units;
    out.push({ key: `${prefix}bias_ih_l0`, shape: [n], values: bias.values.slice() });
    out.push({ key: `${prefix}bias_hh_l0`, shape: [n], values: new Float32Array(n) });
  }
  return out;
}

function recurrent(cell: Cell): TorchLayer {
  return {
    module: (c) => `Recurrent(${cellArgs(cell, Number(c.inputShapes[0]?.[2]), c.config)}, return_sequences=${py(c.config['return_sequences'])})`,
    weights: (c) => cellWeights(cell, c.config, c.weights, 'rnn.'),
  };
}

const Bidirectional: TorchLayer = {
  module: (c) =>
    `Bidirectional(${py(c.config['merge_mode'])}, ${py(c.config['return_sequences'])}, ${cellArgs(String(c.config['layer']) as Cell, Number(c.inputShapes[0]?.[2]), c.config)})`,
  weights(c) {
    const cell = String(c.config['layer']) as Cell;
    return (['forward', 'backward'] as const).flatMap((dir) =>
      cellWeights(
        cell,
        c.config,
        c.weights.filter((w) => w.local.startsWith(`${dir}_`)),
        `${dir}_layer.rnn.`,
      ),
    );
  },
};

const Embedding: TorchLayer = {
  unsupported: (c) => (c['mask_zero'] === true ? 'mask_zero = true (masked steps) has no torch equivalent in the generated code; set mask_zero to false' : null),
  module: (c) => `Embedding(${py(c.config['input_dim'])}, ${py(c.config['output_dim'])})`,
  weights: (c) => {
    const e = need(c, 'embeddings');
    return [{ key: 'embedding.weight', shape: e.shape, values: e.values }];
  },
};

function lastAxisOnly(layer: string) {
  return (c: Config, shapes: Shape[]): string | null => {
    const rank = shapes[0]?.length ?? 0;
    const axis = Number(c['axis']);
    return axis === -1 || axis === rank - 1 ? null : `axis ${axis} is not the last axis; the torch export normalizes the last axis only (${layer} on axis -1 exports)`;
  };
}

/** gamma and beta, or the 1s and 0s a layer without them computes with. */
function affine(c: TorchContext, prefix: string): TorchWeight[] {
  const n = lastDim(c.inputShapes[0]);
  const gamma = get(c, 'gamma');
  const beta = get(c, 'beta');
  return [
    { key: `${prefix}.weight`, shape: [n], values: gamma ? gamma.values : new Float32Array(n).fill(1) },
    { key: `${prefix}.bias`, shape: [n], values: beta ? beta.values : new Float32Array(n) },
  ];
}

const BatchNormalization: TorchLayer = {
  unsupported: lastAxisOnly('BatchNormalization'),
  module: (c) => `BatchNormalization(${lastDim(c.inputShapes[0])}, ${py(c.config['epsilon'])}, ${py(c.config['momentum'])}, ${py(c.config['scale'])}, ${py(c.config['center'])})`,
  weights: (c) => {
    const mean = need(c, 'moving_mean');
    const variance = need(c, 'moving_variance');
    return [
      ...affine(c, 'bn'),
      { key: 'bn.running_mean', shape: mean.shape, values: mean.values },
      { key: 'bn.running_var', shape: variance.shape, values: variance.values },
    ];
  },
};

const LayerNormalization: TorchLayer = {
  unsupported: lastAxisOnly('LayerNormalization'),
  module: (c) => `LayerNormalization(${lastDim(c.inputShapes[0])}, ${py(c.config['epsilon'])}, ${py(c.config['scale'])}, ${py(c.config['center'])})`,
  weights: (c) => affine(c, 'norm'),
};

const lambda = (body: (c: TorchContext) => string): TorchLayer => ({ module: (c) => `Lambda(lambda x: ${body(c)})` });

const UpSampling2D: TorchLayer = {
  module(c) {
    const [fh, fw] = ints(c.config, 'size');
    return c.config['interpolation'] === 'bilinear'
      ? `Lambda(lambda x: upsample_bilinear(x, ${fh}, ${fw}))`
      : `Lambda(lambda x: x.repeat_interleave(${fh}, dim=1).repeat_interleave(${fw}, dim=2))`;
  },
};

const merge = (kind: string): TorchLayer => ({ merge: true, module: (c) => `merge('${kind}'${kind === 'concat' ? `, axis=${py(c.config['axis'])}` : ''})` });

/** TimeDistributed over Dense, Conv2D or Flatten: the inner layer's module on (batch·steps, ...). */
const TimeDistributed: TorchLayer = {
  module(c) {
    const inner = wrappedLayer('TimeDistributed', c.config);
    const layer = TORCH_LAYERS[inner.spec.type]!;
    return `TimeDistributed(${layer.module({ ...c, type: inner.spec.type, config: inner.config, inputShapes: [[null, ...c.inputShapes[0]!.slice(2)]] })})`;
  },
  weights(c) {
    const inner = wrappedLayer('TimeDistributed', c.config);
    const w = TORCH_LAYERS[inner.spec.type]!.weights?.({ ...c, type: inner.spec.type, config: inner.config, inputShapes: [[null, ...c.inputShapes[0]!.slice(2)]] }) ?? [];
    return w.map((x) => ({ ...x, key: `layer.${x.key}` }));
  },
};

export const TORCH_LAYERS: Record<string, TorchLayer> = {
  Dense,
  Activation: { module: (c) => `Activation(${py(c.config['activation'])})` },
  Embedding,
  Conv1D: conv(1),
  Conv2D: conv(2),
  SeparableConv2D,
  DepthwiseConv2D,
  Conv2DTranspose,
  MaxPooling1D: pool(1, 'max'),
  MaxPooling2D: pool(2, 'max'),
  AveragePooling1D: pool(1, 'average'),
  AveragePooling2D: pool(2, 'average'),
  GlobalAveragePooling1D: globalPool(1, 'average'),
  GlobalAveragePooling2D: globalPool(2, 'average'),
  GlobalMaxPooling1D: globalPool(1, 'max'),
  GlobalMaxPooling2D: globalPool(2, 'max'),
  LSTM: recurrent('LSTM'),
  GRU: recurrent('GRU'),
  SimpleRNN: recurrent('SimpleRNN'),
  Bidirectional,
  TimeDistributed,
  BatchNormalization,
  LayerNormalization,
  Dropout: { module: (c) => `nn.Dropout(${py(c.config['rate'])})` },
  SpatialDropout1D: { module: (c) => `SpatialDropout(${py(c.config['rate'])})` },
  SpatialDropout2D: { module: (c) => `SpatialDropout(${py(c.config['rate'])})` },
  Flatten: lambda(() => 'x.flatten(1)'),
  Reshape: lambda((c) => `x.reshape(x.shape[0], ${ints(c.config, 'target_shape').join(', ')})`),
  Permute: lambda((c) => `x.permute(0, ${ints(c.config, 'dims').join(', ')})`),
  RepeatVector: lambda((c) => `x.unsqueeze(1).repeat(1, ${py(c.config['n'])}, 1)`),
  UpSampling2D,
  ZeroPadding2D: lambda((c) => {
    const [top, bottom, left, right] = ints(c.config, 'padding');
    return `F.pad(x, [0, 0, ${left}, ${right}, ${top}, ${bottom}])`;
  }),
  Cropping2D: lambda((c) => {
    const [top, bottom, left, right] = ints(c.config, 'cropping');
    return `x[:, ${top}:x.shape[1] - ${bottom}, ${left}:x.shape[2] - ${right}]`;
  }),
  Concatenate: merge('concat'),
  Add: merge('add'),
  Subtract: merge('subtract'),
  Multiply: merge('multiply'),
  Average: merge('average'),
  Maximum: merge('maximum'),
  Minimum: merge('minimum'),
  Rescaling: lambda((c) => `x * ${py(c.config['scale'])} + ${py(c.config['offset'])}`),
};
