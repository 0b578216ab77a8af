import { describe, it, expect } from 'vitest';
import { apiSpec } from '../../../shared/api/index.js';
import { API_METHODS } from '../../../shared/api/methods.js';
import { dispatch } from '../../../shared/api/dispatch.js';
import { createClient } from '../../../shared/api/client.js';
import type { ApiHandlers } from '../../../shared/api/index.js';
import { AppError, serializeError, deserializeError } from '../../../shared/errors.js';

describe('api contract', () => {
  it('the zod-free method list names exactly the methods of the spec', () => {
    const fromSpec = Object.fromEntries(Object.entries(apiSpec).map(([f, s]) => [f, Object.keys(s).sort()]));
    const fromList = Object.fromEntries(Object.entries(API_METHODS).map(([f, m]) => [f, [...m].sort()]));
    expect(fromList).toEqual(fromSpec);
  });

  const calls: unknown[] = [];
  const handlers = {
    projects: { create: async (i: unknown) => (calls.push(i), { dir: '/x', name: 'x', createdAt: '', schemaVersion: 1 }) },
  } as unknown as ApiHandlers;

  it('validates input at the boundary and names the bad field', async () => {
    await expect(dispatch(handlers, 'projects.create', { dir: '' })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: 'Invalid input to projects.create: dir: a project folder path is required',
    });
    await expect(dispatch(handlers, 'training.start', { datasetId: 'd', settings: { batchSize: 0 } })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    expect(calls).toEqual([]);
  });

  it('refuses unknown methods', async () => {
    await expect(dispatch(handlers, 'projects.delete', {})).rejects.toThrow("Unknown api method 'projects.delete'.");
    await expect(dispatch(handlers, 'constructor.prototype', {})).rejects.toThrow('Unknown api method');
  });

  it('passes parsed (trimmed) input to the handler', async () => {
    await dispatch(handlers, 'projects.create', { dir: '  /tmp/p  ', name: 'P' });
    expect(calls.at(-1)).toEqual({ dir: '/tmp/p', name: 'P' });
  });

  it('the client calls "feature.method" over the transport and errors keep their code', async () => {
    const seen: string[] = [];
    const client = createClient({
      invoke: async (method) => {
        seen.push(method);
        throw deserializeError(serializeError(new AppError('NO_PROJECT', 'No project is open.')));
      },
      on: () => () => undefined,
    });
    await expect(client.datasets.list({})).rejects.toMatchObject({ code: 'NO_PROJECT', message: 'No project is open.' });
    expect(seen).toEqual(['datasets.list']);
  });

  it('bugs cross as INTERNAL with their message only', () => {
    expect(serializeError(new TypeError('x is undefined'))).toEqual({ code: 'INTERNAL', message: 'x is undefined' });
  });
});
