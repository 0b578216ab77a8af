/** Starts `layerbench serve` as a real process (as a user would) and reads its URL. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface ServeProcess {
  url: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const CLI = path.join(ROOT, 'bin', 'layerbench.js');

export function startServe(home: string, extra: string[] = []): Promise<ServeProcess> {
  const proc = spawn(process.execPath, [CLI, 'serve', ...extra], { env: { ...process.env, LAYERBENCH_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += String(d)));
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d) => {
      out += String(d);
      const m = /serving at (\S+)/.exec(out);
      if (m)
        resolve({
          url: m[1]!,
          proc,
          stop: () =>
            new Promise<void>((r) => {
              if (proc.exitCode !== null) return r();
              proc.once('exit', () => r());
              proc.kill('SIGTERM');
            }),
        });
    });
    proc.once('exit', (code) => reject(new Error(`layerbench serve exited with ${code}: ${stderr}`)));
  });
}
