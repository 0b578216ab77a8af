/**
 * Index bookkeeping shared by the convolution gradients: each is computed as a forward
 * convolution over a cropped and zero-padded view of a tensor, and this works out that view.
 */
import type * as TF from '@tensorflow/tfjs';

/**
 * The values at positions start … start + length − 1 of an axis of `size` elements, zeros
 * outside it: `begin`/`size` is what to slice, `before`/`after` how many zeros to add.
 */
export interface AxisWindow {
  begin: number;
  size: number;
  before: number;
  after: number;
}

export function axisWindow(start: number, length: number, size: number): AxisWindow {
  const begin = Math.min(Math.max(start, 0), size);
  const end = Math.max(Math.min(start + length, size), begin);
  return { begin, size: end - begin, before: begin - start, after: start + length - end };
}

/**
 * The (height, width) windows of a 4-D NHWC tensor as a slice (skipped when it keeps all) and an
 * explicit convolution padding. Returns null when the window holds no value at all.
 */
export function cropForConv(
  tf: typeof TF,
  t: TF.Tensor4D,
  h: AxisWindow,
  w: AxisWindow,
): { input: TF.Tensor4D; pad: TF.backend_util.ExplicitPadding } | null {
  if (h.size === 0 || w.size === 0) return null;
  const [n, height, width, c] = t.shape;
  const whole = h.begin === 0 && w.begin === 0 && h.size === height && w.size === width;
  const input = whole ? t : tf.slice(t, [0, h.begin, w.begin, 0], [n, h.size, w.size, c]);
  return {
    input,
    pad: [
      [0, 0],
      [h.before, h.after],
      [w.before, w.after],
      [0, 0],
    ],
  };
}

/** dy with stride − 1 zero rows (columns) after each row (column): the forward stride undone. */
export function dilateRows(tf: typeof TF, dy: TF.Tensor4D, strideHeight: number, strideWidth: number): TF.Tensor4D {
  if (strideHeight === 1 && strideWidth === 1) return dy;
  const [n, h, w, c] = dy.shape;
  const spread = tf.pad(tf.reshape(dy, [n * h, 1, w, 1, c]), [
    [0, 0],
    [0, strideHeight - 1],
    [0, 0],
    [0, strideWidth - 1],
    [0, 0],
  ]);
  return tf.reshape(spread, [n, h * strideHeight, w * strideWidth, c]);
}
