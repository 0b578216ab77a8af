/** The app window and the rules every web contents and the session live under. */
import { BrowserWindow, shell, type Session, type WebContents } from 'electron';
import { APP_ORIGIN } from './channels.js';
import { CONTENT_SECURITY_POLICY, isAppUrl, isExternalHttpUrl, isSameAppOrigin } from './security.js';

export function createMainWindow(preload: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Layerbench',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

/** No navigation away from the app, no new windows, no webviews; http(s) links go to the system browser. */
export function hardenWebContents(contents: WebContents): void {
  const leave = (e: { preventDefault(): void }, url: string) => {
    if (isSameAppOrigin(url)) return;
    e.preventDefault();
    if (isExternalHttpUrl(url)) void shell.openExternal(url);
  };
  contents.on('will-navigate', (e, url) => leave(e, url));
  contents.on('will-redirect', (e, url) => leave(e, url));
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalHttpUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

/** The CSP on every response of the app's own pages, and no permission (camera, geolocation, …) ever granted. */
export function applySessionPolicy(ses: Session): void {
  ses.webRequest.onHeadersReceived((details, callback) => {
    if (!isAppUrl(details.url)) return callback({});
    const headers: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(details.responseHeaders ?? {})) if (k.toLowerCase() !== 'content-security-policy') headers[k] = v;
    headers['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
    callback({ responseHeaders: headers });
  });
  ses.setPermissionRequestHandler((_wc, permission, callback) => callback(permission === 'clipboard-sanitized-write'));
  ses.setPermissionCheckHandler((_wc, permission) => permission === 'clipboard-sanitized-write');
}
