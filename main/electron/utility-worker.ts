/**
 * Trainer processes in the desktop app: Electron's utilityProcess instead of child_process.fork
 * (a Node child inside Electron would need ELECTRON_RUN_AS_NODE and shows up as a second app).
 * Messages use structured clone, as the forked worker's 'advanced' serialization does, so weight
 * buffers cross as bytes. The worker side reads `process.parentPort` (main/jobs/worker.ts).
 */
import type { UtilityProcess, ForkOptions } from 'electron';
import type { WorkerProcess, WorkerSpawner } from '../jobs/process.js';
import { trainerEnvironment } from '../jobs/trainer-env.js';

/** The slice of UtilityProcess we use; a fake of it is enough for tests. */
export type UtilityChild = Pick<UtilityProcess, 'postMessage' | 'kill' | 'pid'> & {
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  on(event: 'error', listener: (type: string, location: string, report: string) => void): unknown;
};

export type UtilityFork = (modulePath: string, args?: string[], options?: ForkOptions) => UtilityChild;

export function utilityWorkerSpawner(fork: UtilityFork): WorkerSpawner {
  return (entry) => adaptUtilityProcess(fork(entry, [], { serviceName: 'Layerbench trainer', stdio: 'inherit', env: trainerEnvironment() }));
}

/**
 * utilityProcess reports only an exit code. When we killed the child (stop, or app quit) the
 * exit is reported as a SIGKILL, so the job runner tells "stopped" from "crashed" the same way
 * it does for a forked process.
 */
export function adaptUtilityProcess(child: UtilityChild): WorkerProcess {
  let killed = false;
  let fatal: string | null = null;
  child.on('error', (type, location, report) => {
    fatal = `${type} at ${location}`;
    console.error(`Layerbench trainer (pid ${child.pid ?? '?'}) failed: ${fatal}\n${report}`);
  });
  return {
    send: (m) => child.postMessage(m),
    onMessage: (l) => void child.on('message', l),
    onExit: (l) =>
      void child.on('exit', (code) => {
        if (killed) l(null, 'SIGKILL');
        else l(fatal && code === 0 ? 1 : code, null);
      }),
    kill: () => {
      killed = true;
      child.kill();
    },
    get pid() {
      return child.pid;
    },
  };
}
