/**
 * UnsortedSegmentSum for wasm (TF.js 4.22 has none; Embedding's gradient needs it): a ScatterNd,
 * which wasm runs natively and which sums rows sent to the same segment. Its loop does not check
 * bounds, so ids outside [0, numSegments) — which TensorFlow drops — go to one extra segment that
 * is cut off afterwards.
 */
import type * as TF from '@tensorflow/tfjs';
import { composeKernel, type Tf } from './compose.js';

export function unsortedSegmentSumConfig(tf: Tf): TF.KernelConfig {
  return {
    kernelName: tf.UnsortedSegmentSum,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, segmentIds } = inputs as TF.UnsortedSegmentSumInputs;
      const { numSegments } = attrs as unknown as TF.UnsortedSegmentSumAttrs;
      // The ids are few (one per row) and already in wasm memory: reading them is cheap.
      const ids = (backend as TF.KernelBackend).readSync(segmentIds!.dataId) as Int32Array;
      const valid = ids.every((id) => id >= 0 && id < numSegments);
      return composeKernel(tf, backend, [x!, segmentIds!], (data, segments) => {
        const rows = ids.length;
        const rowShape = data.shape.slice(segments.rank);
        const updates = tf.reshape(data, [rows, ...rowShape]);
        if (valid) return tf.scatterND(tf.reshape(segments, [rows, 1]), updates, [numSegments, ...rowShape]);
        const kept = Int32Array.from(ids, (id) => (id >= 0 && id < numSegments ? id : numSegments));
        const summed = tf.scatterND(tf.tensor2d(kept, [rows, 1], 'int32'), updates, [numSegments + 1, ...rowShape]);
        return tf.slice(summed, 0, numSegments);
      });
    },
  };
}
