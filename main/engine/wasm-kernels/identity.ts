/**
 * Identity for wasm without the copy. TF.js's wasm Identity copies its input into new memory, and
 * the gradient tape clones (Identity) every tensor it keeps for the backward pass, so each
 * activation of a training step was copied once more: 50 copies per J2 step, several hundred MB
 * of them per J3 step. Tensors in the wasm backend are never written after they are made (every
 * kernel writes new outputs; a variable's assign swaps its data), so a clone can share its
 * input's memory with one more reference, as wasm's own Reshape does and as the cpu backend's
 * Identity does.
 */
import type * as TF from '@tensorflow/tfjs';

export function identityConfig(original: TF.KernelConfig): TF.KernelConfig {
  return {
    kernelName: 'Identity',
    backendName: 'wasm',
    setupFunc: original.setupFunc,
    disposeFunc: original.disposeFunc,
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: TF.TensorInfo };
      if (x.dtype === 'string') return original.kernelFunc(args);
      (args.backend as TF.KernelBackend).incRef(x.dataId);
      return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
    },
  };
}
