/**
 * TimeDistributed: Dense needs nothing special (MatMul works on the last axis of any rank);
 * Flatten and Conv2D run on (batch·steps, ...) and are reshaped back to (batch, steps, ...).
 */
import { wrappedLayer } from '../../../../shared/catalog/wrappers.js';
import { CONV_CONVERTERS } from './conv.js';
import { activationReason, denseNodes } from './core.js';
import type { LayerConverter } from './types.js';

const TimeDistributed: LayerConverter = {
  unsupported: (c) => (c['layer'] === 'Flatten' ? null : activationReason(c)),
  convert(ctx) {
    const { b, name } = ctx;
    const inner = wrappedLayer('TimeDistributed', ctx.config);
    const x = ctx.inputs[0]!;
    const [, steps, ...rest] = ctx.inputShapes[0]! as number[];
    if (inner.spec.type === 'Dense') return denseNodes({ ...ctx, config: inner.config }, x);
    if (inner.spec.type === 'Flatten') return b.op('Reshape', [x, b.int64s(`${name}/shape`, [0, 0, -1])], {}, name);
    // Conv2D on every step: fold the steps into the batch and back.
    const folded = b.op('Reshape', [x, b.int64s(`${name}/fold`, [-1, ...rest])], {}, `${name}/fold`);
    const y = CONV_CONVERTERS['Conv2D']!.convert({ ...ctx, config: inner.config, inputs: [folded], inputShapes: [[null, ...rest]], outputShape: [null, ...ctx.outputShape.slice(2)] });
    return b.op('Reshape', [y, b.int64s(`${name}/unfold`, [-1, steps!, ...(ctx.outputShape.slice(2) as number[])])], {}, name);
  },
};

export const WRAPPER_CONVERTERS: Record<string, LayerConverter> = { TimeDistributed };
