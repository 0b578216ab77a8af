/**
 * A trainer process, whichever way it was started: `child_process.fork` in serve mode and the
 * CLI, Electron's `utilityProcess.fork` in the desktop app (main/electron/ supplies that one).
 */
import { fork } from 'node:child_process';
import { trainerEnvironment } from './trainer-env.js';

export interface WorkerProcess {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** code is null when killed by a signal. */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(): void;
  readonly pid: number | undefined;
}

export type WorkerSpawner = (entry: string) => WorkerProcess;

export const forkWorker: WorkerSpawner = (entry) => {
  const child = fork(entry, [], {
    // Structured clone, so weight buffers cross as bytes rather than JSON arrays.
    serialization: 'advanced',
    // The trainer's own output (TF.js notices) goes to our stderr: stdout is the CLI's --json channel.
    stdio: ['ignore', 2, 2, 'ipc'],
    execArgv: entry.endsWith('.ts') ? ['--import', 'tsx'] : [],
    env: trainerEnvironment(),
  });
  // A send to a trainer that has just died fails; its exit is reported separately.
  child.on('error', () => undefined);
  return {
    send: (m) => {
      if (child.connected) child.send(m as never, (e) => void e);
    },
    onMessage: (l) => void child.on('message', l),
    onExit: (l) => void child.on('exit', (code, signal) => l(code, signal)),
    kill: () => void child.kill('SIGKILL'),
    get pid() {
      return child.pid;
    },
  };
};
