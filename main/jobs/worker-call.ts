/** Starts a trainer process for one request and hands its messages to the caller. */
import type { WorkerProcess, WorkerSpawner } from './process.js';
import type { FromWorker, ToWorker } from './messages.js';
import { AppError } from '../../shared/errors.js';

export interface WorkerSession {
  proc: WorkerProcess;
  /** Resolves when the process has exited, with a reason when it ended abnormally. */
  exited: Promise<{ code: number | null; signal: string | null }>;
}

/** `request` may still be in the making (images being decoded): it is sent once both it and the process are ready; if it fails, the caller kills the process. */
export function startWorker(spawn: WorkerSpawner, entry: string, request: ToWorker | Promise<ToWorker>, onMessage: (m: FromWorker) => void): WorkerSession {
  const proc = spawn(entry);
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => proc.onExit((code, signal) => resolve({ code, signal })));
  proc.onMessage((raw) => {
    const m = raw as FromWorker;
    if (m.type === 'ready') void Promise.resolve(request).then((r) => proc.send(r), () => undefined);
    else onMessage(m);
  });
  return { proc, exited };
}

export function exitReason(code: number | null, signal: string | null): string {
  return signal ? `The trainer process was killed (${signal}).` : `The trainer process ended unexpectedly (exit code ${code}).`;
}

/** One request, one answer: probe or evaluate. Rejects with the worker's error or its exit reason. */
export function callWorker<T extends FromWorker['type']>(
  spawn: WorkerSpawner,
  entry: string,
  request: ToWorker,
  answer: T,
): Promise<Extract<FromWorker, { type: T }>> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const s = startWorker(spawn, entry, request, (m) => {
      if (settled) return;
      if (m.type === answer) {
        settled = true;
        resolve(m as Extract<FromWorker, { type: T }>);
      } else if (m.type === 'error') {
        settled = true;
        reject(new AppError(m.error.code, m.error.message, m.error.details));
      }
    });
    void s.exited.then(({ code, signal }) => {
      if (!settled) reject(new AppError('TRAINING_FAILED', exitReason(code, signal)));
    });
  });
}
