/**
 * The desktop app's main process: one window on `layerbench://app/`, the core hosted in this
 * process, trainers in utility processes. Everything that touches files, SQLite or TF.js is in
 * the core; this file only wires Electron to it.
 */
import { app, BrowserWindow, dialog, Menu, session, shell, utilityProcess, type OpenDialogOptions } from 'electron';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore, type Core } from '../core.js';
import { invokeApi } from './invoke.js';
import { registerIpc } from './ipc.js';
import { buildMenu } from './menu.js';
import { handleScheme, registerSchemePrivileges } from './protocol.js';
import { isExternalHttpUrl } from './security.js';
import { utilityWorkerSpawner } from './utility-worker.js';
import { applySessionPolicy, createMainWindow, hardenWebContents } from './window.js';

// Laid out by scripts/build.mjs: dist/main/electron/main.js next to preload.cjs, dist/main/worker.js, dist/renderer/.
const here = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));
const PRELOAD = here('./preload.cjs');
const WORKER_ENTRY = here('../worker.js');
const RENDERER_DIR = here('../../renderer/');

// Before `ready`: the scheme must be privileged (standard, secure) for a real origin and fetch.
registerSchemePrivileges();
app.enableSandbox();

if (!app.requestSingleInstanceLock()) app.quit();
else start();

function start(): void {
  let win: BrowserWindow | null = null;
  let core: Core | null = null;
  let stopIpc: (() => void) | null = null;
  let disposed = false;
  let disposing = false;
  const getWindow = () => (win && !win.isDestroyed() ? win : null);

  function openWindow(): void {
    win = createMainWindow(PRELOAD);
    win.on('closed', () => (win = null));
  }

  app.on('second-instance', () => {
    const w = getWindow();
    if (!w) return openWindow();
    if (w.isMinimized()) w.restore();
    w.focus();
  });

  app.on('web-contents-created', (_e, contents) => hardenWebContents(contents));

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (app.isReady() && core && !getWindow()) openWindow();
  });

  // The core owns open databases and trainer processes: close them before leaving.
  app.on('before-quit', (e) => {
    if (disposed || !core) return;
    e.preventDefault();
    if (disposing) return;
    disposing = true;
    stopIpc?.();
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 10_000).unref());
    void Promise.race([core.dispose(), timeout])
      .catch((err: unknown) => console.error('Layerbench: closing the core failed', err))
      .finally(() => {
        disposed = true;
        app.quit();
      });
  });

  void app.whenReady().then(() => {
    const c = createCore({
      appDataDir: app.getPath('userData'),
      workerEntry: WORKER_ENTRY,
      spawnWorker: utilityWorkerSpawner((modulePath, args, options) => utilityProcess.fork(modulePath, args, options)),
    });
    core = c;
    applySessionPolicy(session.defaultSession);
    handleScheme({
      rendererDir: RENDERER_DIR,
      projectDir: async () => (await c.handlers.projects.current({}))?.dir ?? null,
    });
    stopIpc = registerIpc(c, getWindow);

    const projectAction = async (kind: 'create' | 'open') => {
      const w = getWindow();
      const options: OpenDialogOptions = {
        title: kind === 'create' ? 'New project: choose an empty folder' : 'Open project folder',
        buttonLabel: kind === 'create' ? 'Create project' : 'Open project',
        properties: ['openDirectory', 'createDirectory', 'promptToCreate'],
      };
      const r = w ? await dialog.showOpenDialog(w, options) : await dialog.showOpenDialog(options);
      const dir = r.filePaths[0];
      if (r.canceled || !dir) return;
      const out = await invokeApi(c.handlers, `projects.${kind}`, { dir });
      if (!out.ok) {
        const message = kind === 'create' ? 'Could not create the project' : 'Could not open the project';
        if (w) await dialog.showMessageBox(w, { type: 'error', message, detail: out.error.message });
        else dialog.showErrorBox(message, out.error.message);
        return;
      }
      // The renderer reads the open project when it loads.
      if (w) w.webContents.reload();
      else openWindow();
    };

    Menu.setApplicationMenu(
      buildMenu({
        dev: !app.isPackaged,
        newProject: () => void projectAction('create'),
        openProject: () => void projectAction('open'),
        openDocs,
      }),
    );
    openWindow();
  });
}

/** The package's homepage when it has one, else the docs folder shipped with the app. */
function openDocs(): void {
  const root = app.getAppPath();
  let homepage: unknown;
  try {
    homepage = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { homepage?: unknown }).homepage;
  } catch {
    homepage = undefined;
  }
  if (typeof homepage === 'string' && isExternalHttpUrl(homepage)) void shell.openExternal(homepage);
  else void shell.openPath(path.join(root.replace(/app\.asar$/, 'app.asar.unpacked'), 'docs'));
}
