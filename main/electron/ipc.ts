/**
 * Binds the api to Electron IPC: one invoke channel for every method (names and inputs are
 * checked by `dispatch` against the zod specs), one event channel, and the native dialogs.
 * Every handler first checks that the caller is our window's own top frame on `layerbench://app/`.
 */
import { dialog, ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { ApiHandlers, EventName } from '../../shared/api/index.js';
import { CHANNELS } from './channels.js';
import { invokeApi } from './invoke.js';
import { isTrustedSender, parsePickFilters } from './security.js';

/** The part of the core the IPC binding needs. */
export interface IpcCore {
  handlers: ApiHandlers;
  onEvent(listener: (event: EventName, payload: unknown) => void): () => void;
}

export function registerIpc(core: IpcCore, getWindow: () => BrowserWindow | null): () => void {
  const trusted = (e: IpcMainInvokeEvent): BrowserWindow | null => {
    const win = getWindow();
    if (!win || win.isDestroyed() || e.sender !== win.webContents) return null;
    const frame = e.senderFrame;
    return isTrustedSender(frame ? { url: frame.url, isMainFrame: frame.parent === null } : null) ? win : null;
  };
  const refuse = (channel: string, e: IpcMainInvokeEvent) =>
    `Refused ${channel} from ${e.senderFrame?.url ?? 'an unknown frame'}: only the Layerbench window may use it.`;

  ipcMain.handle(CHANNELS.invoke, (e, method: unknown, input: unknown) => {
    if (!trusted(e)) return { ok: false, error: { code: 'FORBIDDEN', message: refuse(CHANNELS.invoke, e) } };
    return invokeApi(core.handlers, method, input);
  });

  ipcMain.handle(CHANNELS.pickFile, async (e, filters: unknown) => {
    const win = trusted(e);
    if (!win) throw new Error(refuse(CHANNELS.pickFile, e));
    const parsed = parsePickFilters(filters);
    const r = await dialog.showOpenDialog(win, { properties: ['openFile'], ...(parsed ? { filters: parsed } : {}) });
    return r.canceled ? null : (r.filePaths[0] ?? null);
  });

  ipcMain.handle(CHANNELS.pickFolder, async (e) => {
    const win = trusted(e);
    if (!win) throw new Error(refuse(CHANNELS.pickFolder, e));
    const r = await dialog.showOpenDialog(win, { properties: ['openDirectory', 'createDirectory'] });
    return r.canceled ? null : (r.filePaths[0] ?? null);
  });

  const stopEvents = core.onEvent((event, payload) => {
    const win = getWindow();
    if (win && !win.isDestroyed() && !win.webContents.isDestroyed()) win.webContents.send(CHANNELS.event, event, payload);
  });

  return () => {
    stopEvents();
    for (const c of [CHANNELS.invoke, CHANNELS.pickFile, CHANNELS.pickFolder]) ipcMain.removeHandler(c);
  };
}
