import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { adaptUtilityProcess, utilityWorkerSpawner, type UtilityChild } from '../../../main/electron/utility-worker.js';
import { trainerEnvironment } from '../../../main/jobs/trainer-env.js';

/** Behaves like Electron's UtilityProcess as far as the adapter can tell. */
class FakeUtilityProcess extends EventEmitter {
  pid: number | undefined = 4242;
  posted: unknown[] = [];
  killCalls = 0;
  postMessage(m: unknown) {
    this.posted.push(m);
  }
  kill() {
    this.killCalls++;
    setImmediate(() => this.emit('exit', 15));
    return true;
  }
}

const fake = () => new FakeUtilityProcess();
const asChild = (f: FakeUtilityProcess) => f as unknown as UtilityChild;

describe('utility-process trainer', () => {
  it('forks the entry as a named service with inherited output', () => {
    const f = fake();
    const fork = vi.fn(() => asChild(f));
    const proc = utilityWorkerSpawner(fork)('/app/dist/main/worker.js');
    expect(fork).toHaveBeenCalledWith('/app/dist/main/worker.js', [], { serviceName: 'Layerbench trainer', stdio: 'inherit', env: trainerEnvironment() });
    expect(proc.pid).toBe(4242);
  });

  it('passes messages both ways as objects (structured clone, no JSON step)', () => {
    const f = fake();
    const proc = adaptUtilityProcess(asChild(f));
    const got: unknown[] = [];
    proc.onMessage((m) => got.push(m));
    const weights = new Float32Array([1, 2, 3]);
    proc.send({ type: 'train', weights });
    f.emit('message', { type: 'ready' });
    expect(f.posted).toEqual([{ type: 'train', weights }]);
    expect((f.posted[0] as { weights: unknown }).weights).toBe(weights);
    expect(got).toEqual([{ type: 'ready' }]);
  });

  it('reports an exit it caused as a kill, so a stopped run is not called a crash', async () => {
    const f = fake();
    const proc = adaptUtilityProcess(asChild(f));
    const exit = new Promise((resolve) => proc.onExit((code, signal) => resolve({ code, signal })));
    proc.kill();
    expect(await exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(f.killCalls).toBe(1);
  });

  it('reports a crash with its exit code, and never a clean 0 after a fatal error', () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const crashed = fake();
    const exits: unknown[] = [];
    adaptUtilityProcess(asChild(crashed)).onExit((code, signal) => exits.push({ code, signal }));
    crashed.emit('exit', 134);

    const fatal = fake();
    adaptUtilityProcess(asChild(fatal)).onExit((code, signal) => exits.push({ code, signal }));
    fatal.emit('error', 'FatalError', 'v8::ToLocalChecked', 'report');
    fatal.emit('exit', 0);

    expect(exits).toEqual([
      { code: 134, signal: null },
      { code: 1, signal: null },
    ]);
    expect(quiet).toHaveBeenCalledWith(expect.stringMatching(/FatalError at v8::ToLocalChecked/));
    quiet.mockRestore();
  });
});
