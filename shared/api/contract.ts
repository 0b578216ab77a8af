/**
 * The api is declared once, here: each feature is a record of methods, each with a zod schema
 * for its input and a phantom type for its result. Transports (Electron IPC, WebSocket) and the
 * client are derived generically from these records, as VS Code's ProxyChannel does.
 */
import type { z } from 'zod';

export interface MethodSpec<I extends z.ZodType, O> {
  input: I;
  /** Never read at run time; carries the result type. */
  output?: O;
}

/** `method<Result>()(inputSchema)`: curried so the input type is inferred from the schema. */
export function method<O>() {
  return <I extends z.ZodType>(input: I): MethodSpec<I, O> => ({ input });
}

export type FeatureSpec = Record<string, MethodSpec<z.ZodType, unknown>>;

/** The callable form of a feature: what the renderer and the core implement. */
export type FeatureApi<F extends FeatureSpec> = {
  [K in keyof F]: F[K] extends MethodSpec<infer I, infer O> ? (input: z.input<I>) => Promise<O> : never;
};

/** The form the core implements: it receives validated (parsed) input. */
export type FeatureHandlers<F extends FeatureSpec> = {
  [K in keyof F]: F[K] extends MethodSpec<infer I, infer O> ? (input: z.output<I>) => Promise<O> : never;
};
