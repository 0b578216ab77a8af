/**
 * The server side of both transports: looks a wire name up in the spec, validates the input
 * with its zod schema and calls the handler. Errors come back serialised with a stable code.
 */
import { apiSpec, type ApiHandlers } from './index.js';
import { AppError } from '../errors.js';
import type { MethodSpec } from './contract.js';
import type { z } from 'zod';

export function dispatch(handlers: ApiHandlers, name: string, input: unknown): Promise<unknown> {
  const [feature = '', m = ''] = name.split('.');
  // Own properties only: a name like "constructor.prototype" must not reach Object's prototype.
  const specs = apiSpec as Record<string, Record<string, MethodSpec<z.ZodType, unknown>>>;
  const impls = handlers as unknown as Record<string, Record<string, (i: unknown) => Promise<unknown>>>;
  const spec = Object.hasOwn(specs, feature) && Object.hasOwn(specs[feature]!, m) ? specs[feature]![m] : undefined;
  const handler = spec && Object.hasOwn(impls, feature) ? impls[feature]![m] : undefined;
  if (!spec || typeof handler !== 'function') return Promise.reject(new AppError('INVALID_REQUEST', `Unknown api method '${name}'.`));
  const parsed = spec.input.safeParse(input ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`);
    return Promise.reject(new AppError('INVALID_REQUEST', `Invalid input to ${name}: ${issues.join('; ')}`, { issues }));
  }
  return handler(parsed.data);
}
