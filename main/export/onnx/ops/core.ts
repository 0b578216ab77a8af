/** Dense, Activation, Embedding, Rescaling and the dropouts (identity at inference). */
import { applyActivation, isExportableActivation } from '../activations.js';
import type { Config, LayerContext, LayerConverter } from './types.js';
import { optionalWeight, weight } from './types.js';

export function activationReason(config: Config, key = 'activation'): string | null {
  const a = config[key];
  return typeof a === 'string' && !isExportableActivation(a) ? `activation '${a}' has no ONNX mapping` : null;
}

/** x·kernel + bias on the last axis (MatMul broadcasts over the leading axes), then the activation. */
export function denseNodes(ctx: LayerContext, x: string): string {
  const { b, name } = ctx;
  const k = weight(ctx, 'kernel');
  let y = b.op('MatMul', [x, b.floats(`${name}/kernel`, k.values, k.shape)], {}, `${name}/matmul`);
  const bias = optionalWeight(ctx, 'bias');
  if (bias) y = b.op('Add', [y, b.floats(`${name}/bias`, bias.values, bias.shape)], {}, `${name}/bias_add`);
  return applyActivation(b, y, String(ctx.config['activation']), `${name}/${String(ctx.config['activation'])}`);
}

const Dense: LayerConverter = {
  unsupported: (c) => activationReason(c),
  convert: (ctx) => denseNodes(ctx, ctx.inputs[0]!),
};

const Activation: LayerConverter = {
  unsupported: (c) => activationReason(c),
  convert: (ctx) => {
    const a = String(ctx.config['activation']);
    return a === 'linear' ? ctx.b.op('Identity', [ctx.inputs[0]!], {}, ctx.name) : applyActivation(ctx.b, ctx.inputs[0]!, a, ctx.name);
  },
};

const Embedding: LayerConverter = {
  // With mask_zero, TF.js skips id-0 steps in later recurrent layers; ONNX's ops cannot skip steps.
  unsupported: (c) => (c['mask_zero'] === true ? 'mask_zero = true (masked steps) has no ONNX equivalent; set mask_zero to false' : null),
  convert: (ctx) => {
    const { b, name } = ctx;
    const table = weight(ctx, 'embeddings');
    // The model's inputs are float32, as in the app; ids are truncated to integers as TF.js does.
    const ids = b.op('Cast', [ctx.inputs[0]!], { to: { i: 7 } }, `${name}/ids`);
    return b.op('Gather', [b.floats(`${name}/embeddings`, table.values, table.shape), ids], { axis: { i: 0 } }, name);
  },
};

const Identity: LayerConverter = { convert: (ctx) => ctx.b.op('Identity', [ctx.inputs[0]!], {}, ctx.name) };

const Rescaling: LayerConverter = {
  convert: (ctx) => {
    const { b, name, config } = ctx;
    const scaled = b.op('Mul', [ctx.inputs[0]!, b.floats(`${name}/scale`, [Number(config['scale'])], [])], {}, `${name}/scaled`);
    return b.op('Add', [scaled, b.floats(`${name}/offset`, [Number(config['offset'])], [])], {}, name);
  },
};

export const CORE_CONVERTERS: Record<string, LayerConverter> = {
  Dense,
  Activation,
  Embedding,
  Dropout: Identity,
  SpatialDropout1D: Identity,
  SpatialDropout2D: Identity,
  Rescaling,
};
