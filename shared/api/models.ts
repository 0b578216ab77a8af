import { z } from 'zod';
import { method } from './contract.js';
import type { ModelGraph } from '../graph.js';

const jsonValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

export const graphSchema = z.object({
  version: z.literal(1),
  nodes: z.array(
    z.object({
      id: z.string().min(1),
      type: z.string().min(1),
      name: z.string().min(1),
      config: z.record(z.string(), jsonValue),
      position: z.object({ x: z.number(), y: z.number() }).optional(),
    }),
  ),
  edges: z.array(
    z.object({
      id: z.string().min(1),
      source: z.string().min(1),
      target: z.string().min(1),
      targetPort: z.number().int().min(0).optional(),
    }),
  ),
});

export const TEMPLATE_IDS = ['j1-lstm', 'mlp', 'j2-cnn', 'image-small', 'j3-vqa', 'detector-grid'] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

export const modelsSpec = {
  /** The project's current model (the one the next run trains); null before one is set. */
  get: method<ModelGraph | null>()(z.object({})),
  set: method<ModelGraph>()(z.object({ graph: graphSchema })),
  /** Builds a template sized to a dataset's inputs and target, and makes it current. */
  fromTemplate: method<ModelGraph>()(z.object({ template: z.enum(TEMPLATE_IDS), datasetId: z.string().optional() })),
  /** Reads a Keras model config JSON (Sequential or Functional) and makes it current. */
  importKeras: method<ModelGraph>()(z.object({ json: z.string().min(1) })),
};
