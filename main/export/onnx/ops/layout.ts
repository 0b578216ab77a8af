/**
 * The layout rule: the exported model keeps TF.js's channels-last tensors everywhere (inputs,
 * outputs, between layers), so a Flatten or a Dense sees values in the same order as in the app.
 * Ops that need channels first (Conv, ConvTranspose, MaxPool, AveragePool) are wrapped in a
 * Transpose pair; onnxruntime's optimizer removes back-to-back pairs between such ops.
 */
import type { OnnxBuilder } from '../builder.js';

/** (batch, spatial..., channels) → (batch, channels, spatial...). */
export function toChannelsFirst(b: OnnxBuilder, x: string, spatialRank: number, base: string): string {
  const perm = [0, spatialRank + 1, ...Array.from({ length: spatialRank }, (_, i) => i + 1)];
  return b.op('Transpose', [x], { perm: { ints: perm } }, `${base}/to_nchw`);
}

/** (batch, channels, spatial...) → (batch, spatial..., channels). */
export function toChannelsLast(b: OnnxBuilder, x: string, spatialRank: number, base: string): string {
  const perm = [0, ...Array.from({ length: spatialRank }, (_, i) => i + 2), 1];
  return b.op('Transpose', [x], { perm: { ints: perm } }, `${base}/to_nhwc`);
}
