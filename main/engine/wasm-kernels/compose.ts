/**
 * Lets a wasm kernel be written with the public TF.js ops, so each training kernel is a few lines
 * of tensor algebra over kernels that wasm runs natively (XNNPACK convolutions, transposes).
 */
import type * as TF from '@tensorflow/tfjs';

export type Tf = typeof TF;

/**
 * Runs `body` on tensors that share the kernel's input data and returns its result as the
 * kernel's output. Inside a kernel the engine records no gradient tape, so the ops run plain.
 *
 * Reference counts: an input wrapped as a tensor takes a reference, which its disposal at the end
 * of the tidy gives back; the result takes one that outlives `out.dispose()` and that the engine
 * hands to the tensor it makes from the returned info (what tfjs-backend-wasm's own Reshape does).
 */
export function composeKernel(
  tf: Tf,
  backend: object,
  inputs: readonly TF.TensorInfo[],
  body: (...tensors: TF.Tensor[]) => TF.Tensor,
): TF.TensorInfo {
  // A kernel gets its backend typed as `{}`; the wasm backend is a KernelBackend.
  const kernelBackend = backend as TF.KernelBackend;
  const out = tf.tidy(() => {
    const tensors = inputs.map((info) => {
      kernelBackend.incRef(info.dataId);
      return tf.engine().makeTensorFromTensorInfo(info, kernelBackend);
    });
    return body(...tensors);
  });
  kernelBackend.incRef(out.dataId);
  out.dispose();
  return { dataId: out.dataId, shape: out.shape, dtype: out.dtype };
}
