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
