/**
 * What a trainer process does for a pre-label request: loads the backend and the detector once,
 * then proposes boxes image by image, sending each image's proposals as soon as they are made
 * (the core saves them at once). A stop ends the job between images.
 */
import type { FromWorker, ToWorker } from './messages.js';
import { loadBackend } from '../engine/backend.js';
import { loadPretrainedDetector } from '../engine/detector/index.js';
import { decodeRgb } from '../engine/detector/decode.js';
import { PROPOSERS } from './proposers.js';
import { AppError } from '../../shared/errors.js';

type Send = (m: FromWorker) => void;

export async function runPrelabel(m: Extract<ToWorker, { type: 'prelabel' }>, send: Send, shouldStop: () => boolean): Promise<void> {
  const entry = PROPOSERS.find((p) => p.id === m.proposer);
  if (!entry) throw new AppError('DETECTOR_UNAVAILABLE', `No proposer '${m.proposer}': expected one of ${PROPOSERS.map((p) => p.id).join(', ')}.`);
  const { tf, info } = await loadBackend(m.backend);
  send({ type: 'backend', info });
  const detector = await loadPretrainedDetector(tf, { model: entry.model, classes: entry.classes });
  try {
    let done = 0;
    for (const item of m.items) {
      if (shouldStop()) break;
      const image = await decodeRgb(item.path);
      const proposals = await detector.detect(image, { minScore: m.minScore });
      send({ type: 'proposals', itemId: item.id, proposals });
      done++;
    }
    send({ type: 'prelabelled', images: done });
  } finally {
    detector.dispose();
  }
}
