/**
 * What a trainer process does for a pre-label request: loads the backend and the detector once,
 * then proposes boxes image by image, sending each image's proposals as soon as they are made
 * (the core saves them at once). A stop ends the job between images.
 */
import type { FromWorker, PrelabelModel, ToWorker } from './messages.js';
import { loadBackend, type Tf } from '../engine/backend.js';
import { loadFromArtifacts } from '../engine/artifacts.js';
import { MAX_DETECTIONS_PER_IMAGE, NMS_IOU } from '../../shared/detection.js';
import { loadPretrainedDetector, prelabelImages, proposerFromModel, type Proposer } from '../engine/detector/index.js';
import { PROPOSERS } from './proposers.js';
import { AppError } from '../../shared/errors.js';

type Send = (m: FromWorker) => void;

export async function runPrelabel(m: Extract<ToWorker, { type: 'prelabel' }>, send: Send, shouldStop: () => boolean): Promise<void> {
  const entry = PROPOSERS.find((p) => p.id === m.proposer);
  if (!entry && !m.model) throw new AppError('DETECTOR_UNAVAILABLE', `No proposer '${m.proposer}': expected one of ${PROPOSERS.map((p) => p.id).join(', ')}.`);
  const { tf, info } = await loadBackend(m.backend);
  send({ type: 'backend', info });
  const detector = m.model ? await userDetector(tf, m.proposer, m.model) : await loadPretrainedDetector(tf, { model: entry!.model, classes: entry!.classes });
  try {
    let done = 0;
    // Large photos are shrunk for detection and the boxes mapped back; the next photo is decoded
    // while this one is detected; a photo that cannot be read is reported and the job goes on.
    for await (const r of prelabelImages(detector, m.items, { shouldStop, minScore: m.minScore })) {
      send({ type: 'proposals', itemId: r.id, proposals: r.proposals, ...(r.error ? { error: r.error.message } : {}) });
      done++;
    }
    send({ type: 'prelabelled', images: done });
  } finally {
    detector.dispose();
  }
}

/**
 * A trained run's grid detector as a Proposer: photos stretched to its Input and scaled to 0–1,
 * as its training decoded them, its head read with the evaluation's NMS and cap.
 */
async function userDetector(tf: Tf, id: string, m: PrelabelModel): Promise<Proposer> {
  const model = await loadFromArtifacts(tf, m.weights);
  const [height, width] = model.inputs[0]!.shape.slice(1) as number[];
  return proposerFromModel(tf, model, {
    id,
    name: m.name,
    classes: m.classes,
    input: { width: width!, height: height!, fit: 'stretch', scale: 'unit' },
    head: { kind: 'grid' },
    iouThreshold: NMS_IOU,
    maxBoxes: MAX_DETECTIONS_PER_IMAGE,
  });
}
