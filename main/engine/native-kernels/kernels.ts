/**
 * TF.js kernels for the wasm backend that run on onnxruntime's native CPU kernels
 * (./runtime.ts): convolutions with both their gradients, matrix products (what Conv2D and Dense
 * layers spend their time in) and large sums (bias gradients). Each keeps the kernel it replaces and hands it every case it
 * does not take: another dtype, NCHW, operations too small to win back the call (NATIVE_MIN_MACS),
 * shapes a transposed convolution cannot express.
 */
import type * as TF from '@tensorflow/tfjs';
import type { Tf } from '../wasm-kernels/compose.js';
import { filterGradExtent, inputsOf, modelFor, outputOf, outputPadding, type FusedActivation, type NativeSpec, type Pads } from './graphs.js';
import type { NativeRuntime, NativeTensor } from './runtime.js';

/** The parts of tfjs-backend-wasm's BackendWasm the kernels use. */
interface WasmHeap {
  wasm: { HEAPU8: Uint8Array };
  makeOutput(shape: number[], dtype: TF.DataType): TF.TensorInfo;
  typedArrayFromHeap(info: TF.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

const size = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

/**
 * Runs `spec` on the named inputs into a new output of `outShape`, all in the wasm heap. The
 * output is allocated first: growing the heap would detach views taken before.
 */
export function runNative(runtime: NativeRuntime, backend: object, spec: NativeSpec, inputs: Record<string, TF.TensorInfo>, outShape: number[]): TF.TensorInfo {
  const heap = backend as WasmHeap;
  const out = heap.makeOutput(outShape, 'float32');
  const view = (info: TF.TensorInfo, dims: number[]): NativeTensor => ({ data: heap.typedArrayFromHeap(info) as Float32Array, dims });
  const feeds: Record<string, NativeTensor> = {};
  for (const [name, dims] of inputsOf(spec)) feeds[name] = view(inputs[name]!, dims);
  runtime.run(JSON.stringify(spec), () => modelFor(spec), feeds, { y: view(out, outputOf(spec)) });
  return out;
}

/**
 * Whether these tensors can go to onnxruntime: float32, in a heap that is not shared memory (a
 * wasm backend started multi-threaded in this process before the native kernels were wanted).
 */
function nativeCan(backend: object, infos: readonly (TF.TensorInfo | undefined)[]): boolean {
  if ((backend as WasmHeap).wasm.HEAPU8.buffer instanceof SharedArrayBuffer) return false;
  return infos.every((t) => t === undefined || t.dtype === 'float32');
}

function padsOf(info: TF.backend_util.Conv2DInfo): Pads {
  const p = info.padInfo;
  return { top: p.top, bottom: p.bottom, left: p.left, right: p.right };
}

/** A fused activation's part of a spec: the activation, PReLU weights' shape, leaky ReLU's slope. */
function activationSpec(activation: FusedActivation, alpha: TF.TensorInfo | undefined, leakyAlpha: number | undefined): { activation?: FusedActivation; alpha?: number[]; leakyAlpha?: number } {
  if (activation === 'linear') return {};
  if (activation === 'prelu') return { activation, alpha: alpha!.shape };
  if (activation === 'leakyrelu') return { activation, leakyAlpha: leakyAlpha ?? 0.2 };
  return { activation };
}

/** Conv2D, and FusedConv2D when its bias is one value per output channel. */
export function convConfig(tf: Tf, runtime: NativeRuntime, original: TF.KernelConfig, fused: boolean): TF.KernelConfig {
  return {
    ...original,
    kernelFunc: (args) => {
      const { inputs, backend, attrs } = args;
      const { x, filter, bias, preluActivationWeights } = inputs as TF.FusedConv2DInputs;
      const a = attrs as unknown as TF.FusedConv2DAttrs;
      const activation = (fused ? a.activation : 'linear') as FusedActivation;
      const channels = filter!.shape[3]!;
      const plainBias = bias === undefined || (bias.shape.length === 1 && bias.shape[0] === channels);
      if (a.dataFormat !== 'NHWC' || !nativeCan(backend, [x, filter, bias, preluActivationWeights]) || !plainBias) return original.kernelFunc(args);
      const info = tf.backend_util.computeConv2DInfo(
        x!.shape as [number, number, number, number],
        filter!.shape as [number, number, number, number],
        a.strides,
        a.dilations,
        a.pad,
        a.dimRoundingMode,
      );
      if (size(info.outShape) * info.filterHeight * info.filterWidth * info.inChannels < runtime.minMacs) return original.kernelFunc(args);
      const spec: NativeSpec = {
        op: 'conv2d',
        x: x!.shape,
        filter: filter!.shape,
        out: info.outShape,
        strides: [info.strideHeight, info.strideWidth],
        dilations: [info.dilationHeight, info.dilationWidth],
        pads: padsOf(info),
        ...(bias ? { bias: true } : {}),
        ...activationSpec(activation, preluActivationWeights, a.leakyreluAlpha),
      };
      const named: Record<string, TF.TensorInfo> = { x: x!, w: filter! };
      if (bias) named['b'] = bias;
      if (activation === 'prelu') named['alpha'] = preluActivationWeights!;
      return runNative(runtime, backend, spec, named, info.outShape);
    },
  };
}

export function convInputGradConfig(tf: Tf, runtime: NativeRuntime, original: TF.KernelConfig): TF.KernelConfig {
  return {
    ...original,
    kernelFunc: (args) => {
      const { inputs, backend, attrs } = args;
      const { dy, filter } = inputs as TF.Conv2DBackpropInputInputs;
      const a = attrs as unknown as TF.Conv2DBackpropInputAttrs;
      if (a.dataFormat !== 'NHWC' || !nativeCan(backend, [dy, filter])) return original.kernelFunc(args);
      const info = tf.backend_util.computeConv2DInfo(a.inputShape, filter!.shape as [number, number, number, number], a.strides, 1, a.pad, a.dimRoundingMode);
      const pads = padsOf(info);
      const fits =
        outputPadding(info.inHeight, info.outHeight, info.strideHeight, info.filterHeight, 1, pads.top, pads.bottom) !== null &&
        outputPadding(info.inWidth, info.outWidth, info.strideWidth, info.filterWidth, 1, pads.left, pads.right) !== null;
      if (!fits || size(dy!.shape) * info.filterHeight * info.filterWidth * info.inChannels < runtime.minMacs) return original.kernelFunc(args);
      const spec: NativeSpec = {
        op: 'conv2dBackpropInput',
        dy: dy!.shape,
        filter: filter!.shape,
        x: info.inShape,
        strides: [info.strideHeight, info.strideWidth],
        dilations: [1, 1],
        pads,
      };
      return runNative(runtime, backend, spec, { dy: dy!, w: filter! }, info.inShape);
    },
  };
}

export function convFilterGradConfig(tf: Tf, runtime: NativeRuntime, original: TF.KernelConfig): TF.KernelConfig {
  return {
    ...original,
    kernelFunc: (args) => {
      const { inputs, backend, attrs } = args;
      const { x, dy } = inputs as TF.Conv2DBackpropFilterInputs;
      const a = attrs as unknown as TF.Conv2DBackpropFilterAttrs;
      if (a.dataFormat !== 'NHWC' || !nativeCan(backend, [x, dy])) return original.kernelFunc(args);
      const info = tf.backend_util.computeConv2DInfo(x!.shape as [number, number, number, number], a.filterShape, a.strides, 1, a.pad, a.dimRoundingMode);
      // Where no output position reads x at all, the filter gradient is zeros; the original says so.
      const rows = filterGradExtent(info.inHeight, info.outHeight, info.strideHeight, info.filterHeight, 1, info.padInfo.top);
      const cols = filterGradExtent(info.inWidth, info.outWidth, info.strideWidth, info.filterWidth, 1, info.padInfo.left);
      if (rows.keep <= 0 || cols.keep <= 0) return original.kernelFunc(args);
      if (size(dy!.shape) * info.filterHeight * info.filterWidth * info.inChannels < runtime.minMacs) return original.kernelFunc(args);
      const spec: NativeSpec = {
        op: 'conv2dBackpropFilter',
        x: x!.shape,
        dy: dy!.shape,
        filter: a.filterShape,
        strides: [info.strideHeight, info.strideWidth],
        dilations: [1, 1],
        pads: padsOf(info),
      };
      return runNative(runtime, backend, spec, { x: x!, dy: dy! }, a.filterShape);
    },
  };
}

/** op(a)·op(b)'s shape: the batch axes broadcast, then [m, n]. */
function productShape(tf: Tf, a: readonly number[], b: readonly number[], transposeA: boolean, transposeB: boolean): number[] {
  const outer = tf.backend_util.assertAndGetBroadcastShape(a.slice(0, -2), b.slice(0, -2));
  const m = transposeA ? a.at(-1)! : a.at(-2)!;
  const n = transposeB ? b.at(-2)! : b.at(-1)!;
  return [...outer, m, n];
}

/** BatchMatMul, and _FusedMatMul (bias and activation). Small products stay in wasm (NATIVE_MIN_MACS). */
export function matMulConfig(tf: Tf, runtime: NativeRuntime, original: TF.KernelConfig, fused: boolean): TF.KernelConfig {
  return {
    ...original,
    kernelFunc: (args) => {
      const { inputs, backend, attrs } = args;
      const { a, b, bias, preluActivationWeights } = inputs as TF._FusedMatMulInputs;
      const at = attrs as unknown as TF._FusedMatMulAttrs;
      const activation = (fused ? at.activation : 'linear') as FusedActivation;
      if (!nativeCan(backend, [a, b, bias, preluActivationWeights]) || a!.shape.length < 2 || b!.shape.length < 2) return original.kernelFunc(args);
      const out = productShape(tf, a!.shape, b!.shape, at.transposeA, at.transposeB);
      const k = at.transposeA ? a!.shape.at(-2)! : a!.shape.at(-1)!;
      if (size(out) * k < runtime.minMacs) return original.kernelFunc(args);
      // A bias or PReLU weights that would broadcast the product to more axes: the original's case.
      const extra = [bias, activation === 'prelu' ? preluActivationWeights : undefined].filter((t): t is TF.TensorInfo => t !== undefined);
      if (extra.some((t) => t.shape.length > out.length || size(t.shape.slice(0, -2)) > 1)) return original.kernelFunc(args);
      const spec: NativeSpec = {
        op: 'matMul',
        a: a!.shape,
        b: b!.shape,
        out,
        transposeA: at.transposeA,
        transposeB: at.transposeB,
        ...(bias ? { bias: bias.shape } : {}),
        ...activationSpec(activation, preluActivationWeights, at.leakyreluAlpha),
      };
      const named: Record<string, TF.TensorInfo> = { a: a!, b: b! };
      if (bias) named['bias'] = bias;
      if (activation === 'prelu') named['alpha'] = preluActivationWeights!;
      return runNative(runtime, backend, spec, named, out);
    },
  };
}

/** Below this many values a sum stays in wasm (the call into onnxruntime would cost more). */
export const NATIVE_SUM_MIN_VALUES = 65_536;

/**
 * Sum of a large float32 tensor. wasm's own moves the summed axes last with a Transpose first: for
 * a Conv2D's bias gradient (all axes but the channels) that is a copy of the whole gradient.
 */
export function sumConfig(tf: Tf, runtime: NativeRuntime, original: TF.KernelConfig): TF.KernelConfig {
  return {
    ...original,
    kernelFunc: (args) => {
      const { inputs, backend, attrs } = args;
      const { x } = inputs as TF.SumInputs;
      const { axis, keepDims } = attrs as unknown as TF.SumAttrs;
      if (!nativeCan(backend, [x]) || size(x!.shape) < NATIVE_SUM_MIN_VALUES) return original.kernelFunc(args);
      const axes = [...new Set(tf.util.parseAxisParam(axis, x!.shape))].sort((p, q) => p - q);
      if (axes.length === 0) return original.kernelFunc(args);
      const kept = x!.shape.map((d, i) => (axes.includes(i) ? 1 : d));
      const out = keepDims ? kept : x!.shape.filter((_, i) => !axes.includes(i));
      const spec: NativeSpec = { op: 'sum', x: x!.shape, axes, keepDims, out };
      return runNative(runtime, backend, spec, { x: x! }, out);
    },
  };
}
