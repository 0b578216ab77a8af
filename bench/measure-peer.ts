/**
 * The PyTorch peer of a journey: the same model, batch size, optimizer, seed and data, handed to
 * bench/peers/torch_peer.py through a spec built from `JOURNEY_TRAINING`, so the two sides cannot
 * drift apart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JOURNEY_TRAINING, SEED, type Prepared } from './journeys.js';
import { findTorchPython, runPeer, type PeerPython, type PeerResult, type PeerSpec } from './peers/peer.js';

/** PyTorch's figures for the journey over `epochs`; null (the reason on stderr) when the peer fails. */
export function measurePeer(python: string, p: Prepared, epochs: number, threads: number | null): PeerResult | null {
  const dir = mkdtempSync(path.join(os.tmpdir(), `lb-peer-${p.journey}-`));
  try {
    const h = JOURNEY_TRAINING[p.journey];
    const spec: PeerSpec = {
      journey: p.journey,
      batch_size: h.batchSize,
      epochs,
      optimizer: h.optimizer === 'sgd' ? 'sgd' : 'adam',
      learning_rate: h.learningRate,
      momentum: h.momentum ?? 0,
      loss: h.loss === 'meanAbsoluteError' ? 'mae' : 'categorical_crossentropy',
      seed: SEED,
      threads,
      ...p.peer(dir),
    };
    return runPeer(python, spec, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `--peer auto` (the default) looks for a Python with torch; `none` skips the peer. */
export function resolvePeer(choice: string | undefined): PeerPython | null {
  if (choice === 'none') return null;
  return findTorchPython(choice === undefined || choice === 'auto' ? undefined : choice);
}
