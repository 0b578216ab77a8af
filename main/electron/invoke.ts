/**
 * One api call from the renderer, answered as data: `{ok, result}` or `{ok: false, error}`.
 * Nothing is thrown across IPC, because Electron would wrap it into "Error invoking remote
 * method …" and drop its code. Plain TS, no Electron, so it is unit-tested directly.
 */
import type { ApiHandlers } from '../../shared/api/index.js';
import { dispatch } from '../../shared/api/dispatch.js';
import { serializeError, type SerializedError } from '../../shared/errors.js';

export type InvokeResult = { ok: true; result: unknown } | { ok: false; error: SerializedError };

export async function invokeApi(handlers: ApiHandlers, method: unknown, input: unknown, log: (e: unknown) => void = console.error): Promise<InvokeResult> {
  if (typeof method !== 'string') {
    return { ok: false, error: { code: 'INVALID_REQUEST', message: `The api method name must be a string; received ${typeof method}.` } };
  }
  try {
    return { ok: true, result: await dispatch(handlers, method, input) };
  } catch (e) {
    const error = serializeError(e);
    // Bugs keep their stack in the main process log; the renderer only gets the message.
    if (error.code === 'INTERNAL') log(e);
    return { ok: false, error };
  }
}
