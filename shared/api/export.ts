import { z } from 'zod';
import { method } from './contract.js';

export interface ExportResult {
  dir: string;
  files: string[];
}

export interface OnnxSupport {
  supported: boolean;
  /** Layers ONNX export cannot write, with why; named before an export starts. */
  unsupported: { nodeId: string; layer: string; reason: string }[];
}

const target = z.object({ runId: z.string().min(1), dir: z.string().min(1).optional() });

export const exportSpec = {
  /** Writes a TF.js LayersModel folder: model.json, weights.bin and layerbench.json (preprocessing). */
  tfjs: method<ExportResult>()(target),
  /** Writes `<run>.keras` (Keras 3: config.json, metadata.json, model.weights.h5) and the legacy `<run>.h5`. */
  keras: method<ExportResult>()(target),
  /** Writes `<run>.onnx` (opset 17, NHWC inputs as in the app); refuses naming the layers it cannot write. */
  onnx: method<ExportResult>()(target),
  onnxSupport: method<OnnxSupport>()(z.object({ runId: z.string().min(1) })),
};
