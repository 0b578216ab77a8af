/**
 * Picks the transport the page runs under: the Electron preload bridge, or a WebSocket to
 * `layerbench serve` (the token comes from the page URL, as Jupyter does).
 */
import { createClient, type ApiClient, type Transport } from '../../../shared/api/client.js';
import type { ApiEvents, EventName } from '../../../shared/api/index.js';
import { deserializeError } from '../../../shared/errors.js';
import type { ClientMessage, DesktopBridge, ServerMessage } from '../../../shared/api/wire.js';

declare global {
  interface Window {
    layerbench?: DesktopBridge;
  }
}

type Listener = (payload: never) => void;

class Listeners {
  private map = new Map<string, Set<Listener>>();
  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
    const set = this.map.get(event) ?? new Set();
    set.add(listener as Listener);
    this.map.set(event, set);
    return () => set.delete(listener as Listener);
  }
  emit(event: string, payload: unknown): void {
    for (const l of this.map.get(event) ?? []) (l as (p: unknown) => void)(payload);
  }
}

export function desktopTransport(bridge: DesktopBridge): Transport {
  const listeners = new Listeners();
  bridge.on((event, payload) => listeners.emit(event, payload));
  return {
    async invoke(method, input) {
      const r = await bridge.invoke(method, input);
      if (r.ok) return r.result;
      throw deserializeError(r.error);
    },
    on: (event, listener) => listeners.on(event, listener),
  };
}

export function serveToken(): string {
  const fromUrl = new URLSearchParams(location.search).get('token');
  if (fromUrl) sessionStorage.setItem('layerbench-token', fromUrl);
  return fromUrl ?? sessionStorage.getItem('layerbench-token') ?? '';
}

/** WebSocket transport; reconnects with backoff and fails pending calls when the socket drops. */
export function socketTransport(onConnection?: (connected: boolean) => void): Transport {
  const listeners = new Listeners();
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let ready: Promise<WebSocket> | null = null;
  let delay = 250;

  function connect(): Promise<WebSocket> {
    if (ready) return ready;
    ready = new Promise<WebSocket>((resolve, reject) => {
      const url = new URL('api', location.href);
      url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
      url.search = `?token=${encodeURIComponent(serveToken())}`;
      const ws = new WebSocket(url);
      ws.onopen = () => {
        socket = ws;
        delay = 250;
        onConnection?.(true);
        resolve(ws);
      };
      ws.onmessage = (m) => {
        const msg = JSON.parse(String(m.data)) as ServerMessage;
        if (msg.type === 'event') return listeners.emit(msg.event, msg.payload);
        const p = pending.get(msg.id);
        if (!p) return;
        pending.delete(msg.id);
        if (msg.type === 'result') p.resolve(msg.result);
        else p.reject(deserializeError(msg.error));
      };
      ws.onclose = () => {
        const wasOpen = socket === ws;
        socket = null;
        ready = null;
        onConnection?.(false);
        for (const p of pending.values()) p.reject(new Error('Lost the connection to the Layerbench server.'));
        pending.clear();
        if (!wasOpen) reject(new Error('Could not connect to the Layerbench server.'));
        setTimeout(() => void connect().catch(() => undefined), delay);
        delay = Math.min(delay * 2, 5000);
      };
    });
    return ready;
  }

  return {
    async invoke(method, input) {
      const ws = await connect();
      const id = nextId++;
      const msg: ClientMessage = { type: 'call', id, method, input };
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        ws.send(JSON.stringify(msg));
      });
    },
    on: (event, listener) => listeners.on(event, listener),
  };
}

/** Uploads a dropped or picked file to the serve-mode host and returns its path there. */
export async function uploadFile(file: File, onProgress?: (fraction: number) => void): Promise<string> {
  if (window.layerbench) return window.layerbench.pathForFile(file);
  const url = `upload?token=${encodeURIComponent(serveToken())}&name=${encodeURIComponent(file.name)}`;
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress?.(e.loaded / e.total);
    xhr.onload = () => {
      if (xhr.status === 200) resolve((JSON.parse(xhr.responseText) as { path: string }).path);
      else reject(new Error(`Upload of ${file.name} failed: ${xhr.status} ${xhr.responseText}`));
    };
    xhr.onerror = () => reject(new Error(`Upload of ${file.name} failed: the server did not answer.`));
    xhr.send(file);
  });
}

/**
 * Uploads the files of a dropped or picked folder to the serve-mode host, keeping their paths
 * inside the folder, and returns the folder's path there. Four at a time; `onProgress` gets files
 * and bytes sent so far. Stops (with a CancelledError-like rejection) when `signal` aborts.
 */
export async function uploadFolder(
  files: { file: File; relPath: string }[],
  onProgress?: (p: { files: number; filesTotal: number; bytes: number; bytesTotal: number }) => void,
  signal?: AbortSignal,
): Promise<string> {
  const batch = crypto.randomUUID();
  const bytesTotal = files.reduce((n, f) => n + f.file.size, 0);
  let sent = 0;
  let bytes = 0;
  let dir: string | null = null;
  let next = 0;
  const one = async () => {
    while (next < files.length) {
      if (signal?.aborted) throw new DOMException('Upload cancelled.', 'AbortError');
      const { file, relPath } = files[next++]!;
      const url = `upload?token=${encodeURIComponent(serveToken())}&batch=${batch}&name=${encodeURIComponent(relPath)}`;
      const res = await fetch(url, { method: 'POST', body: file, signal });
      if (!res.ok) throw new Error(`Upload of ${relPath} failed: ${res.status} ${await res.text()}`);
      dir ??= ((await res.json()) as { dir: string }).dir;
      sent++;
      bytes += file.size;
      onProgress?.({ files: sent, filesTotal: files.length, bytes, bytesTotal });
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, files.length) }, one));
  if (!dir) throw new Error('Nothing was uploaded: the folder is empty.');
  return dir;
}

export function connectApi(onConnection?: (connected: boolean) => void): ApiClient {
  return createClient(window.layerbench ? desktopTransport(window.layerbench) : socketTransport(onConnection));
}

/** Services only the desktop app has (native dialogs); null in a browser. */
export interface DesktopHost {
  pickFolder(): Promise<string | null>;
  pickFile(filters?: { name: string; extensions: string[] }[]): Promise<string | null>;
}

export function desktopHost(): DesktopHost | null {
  const bridge = window.layerbench;
  return bridge ? { pickFolder: () => bridge.pickFolder(), pickFile: (f) => bridge.pickFile(f) } : null;
}
