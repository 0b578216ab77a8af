/** Builds the typed `Api` object over any transport that can invoke "feature.method" by name. */
import type { Api, ApiEvents, EventName } from './index.js';
import { API_METHODS } from './methods.js';

export interface Transport {
  invoke(method: string, input: unknown): Promise<unknown>;
  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}

export type ApiClient = Api & { on: Transport['on'] };

export function createClient(transport: Transport): ApiClient {
  const client: Record<string, Record<string, (input: unknown) => Promise<unknown>>> = {};
  for (const [feature, methods] of Object.entries(API_METHODS)) {
    const f: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const m of methods) f[m] = (input: unknown) => transport.invoke(`${feature}.${m}`, input ?? {});
    client[feature] = f;
  }
  return Object.assign(client as unknown as Api, { on: transport.on.bind(transport) });
}
