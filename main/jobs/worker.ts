/**
 * The trainer process entry: one per run (or per evaluation). It owns TF.js, so a native crash
 * or an out-of-memory here ends this process only; the core marks the run failed.
 * Started by child_process.fork (process.send) or Electron's utilityProcess (process.parentPort).
 */
import type { ToWorker, FromWorker } from './messages.js';
import { runEvaluate, runProbe, runTrain } from './worker-jobs.js';
import { serializeError } from '../../shared/errors.js';

interface ParentPort {
  postMessage(m: unknown): void;
  on(event: 'message', l: (e: { data: unknown }) => void): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function send(m: FromWorker): void {
  if (parentPort) parentPort.postMessage(m);
  else process.send?.(m);
}

let stopRequested = false;
let busy = false;

async function handle(m: ToWorker): Promise<void> {
  if (m.type === 'stop') {
    stopRequested = true;
    if (!busy) process.exit(0);
    return;
  }
  busy = true;
  try {
    if (m.type === 'train') await runTrain(m, send, () => stopRequested);
    else if (m.type === 'evaluate') await runEvaluate(m, send);
    else if (m.type === 'probe') await runProbe(m, send);
  } catch (e) {
    send({ type: 'error', error: serializeError(e) });
  } finally {
    busy = false;
    // Let the last message flush before leaving.
    setTimeout(() => process.exit(0), 50);
  }
}

const onMessage = (m: unknown) => void handle(m as ToWorker);
if (parentPort) parentPort.on('message', (e) => onMessage(e.data));
else process.on('message', onMessage);
// If the core goes away, so do we.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
