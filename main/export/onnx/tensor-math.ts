/** Plain-array tensor helpers for rearranging weights (TF.js layouts to ONNX layouts). */

/** `values` of `shape` with its axes permuted: out.shape[i] = shape[perm[i]] (numpy's transpose). */
export function transposeValues(values: Float32Array, shape: number[], perm: number[]): { values: Float32Array; shape: number[] } {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = new Array<number>(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= shape[i]!;
  }
  const out = new Float32Array(values.length);
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let i = 0; i < rank; i++) src += idx[i]! * inStrides[perm[i]!]!;
    out[o] = values[src]!;
    for (let i = rank - 1; i >= 0; i--) {
      if (++idx[i]! < outShape[i]!) break;
      idx[i] = 0;
    }
  }
  return { values: out, shape: outShape };
}

/**
 * Reorders equal column blocks of a (rows, blocks·width) matrix: out block k = in block order[k].
 * Used for recurrent gates (Keras LSTM i,f,c,o → ONNX i,o,f,c).
 */
export function reorderColumnBlocks(values: Float32Array, rows: number, width: number, order: number[]): Float32Array {
  const cols = width * order.length;
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++)
    order.forEach((src, k) => out.set(values.subarray(r * cols + src * width, r * cols + (src + 1) * width), r * cols + k * width));
  return out;
}

/** TF's SAME padding for one axis: total padding split with the extra one at the end. */
export function samePads(size: number, kernel: number, stride: number, dilation = 1): [number, number] {
  const effective = (kernel - 1) * dilation + 1;
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + effective - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}
