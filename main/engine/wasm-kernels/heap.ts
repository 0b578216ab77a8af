/**
 * Direct access to tensors in the wasm backend's memory, for the kernels written as JavaScript
 * loops: no copy in, no copy out.
 */
import type * as TF from '@tensorflow/tfjs';

/** The parts of tfjs-backend-wasm's BackendWasm that the loops use. */
interface WasmHeap {
  makeOutput(shape: number[], dtype: TF.DataType): TF.TensorInfo;
  typedArrayFromHeap(info: TF.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/**
 * Allocates a float32 output, then returns views of it and of `inputs`. Views are taken after the
 * allocation because growing the wasm memory detaches every earlier view; nothing in between may
 * allocate.
 */
export function float32Views(
  backend: object,
  outShape: number[],
  inputs: readonly TF.TensorInfo[],
): { out: TF.TensorInfo; outValues: Float32Array; inValues: Float32Array[] } {
  const heap = backend as WasmHeap;
  const out = heap.makeOutput(outShape, 'float32');
  const view = (info: TF.TensorInfo): Float32Array => {
    if (info.dtype !== 'float32') throw new Error(`expected a float32 tensor; got ${info.dtype}`);
    return heap.typedArrayFromHeap(info) as Float32Array;
  };
  return { out, outValues: view(out), inValues: inputs.map(view) };
}

/**
 * Several float32 outputs at once, then views of them and of `inputs` (all allocations first, for
 * the reason given above).
 */
export function float32OutputViews(
  backend: object,
  outShapes: readonly number[][],
  inputs: readonly TF.TensorInfo[],
): { outs: TF.TensorInfo[]; outValues: Float32Array[]; inValues: Float32Array[] } {
  const heap = backend as WasmHeap;
  const outs = outShapes.map((shape) => heap.makeOutput(shape, 'float32'));
  const view = (info: TF.TensorInfo): Float32Array => {
    if (info.dtype !== 'float32') throw new Error(`expected a float32 tensor; got ${info.dtype}`);
    return heap.typedArrayFromHeap(info) as Float32Array;
  };
  return { outs, outValues: outs.map(view), inValues: inputs.map(view) };
}
