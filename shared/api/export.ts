import { z } from 'zod';
import { method } from './contract.js';

export interface ExportResult {
  dir: string;
  files: string[];
}

export const exportSpec = {
  /** Writes a TF.js LayersModel folder: model.json, weights.bin and layerbench.json (preprocessing). */
  tfjs: method<ExportResult>()(z.object({ runId: z.string().min(1), dir: z.string().min(1).optional() })),
};
