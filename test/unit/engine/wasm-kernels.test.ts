/**
 * Our wasm training kernels against the cpu backend: each gradient is computed on both from the
 * same numbers, and may differ by at most 1e-4 of the largest cpu value. The native kernels that
 * take over convolutions and products where onnxruntime loads are removed here, so these are the
 * kernels a machine without it runs (test/unit/engine/native-kernels.test.ts tests those).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import { loadBackend, type Tf } from '../../../main/engine/backend.js';
import { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from '../../../main/engine/wasm-kernels/index.js';
import { swapIsCheaper } from '../../../main/engine/wasm-kernels/batch-mat-mul.js';
import { unregisterNativeKernels } from '../../../main/engine/native-kernels/index.js';
import { onBackend } from '../../helpers/backends.js';
import {
  BROADCAST,
  CONV2D_CASES,
  EXPLICIT,
  MAX_POOL_CASES,
  maxPoolGrads,
  PRODUCTS,
  convGrads as convGradsOn,
  expectSameOnBoth as expectSameOn,
  relativeErrors,
  values,
  type Pad,
  type Pair,
  type Shape4,
} from '../../helpers/kernel-cases.js';
import { mulberry32 } from '../../../shared/random.js';

let tf: Tf;
beforeAll(async () => {
  tf = (await loadBackend('wasm')).tf;
  unregisterNativeKernels(tf);
});

const on = (backend: 'cpu' | 'wasm', f: () => TF.Tensor[]): Promise<Float32Array[]> => onBackend(tf, backend, f);
const expectSameOnBoth = (f: () => TF.Tensor[]) => expectSameOn(tf, f);
const convGrads = (op: (x: TF.Tensor4D, w: TF.Tensor4D) => TF.Tensor4D, xShape: Shape4, wShape: Shape4) => convGradsOn(tf, op, xShape, wShape);

describe('Conv2D gradients on wasm (Conv2DBackpropFilter, Conv2DBackpropInput)', () => {
  it.each(CONV2D_CASES)('%s', async (_name, xShape, wShape, strides, pad) => {
    await expectSameOnBoth(convGrads((x, w) => tf.conv2d(x, w, strides, pad), xShape, wShape));
  });

  it('Conv1D gradients, which TF.js computes as a Conv2D of height 1', async () => {
    await expectSameOnBoth(() => {
      const x = tf.tensor3d(values([3, 11, 4], 1), [3, 11, 4]);
      const w = tf.tensor3d(values([3, 4, 6], 2), [3, 4, 6]);
      const r = tf.tensor3d(values([3, 6, 6], 3), [3, 6, 6]);
      return tf.grads((a: TF.Tensor, b: TF.Tensor) => tf.sum(tf.mul(tf.conv1d(a as TF.Tensor3D, b as TF.Tensor3D, 2, 'same'), r)))([x, w]);
    });
  });
});

// name, x [n, h, w, c], filter [kh, kw, c, multiplier], strides, padding
const DEPTHWISE_CASES: [string, Shape4, Shape4, Pair, Pad][] = [
  ['3x3 same', [2, 7, 9, 3], [3, 3, 3, 1], 1, 'same'],
  ['3x3 valid, multiplier 2', [2, 7, 9, 3], [3, 3, 3, 2], 1, 'valid'],
  ['stride 2 same, multiplier 2', [2, 7, 9, 3], [3, 3, 3, 2], 2, 'same'],
  ['3x2 strides (2, 3) valid, multiplier 3', [2, 8, 7, 4], [3, 2, 4, 3], [2, 3], 'valid'],
  ['5x5 valid, one channel', [3, 6, 6, 1], [5, 5, 1, 1], 1, 'valid'],
  ['explicit asymmetric padding', [2, 6, 7, 2], [3, 3, 2, 1], 1, EXPLICIT],
  ['stride 3 same', [1, 5, 5, 2], [2, 2, 2, 2], 3, 'same'],
  ['8 channels, batch 5', [5, 10, 10, 8], [3, 3, 8, 1], 1, 'same'],
];

describe('DepthwiseConv2D gradients on wasm (DepthwiseConv2dNativeBackpropFilter/Input)', () => {
  it.each(DEPTHWISE_CASES)('%s', async (_name, xShape, wShape, strides, pad) => {
    await expectSameOnBoth(convGrads((x, w) => tf.depthwiseConv2d(x, w, strides, pad), xShape, wShape));
  });

  it('SeparableConv2D gradients (depthwise, then a 1x1 convolution)', async () => {
    await expectSameOnBoth(() => {
      const x = tf.tensor4d(values([2, 8, 8, 3], 1), [2, 8, 8, 3]);
      const dw = tf.tensor4d(values([3, 3, 3, 2], 2), [3, 3, 3, 2]);
      const pw = tf.tensor4d(values([1, 1, 6, 4], 3), [1, 1, 6, 4]);
      const r = tf.tensor4d(values([2, 8, 8, 4], 4), [2, 8, 8, 4]);
      const f = (a: TF.Tensor, b: TF.Tensor, c: TF.Tensor) =>
        tf.sum(tf.mul(tf.separableConv2d(a as TF.Tensor4D, b as TF.Tensor4D, c as TF.Tensor4D, 1, 'same'), r));
      return tf.grads(f)([x, dw, pw]);
    });
  });

  // TF.js refuses gradients of dilated depthwise convolutions, and the cpu backprop kernels
  // ignore dilations, but the kernels take them. A filter dilated by d equals a filter d times as
  // large with zeros between its taps, which cpu handles: that is the reference here.
  const DILATED: [string, Shape4, Shape4, number, Pad][] = [
    ['3x3 dilation 2 same', [2, 9, 9, 3], [3, 3, 3, 2], 2, 'same'],
    ['2x3 dilation 3 valid', [1, 10, 11, 2], [2, 3, 2, 1], 3, 'valid'],
  ];

  it.each(DILATED)('dilated kernels: %s', async (_name, xShape, wShape, d, pad) => {
    const [kh, kw, c, m] = wShape;
    const bigShape: Shape4 = [(kh - 1) * d + 1, (kw - 1) * d + 1, c, m];
    const w = values(wShape, 2);
    const big = new Float32Array(bigShape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < kh; i++)
      for (let j = 0; j < kw; j++)
        for (let k = 0; k < c * m; k++) big[(i * d * bigShape[1] + j * d) * c * m + k] = w[(i * kw + j) * c * m + k]!;
    const kernels = (filterShape: Shape4, filter: Float32Array, dilations: number) => () => {
      const x = tf.tensor4d(values(xShape, 1), xShape);
      const f = tf.tensor4d(filter, filterShape);
      const outShape = tf.depthwiseConv2d(x, f, 1, pad, 'NHWC', dilations).shape;
      const dy = tf.tensor4d(values(outShape, 3), outShape);
      const attrs = { strides: 1, dilations, pad };
      const engine = tf.engine();
      const dW = engine.runKernel(tf.DepthwiseConv2dNativeBackpropFilter, { x, dy }, { ...attrs, filterShape }) as TF.Tensor4D;
      const dx = engine.runKernel(tf.DepthwiseConv2dNativeBackpropInput, { dy, filter: f }, { ...attrs, inputShape: xShape }) as TF.Tensor;
      return [dx, dW];
    };
    const [dx, dWBig] = await on('cpu', kernels(bigShape, big, 1));
    const [wasmDx, wasmDW] = await on('wasm', kernels(wShape, w, d));
    const dW = new Float32Array(w.length);
    for (let i = 0; i < kh; i++)
      for (let j = 0; j < kw; j++)
        for (let k = 0; k < c * m; k++) dW[(i * kw + j) * c * m + k] = dWBig![(i * d * bigShape[1] + j * d) * c * m + k]!;
    for (const e of relativeErrors([dx!, dW], [wasmDx!, wasmDW!])) expect(e).toBeLessThanOrEqual(1e-4);
  });
});

describe('UnsortedSegmentSum on wasm (the gradient of gather / Embedding)', () => {
  // table shape, ids shape, number of distinct ids
  const GATHER_CASES: [string, number[], number[], number][] = [
    ['vectors, repeated ids', [10, 4], [2, 6], 10],
    ['rank-3 table', [7, 3, 2], [5], 7],
    ['large vocabulary, few ids used', [500, 16], [8, 12], 40],
    ['one id', [3, 5], [1], 1],
  ];

  it.each(GATHER_CASES)('gather gradient: %s', async (_name, tableShape, idsShape, distinct) => {
    const random = mulberry32(7);
    const ids = Int32Array.from({ length: idsShape.reduce((a, b) => a * b, 1) }, () => Math.floor(random() * distinct));
    await expectSameOnBoth(() => {
      const table = tf.tensor(values(tableShape, 1), tableShape);
      const indices = tf.tensor(ids, idsShape, 'int32');
      const outShape = [...idsShape, ...tableShape.slice(1)];
      const r = tf.tensor(values(outShape, 2), outShape);
      return [tf.grad((t: TF.Tensor) => tf.sum(tf.mul(tf.gather(t, indices), r)))(table)];
    });
  });

  it('drops ids outside [0, numSegments) as the cpu backend does', async () => {
    await expectSameOnBoth(() => {
      const x = tf.tensor2d(values([6, 3], 1), [6, 3]);
      return [tf.unsortedSegmentSum(x, tf.tensor1d([0, -1, 2, 4, 2, 9], 'int32'), 4)];
    });
  });

  it('sums int32 data and rank-1 data', async () => {
    await expectSameOnBoth(() => [
      tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3, 4, 5], 'int32'), tf.tensor1d([1, 1, 0, 3, 1], 'int32'), 5),
      tf.unsortedSegmentSum(tf.tensor1d(values([5], 1)), tf.tensor1d([2, 0, 2, 2, 1], 'int32'), 3),
    ]);
  });
});

describe('BatchMatMul on wasm (transposed products go to XNNPACK, tiny ones to a loop)', () => {
  it('swaps a Dense forward product (x·W, W large) and leaves a product with a small B as it is', () => {
    expect(swapIsCheaper([50, 3136], [3136, 1024], false, false)).toBe(true);
    expect(swapIsCheaper([3136, 50], [50, 1024], false, false)).toBe(false);
    // A Dense dx, dy·Wᵀ, swaps to W·dyᵀ: then only the small dyᵀ is repacked.
    expect(swapIsCheaper([50, 1024], [3136, 1024], false, true)).toBe(true);
  });

  it.each(PRODUCTS)('%s and its gradients', async (_name, aShape, bShape, transposeA, transposeB) => {
    await expectSameOnBoth(() => {
      const a = tf.tensor(values(aShape, 1), aShape);
      const b = tf.tensor(values(bShape, 2), bShape);
      const product = tf.matMul(a, b, transposeA, transposeB);
      const r = tf.tensor(values(product.shape, 3), product.shape);
      const grads = tf.grads((x: TF.Tensor, y: TF.Tensor) => tf.sum(tf.mul(tf.matMul(x, y, transposeA, transposeB), r)))([a, b]);
      return [product, ...grads];
    });
  });

  it.each(BROADCAST)('%s', async (_name, aShape, bShape, transposeA, transposeB) => {
    await expectSameOnBoth(() => [tf.matMul(tf.tensor(values(aShape, 1), aShape), tf.tensor(values(bShape, 2), bShape), transposeA, transposeB)]);
  });
});

// UpSampling2D's gradients are wasm's own kernels, which are right, but the cpu backend's are not
// (its ResizeNearestNeighborGrad reads dy at the image's batch stride; its ResizeBilinearGrad
// swaps height and width in its output shape), so plain loops are the reference here.
describe("wasm's own resize gradients (UpSampling2D), against plain loops", () => {
  /** d Σ resize(x) · dy / dx, align_corners and half_pixel_centers off, as UpSampling2D has them. */
  function resizeGradient(kind: 'nearest' | 'bilinear', [n, h, w, c]: Shape4, [outH, outW]: [number, number], dy: Float32Array): Float32Array {
    const dx = new Float32Array(n * h * w * c);
    const [scaleH, scaleW] = [h / outH, w / outW];
    const at = (b: number, y: number, x: number, k: number) => ((b * h + y) * w + x) * c + k;
    for (let b = 0; b < n; b++)
      for (let r = 0; r < outH; r++)
        for (let s = 0; s < outW; s++)
          for (let k = 0; k < c; k++) {
            const g = dy[((b * outH + r) * outW + s) * c + k]!;
            const [y, x] = [r * scaleH, s * scaleW];
            if (kind === 'nearest') {
              dx[at(b, Math.min(Math.floor(y), h - 1), Math.min(Math.floor(x), w - 1), k)]! += g;
              continue;
            }
            const [top, left] = [Math.floor(y), Math.floor(x)];
            const [bottom, right] = [Math.min(Math.ceil(y), h - 1), Math.min(Math.ceil(x), w - 1)];
            const [dr, dc] = [y - top, x - left];
            dx[at(b, top, left, k)]! += g * (1 - dr) * (1 - dc);
            dx[at(b, top, right, k)]! += g * (1 - dr) * dc;
            dx[at(b, bottom, left, k)]! += g * dr * (1 - dc);
            dx[at(b, bottom, right, k)]! += g * dr * dc;
          }
    return dx;
  }

  // kind, x [n, h, w, c], the upsampling factors
  const RESIZE_CASES: ['nearest' | 'bilinear', Shape4, [number, number]][] = [
    ['nearest', [8, 3, 4, 2], [2, 3]],
    ['nearest', [2, 3, 3, 1], [2, 2]],
    ['nearest', [3, 5, 2, 4], [3, 1]],
    ['bilinear', [8, 3, 4, 2], [2, 3]],
    ['bilinear', [2, 3, 3, 1], [2, 2]],
    ['bilinear', [3, 5, 2, 4], [3, 1]],
  ];

  it.each(RESIZE_CASES)('%s, x %j, size %j', async (kind, xShape, [fh, fw]) => {
    const size: [number, number] = [xShape[1] * fh, xShape[2] * fw];
    const dy = values([xShape[0], ...size, xShape[3]], 2);
    const [wasm] = await on('wasm', () => {
      const x = tf.tensor4d(values(xShape, 1), xShape);
      const r = tf.tensor4d(dy, [xShape[0], ...size, xShape[3]]);
      const resize = (t: TF.Tensor) =>
        kind === 'nearest' ? tf.image.resizeNearestNeighbor(t as TF.Tensor4D, size) : tf.image.resizeBilinear(t as TF.Tensor4D, size);
      return [tf.grad((t: TF.Tensor) => tf.sum(tf.mul(resize(t), r)))(x)];
    });
    for (const e of relativeErrors([resizeGradient(kind, xShape, size, dy)], [wasm!])) expect(e).toBeLessThanOrEqual(1e-4);
  });
});

describe('registerWasmTrainingKernels', () => {
  it('registers every kernel once; a second call changes nothing', () => {
    for (const name of WASM_TRAINING_KERNELS) expect(tf.getKernel(name, 'wasm'), name).toBeDefined();
    const before = WASM_TRAINING_KERNELS.map((name) => tf.getKernel(name, 'wasm'));
    expect(registerWasmTrainingKernels(tf)).toEqual([]);
    expect(WASM_TRAINING_KERNELS.map((name) => tf.getKernel(name, 'wasm'))).toEqual(before);
  });

  it('leaves no tensor and no wasm buffer behind', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend();
    const step = () =>
      tf.tidy(() => {
        const x = tf.tensor4d(values([2, 6, 6, 3], 1), [2, 6, 6, 3]);
        const w = tf.tensor4d(values([3, 3, 3, 2], 2), [3, 3, 3, 2]);
        const d = tf.tensor4d(values([3, 3, 3, 1], 3), [3, 3, 3, 1]);
        const table = tf.tensor2d(values([5, 4], 4), [5, 4]);
        const ids = tf.tensor1d([1, 4, 4, 9], 'int32');
        const grads = [
          ...tf.grads((a: TF.Tensor, b: TF.Tensor) => tf.sum(tf.conv2d(a as TF.Tensor4D, b as TF.Tensor4D, 2, 'same')))([x, w]),
          ...tf.grads((a: TF.Tensor, b: TF.Tensor) => tf.sum(tf.depthwiseConv2d(a as TF.Tensor4D, b as TF.Tensor4D, 1, 'valid')))([x, d]),
          tf.grad((t: TF.Tensor) => tf.sum(tf.gather(t, tf.tensor1d([1, 4, 4], 'int32'))))(table),
          tf.unsortedSegmentSum(table.slice(0, 4), ids, 5),
          tf.matMul(table, table, true, false),
        ];
        for (const g of grads) g.dataSync();
      });
    step();
    const tensors = tf.memory().numTensors;
    const buffers = backend.numDataIds();
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backend.numDataIds()).toBe(buffers);
  });
});

describe('Identity on wasm (a clone shares memory)', () => {
  it('makes a clone without copying, whose values outlive the original', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor(values([256, 256], 7), [256, 256]);
    const buffersBefore = tf.memory().numDataBuffers;
    const clone = x.clone();
    // A copy is a new data buffer (256 KB of wasm memory); sharing adds a tensor, not a buffer.
    expect(tf.memory().numDataBuffers).toBe(buffersBefore);
    expect(tf.memory().numTensors).toBeGreaterThan(0);
    const expected = Float32Array.from(x.dataSync());
    x.dispose();
    expect(Float32Array.from(clone.dataSync())).toEqual(expected);
    clone.dispose();
  });

  it('keeps gradients right where the tape keeps clones', async () => {
    await expectSameOnBoth(() => {
      const x = tf.tensor(values([4, 6], 8), [4, 6]);
      const w = tf.tensor(values([6, 3], 9), [6, 3]);
      const f = (a: TF.Tensor, b: TF.Tensor) => tf.sum(tf.square(tf.relu(tf.matMul(a as TF.Tensor2D, b as TF.Tensor2D))));
      return [...tf.grads(f)([x, w])];
    });
  });
});

describe('MaxPoolGrad on wasm (the first largest value of each window gets the gradient)', () => {
  it.each(MAX_POOL_CASES)('%s', async (_name, shape, size, stride, pad) => {
    await expectSameOnBoth(maxPoolGrads(tf, shape, size, stride, pad));
  });
});
