import { describe, expect, it, vi } from 'vitest';
import type { ApiHandlers } from '../../../shared/api/index.js';
import { AppError } from '../../../shared/errors.js';
import { invokeApi } from '../../../main/electron/invoke.js';

const project = { dir: '/p', name: 'p', createdAt: '2024-01-01T00:00:00.000Z', schemaVersion: 1 };

function handlers(over: Partial<ApiHandlers['projects']> = {}): ApiHandlers {
  return {
    projects: {
      current: async () => project,
      open: async ({ dir }: { dir: string }) => ({ ...project, dir }),
      ...over,
    },
  } as unknown as ApiHandlers;
}

describe('invokeApi', () => {
  it('answers a valid call with its result', async () => {
    expect(await invokeApi(handlers(), 'projects.current', {})).toEqual({ ok: true, result: project });
    expect(await invokeApi(handlers(), 'projects.open', { dir: ' /data/run ' })).toEqual({ ok: true, result: { ...project, dir: '/data/run' } });
  });

  it('answers bad input and unknown methods as INVALID_REQUEST data, never a rejection', async () => {
    const bad = await invokeApi(handlers(), 'projects.open', { dir: 42 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(!bad.ok && bad.error.message).toMatch(/Invalid input to projects\.open: dir/);
    expect(await invokeApi(handlers(), 'projects.format', {})).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', message: "Unknown api method 'projects.format'." } });
    expect(await invokeApi(handlers(), 42, {})).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
  });

  it('passes expected errors through with their code and details, without logging them', async () => {
    const log = vi.fn();
    const r = await invokeApi(
      handlers({ current: async () => Promise.reject(new AppError('NO_PROJECT', 'No project is open.', { hint: 'open one' })) }),
      'projects.current',
      {},
      log,
    );
    expect(r).toEqual({ ok: false, error: { code: 'NO_PROJECT', message: 'No project is open.', details: { hint: 'open one' } } });
    expect(log).not.toHaveBeenCalled();
  });

  it('logs bugs with their stack and sends only the message', async () => {
    const log = vi.fn();
    const bug = new TypeError("Cannot read properties of undefined (reading 'dir')");
    const r = await invokeApi(handlers({ current: async () => Promise.reject(bug) }), 'projects.current', {}, log);
    expect(r).toEqual({ ok: false, error: { code: 'INTERNAL', message: bug.message } });
    expect(log).toHaveBeenCalledWith(bug);
  });
});
