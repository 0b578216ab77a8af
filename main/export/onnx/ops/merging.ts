/** Merges: Concat on the same axis (channels-last, as in TF.js), and the element-wise ops. */
import type { LayerContext, LayerConverter } from './types.js';

/** A binary ONNX op folded over all inputs. */
function chain(op: 'Mul'): LayerConverter {
  return {
    convert(ctx: LayerContext) {
      let y = ctx.inputs[0]!;
      ctx.inputs.slice(1).forEach((x, i) => (y = ctx.b.op(op, [y, x], {}, i === ctx.inputs.length - 2 ? ctx.name : `${ctx.name}/${i}`)));
      return y;
    },
  };
}

const variadic = (op: string): LayerConverter => ({ convert: (ctx) => ctx.b.op(op, ctx.inputs, {}, ctx.name) });

export const MERGING_CONVERTERS: Record<string, LayerConverter> = {
  Concatenate: { convert: (ctx) => ctx.b.op('Concat', ctx.inputs, { axis: { i: Number(ctx.config['axis']) } }, ctx.name) },
  Add: variadic('Sum'),
  Subtract: variadic('Sub'),
  Multiply: chain('Mul'),
  Average: variadic('Mean'),
  Maximum: variadic('Max'),
  Minimum: variadic('Min'),
};
