/** Runs an exported .onnx file in onnxruntime-node on the sample inputs (loaded only when an ONNX export is checked). */
import type { ParityTensor } from '../../jobs/messages.js';

export async function runOnnx(file: string, inputs: ParityTensor[], outputNames: string[]): Promise<{ shape: number[]; values: Float32Array }[]> {
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(file);
  try {
    const feeds = Object.fromEntries(inputs.map((i) => [i.name, new ort.Tensor('float32', i.values, i.shape)]));
    const results = await session.run(feeds);
    return outputNames.map((n) => {
      const t = results[n];
      if (!t) throw new Error(`the ONNX model has no output '${n}'; it has ${Object.keys(results).join(', ')}`);
      return { shape: t.dims.map(Number), values: t.data as Float32Array };
    });
  } finally {
    await session.release();
  }
}
