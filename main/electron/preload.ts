/**
 * The sandboxed preload (built to CommonJS): exposes `window.layerbench`, the DesktopBridge,
 * and nothing of ipcRenderer itself. Only the channels in CHANNELS are ever used, and event
 * listeners never see the IpcRendererEvent (which would leak `sender`).
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { DesktopBridge } from '../../shared/api/wire.js';
import { CHANNELS } from './channels.js';

const bridge: DesktopBridge = {
  invoke: (method, input) => ipcRenderer.invoke(CHANNELS.invoke, String(method), input),
  on(listener) {
    if (typeof listener !== 'function') throw new TypeError('layerbench.on expects a function');
    const wrapped = (_e: IpcRendererEvent, event: string, payload: unknown) => listener(event, payload);
    ipcRenderer.on(CHANNELS.event, wrapped);
    return () => void ipcRenderer.removeListener(CHANNELS.event, wrapped);
  },
  pickFile: (filters) => ipcRenderer.invoke(CHANNELS.pickFile, filters),
  pickFolder: () => ipcRenderer.invoke(CHANNELS.pickFolder),
  pathForFile: (file) => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld('layerbench', bridge);
