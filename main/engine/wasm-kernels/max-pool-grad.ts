/**
 * MaxPoolGrad for wasm. TF.js 4.22's own starts each window's maximum at the smallest positive
 * float (`numeric_limits<float>::min()`) and keeps the last of equal values: a window whose values
 * are all ≤ 0 passes no gradient at all, and ties go to another position than on every other
 * backend. This one sends each output's gradient to the first largest value of its window, as the
 * cpu backend and TensorFlow do. It is a JavaScript loop over the wasm memory: one pass over x and
 * dy, faster than the wasm kernel it replaces (no op composition comes close, as wasm's strided
 * slices are slow).
 */
import type * as TF from '@tensorflow/tfjs';
import type { Tf } from './compose.js';
import { float32Views } from './heap.js';

export function maxPoolBackprop(x: Float32Array, dy: Float32Array, dx: Float32Array, info: TF.backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth, effectiveFilterHeight, effectiveFilterWidth } = info;
  const { top, left } = info.padInfo;
  dx.fill(0);
  const plain2x2 =
    effectiveFilterHeight === 2 && effectiveFilterWidth === 2 && strideHeight === 2 && strideWidth === 2 && top === 0 && left === 0 && outHeight * 2 <= inHeight && outWidth * 2 <= inWidth;
  if (plain2x2) return maxPool2x2Backprop(x, dy, dx, info);
  const best = new Float32Array(channels);
  const where = new Int32Array(channels);
  let dyAt = 0;
  for (let b = 0; b < batchSize; b++) {
    const xBatch = b * inHeight * inWidth * channels;
    for (let oh = 0; oh < outHeight; oh++) {
      const h0 = oh * strideHeight - top;
      for (let ow = 0; ow < outWidth; ow++, dyAt += channels) {
        const w0 = ow * strideWidth - left;
        best.fill(-Infinity);
        where.fill(-1);
        // Row by row, then column by column: the scan order that decides ties.
        for (let r = 0; r < effectiveFilterHeight; r += dilationHeight) {
          const h = h0 + r;
          if (h < 0 || h >= inHeight) continue;
          for (let s = 0; s < effectiveFilterWidth; s += dilationWidth) {
            const w = w0 + s;
            if (w < 0 || w >= inWidth) continue;
            const at = xBatch + (h * inWidth + w) * channels;
            for (let c = 0; c < channels; c++) {
              const v = x[at + c]!;
              if (v > best[c]!) {
                best[c] = v;
                where[c] = at + c;
              }
            }
          }
        }
        for (let c = 0; c < channels; c++) {
          const i = where[c]!;
          if (i >= 0) dx[i]! += dy[dyAt + c]!;
        }
      }
    }
  }
}

/**
 * The common case (2×2 windows, stride 2, no padding: J2's pools) without scratch arrays: four
 * reads per output value, the first largest wins. About 30 % faster than the general loop.
 */
function maxPool2x2Backprop(x: Float32Array, dy: Float32Array, dx: Float32Array, info: TF.backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth } = info;
  const row = inWidth * c;
  let o = 0;
  for (let b = 0; b < batchSize; b++)
    for (let oh = 0; oh < outHeight; oh++) {
      let base = (b * inHeight + 2 * oh) * row;
      for (let ow = 0; ow < outWidth; ow++, base += 2 * c)
        for (let k = 0; k < c; k++, o++) {
          const i0 = base + k;
          const i1 = i0 + c;
          const i2 = i0 + row;
          const i3 = i2 + c;
          let at = -1;
          let best = -Infinity;
          if (x[i0]! > best) {
            best = x[i0]!;
            at = i0;
          }
          if (x[i1]! > best) {
            best = x[i1]!;
            at = i1;
          }
          if (x[i2]! > best) {
            best = x[i2]!;
            at = i2;
          }
          if (x[i3]! > best) at = i3;
          // As in the general loop: a window of NaN or −∞ only has no largest value, no gradient.
          if (at >= 0) dx[at] = dy[o]!;
        }
    }
}

export function maxPoolGradConfig(tf: Tf): TF.KernelConfig {
  return {
    kernelName: tf.MaxPoolGrad,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { dy, input } = inputs as TF.MaxPoolGradInputs;
      const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as TF.MaxPoolGradAttrs;
      const info = tf.backend_util.computePool2DInfo(input!.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
      const { out, outValues, inValues } = float32Views(backend, input!.shape, [input!, dy!]);
      maxPoolBackprop(inValues[0]!, inValues[1]!, outValues, info);
      return out;
    },
  };
}
