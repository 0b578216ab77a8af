/** Messages of the WebSocket transport (serve mode). Electron IPC carries the same calls. */
import type { SerializedError } from '../errors.js';

export type ClientMessage = { type: 'call'; id: number; method: string; input: unknown };

export type ServerMessage =
  | { type: 'result'; id: number; result: unknown }
  | { type: 'error'; id: number; error: SerializedError }
  | { type: 'event'; event: string; payload: unknown };

/** What the Electron preload exposes as `window.layerbench`: the api channel and a few host services. */
export interface DesktopBridge {
  invoke(method: string, input: unknown): Promise<{ ok: true; result: unknown } | { ok: false; error: SerializedError }>;
  on(listener: (event: string, payload: unknown) => void): () => void;
  /** Native dialogs; null when cancelled. */
  pickFile(filters?: { name: string; extensions: string[] }[]): Promise<string | null>;
  pickFolder(): Promise<string | null>;
  /** The file-system path of a dropped File (Electron's webUtils.getPathForFile). */
  pathForFile(file: File): string;
}
