/**
 * Layers that move values: Flatten, Reshape, Permute, RepeatVector, ZeroPadding2D, Cropping2D,
 * UpSampling2D. All work on the channels-last tensor, so Flatten gives TF.js's order.
 */
import type { LayerConverter } from './types.js';

const Flatten: LayerConverter = { convert: (ctx) => ctx.b.op('Flatten', [ctx.inputs[0]!], { axis: { i: 1 } }, ctx.name) };

const Reshape: LayerConverter = {
  // 0 keeps the batch dimension as it is; the target may hold one -1.
  convert: (ctx) => ctx.b.op('Reshape', [ctx.inputs[0]!, ctx.b.int64s(`${ctx.name}/shape`, [0, ...(ctx.config['target_shape'] as number[])])], {}, ctx.name),
};

const Permute: LayerConverter = {
  convert: (ctx) => ctx.b.op('Transpose', [ctx.inputs[0]!], { perm: { ints: [0, ...(ctx.config['dims'] as number[])] } }, ctx.name),
};

const RepeatVector: LayerConverter = {
  convert(ctx) {
    const { b, name } = ctx;
    const steps = b.op('Unsqueeze', [ctx.inputs[0]!, b.int64s(`${name}/axes`, [1])], {}, `${name}/unsqueeze`);
    return b.op('Tile', [steps, b.int64s(`${name}/repeats`, [1, Number(ctx.config['n']), 1])], {}, name);
  },
};

const ZeroPadding2D: LayerConverter = {
  convert(ctx) {
    const [t, bottom, l, r] = ctx.config['padding'] as number[];
    const pads = ctx.b.int64s(`${ctx.name}/pads`, [0, t!, l!, 0, 0, bottom!, r!, 0]);
    return ctx.b.op('Pad', [ctx.inputs[0]!, pads], { mode: { s: 'constant' } }, ctx.name);
  },
};

const Cropping2D: LayerConverter = {
  convert(ctx) {
    const { b, name } = ctx;
    const [t, bottom, l, r] = ctx.config['cropping'] as number[];
    const [, h, w] = ctx.inputShapes[0]! as number[];
    return b.op(
      'Slice',
      [ctx.inputs[0]!, b.int64s(`${name}/starts`, [t!, l!]), b.int64s(`${name}/ends`, [h! - bottom!, w! - r!]), b.int64s(`${name}/axes`, [1, 2])],
      {},
      name,
    );
  },
};

const UpSampling2D: LayerConverter = {
  // TF.js repeats pixels ('nearest') or resizes with resizeBilinear(alignCorners = false,
  // halfPixelCenters = false): both are ONNX's 'asymmetric' coordinates.
  convert(ctx) {
    const { b, name } = ctx;
    const [fh, fw] = ctx.config['size'] as number[];
    const nearest = ctx.config['interpolation'] !== 'bilinear';
    return b.op(
      'Resize',
      [ctx.inputs[0]!, '', b.floats(`${name}/scales`, [1, fh!, fw!, 1], [4])],
      {
        mode: { s: nearest ? 'nearest' : 'linear' },
        coordinate_transformation_mode: { s: 'asymmetric' },
        ...(nearest ? { nearest_mode: { s: 'floor' } } : {}),
      },
      name,
    );
  },
};

export const RESHAPING_CONVERTERS: Record<string, LayerConverter> = {
  Flatten,
  Reshape,
  Permute,
  RepeatVector,
  ZeroPadding2D,
  Cropping2D,
  UpSampling2D,
};
