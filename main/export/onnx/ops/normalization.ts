/**
 * BatchNormalization at inference is a per-channel scale and shift: the moving statistics are
 * folded into two constants (scale = gamma / sqrt(var + eps), shift = beta - mean · scale) that
 * broadcast over the channels-last tensor, so no transpose is needed for any axis.
 * LayerNormalization maps to ONNX's own op (opset 17), which normalizes from its axis to the last.
 */
import type { LayerConverter } from './types.js';
import { optionalWeight, weight } from './types.js';

const BatchNormalization: LayerConverter = {
  // TF.js 4.22 applies the statistics of a BatchNormalization on another axis as if they were on
  // the last one (they cycle over the flattened values, on cpu and wasm alike): the app's model
  // computes something no faithful ONNX graph would, so it is refused rather than exported unequal.
  unsupported(config, inputShapes) {
    const rank = inputShapes[0]?.length ?? 0;
    const axis = Number(config['axis']);
    return axis === -1 || axis === rank - 1
      ? null
      : `axis ${axis} is not the last axis, and TF.js 4.22 computes such a layer wrongly, so no export can match it; use axis -1`;
  },
  convert(ctx) {
    const { b, name, config } = ctx;
    const rank = ctx.inputShapes[0]!.length;
    const axis = Number(config['axis']) < 0 ? rank + Number(config['axis']) : Number(config['axis']);
    const mean = weight(ctx, 'moving_mean').values;
    const variance = weight(ctx, 'moving_variance').values;
    const gamma = optionalWeight(ctx, 'gamma')?.values;
    const beta = optionalWeight(ctx, 'beta')?.values;
    const eps = Number(config['epsilon']);
    const c = mean.length;
    const scale = new Float32Array(c);
    const shift = new Float32Array(c);
    for (let i = 0; i < c; i++) {
      scale[i] = (gamma ? gamma[i]! : 1) / Math.sqrt(variance[i]! + eps);
      shift[i] = (beta ? beta[i]! : 0) - mean[i]! * scale[i]!;
    }
    // Shaped (c, 1, ..., 1) so it broadcasts along `axis` of the (batch, ...) input.
    const dims = [c, ...Array<number>(rank - 1 - axis).fill(1)];
    const scaled = b.op('Mul', [ctx.inputs[0]!, b.floats(`${name}/scale`, scale, dims)], {}, `${name}/scaled`);
    return b.op('Add', [scaled, b.floats(`${name}/shift`, shift, dims)], {}, name);
  },
};

const LayerNormalization: LayerConverter = {
  unsupported(config, inputShapes) {
    const rank = inputShapes[0]?.length ?? 0;
    const axis = Number(config['axis']);
    return axis === -1 || axis === rank - 1 ? null : `axis ${axis} is not the last axis; the ONNX export normalizes over the last axis only`;
  },
  convert(ctx) {
    const { b, name, config } = ctx;
    const c = ctx.inputShapes[0]!.at(-1)!;
    const gamma = optionalWeight(ctx, 'gamma');
    const beta = optionalWeight(ctx, 'beta');
    const inputs = [ctx.inputs[0]!, gamma ? b.floats(`${name}/gamma`, gamma.values, gamma.shape) : b.floats(`${name}/gamma`, new Float32Array(c).fill(1), [c])];
    if (beta) inputs.push(b.floats(`${name}/beta`, beta.values, beta.shape));
    return b.op('LayerNormalization', inputs, { axis: { i: -1 }, epsilon: { f: Number(config['epsilon']) } }, name);
  },
};

export const NORMALIZATION_CONVERTERS: Record<string, LayerConverter> = { BatchNormalization, LayerNormalization };
