/**
 * The trainer process entry: one per run (or per evaluation). It owns TF.js, so a native crash
 * or an out-of-memory here ends this process only; the core marks the run failed.
 * Started by child_process.fork (process.send) or Electron's utilityProcess (process.parentPort).
 */
import type { ToWorker, FromWorker } from './messages.js';
import { runEvaluate, runProbe, runTrain } from './worker-jobs.js';
import { runPrelabel } from './prelabel-job.js';
import { runPredict } from './predict-job.js';
import { runExportParity } from './export-parity-job.js';
import { serializeError } from '../../shared/errors.js';

interface ParentPort {
  postMessage(m: unknown): void;
  on(event: 'message', l: (e: { data: unknown }) => void): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

const inFlight = new Set<Promise<void>>();

/** Sends a message; exits wait for every send to be handed to the parent (a weights message can be large). */
function send(m: FromWorker): void {
  if (parentPort) return parentPort.postMessage(m);
  const p = new Promise<void>((resolve) => process.send?.(m, undefined, {}, () => resolve()) ?? resolve());
  inFlight.add(p);
  void p.then(() => inFlight.delete(p));
}

async function exitWhenSent(): Promise<never> {
  await Promise.all(inFlight);
  // utilityProcess' postMessage has no callback: give it a moment.
  if (parentPort) await new Promise((r) => setTimeout(r, 50));
  process.exit(0);
}

let stopRequested = false;
let busy = false;

/** Holds training between batches while paused; a stop lets it go, to end. */
let release: (() => void) | null = null;
let gate: Promise<void> | null = null;
function setPaused(paused: boolean): void {
  if (paused && !gate) gate = new Promise<void>((r) => (release = r));
  if (!paused && gate) {
    release?.();
    gate = release = null;
  }
}

async function handle(m: ToWorker): Promise<void> {
  if (m.type === 'pause') {
    if (stopRequested) return;
    setPaused(m.paused);
    send({ type: 'paused', paused: m.paused });
    return;
  }
  if (m.type === 'stop') {
    stopRequested = true;
    setPaused(false);
    send({ type: 'stopping' });
    if (!busy) await exitWhenSent();
    return;
  }
  busy = true;
  try {
    if (m.type === 'train') await runTrain(m, send, () => stopRequested, () => gate ?? undefined);
    else if (m.type === 'evaluate') await runEvaluate(m, send);
    else if (m.type === 'probe') await runProbe(m, send);
    else if (m.type === 'predict') await runPredict(m, send);
    else if (m.type === 'exportParity') await runExportParity(m, send);
    else if (m.type === 'prelabel') await runPrelabel(m, send, () => stopRequested);
  } catch (e) {
    send({ type: 'error', error: serializeError(e) });
  } finally {
    busy = false;
    await exitWhenSent();
  }
}

const onMessage = (m: unknown) => void handle(m as ToWorker);
if (parentPort) parentPort.on('message', (e) => onMessage(e.data));
else process.on('message', onMessage);
// If the core goes away, so do we.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
