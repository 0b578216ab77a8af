/** The application menu: project actions, developer tools in development builds, a docs link. */
import { Menu, type MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  dev: boolean;
  openDocs(): void;
  newProject(): void;
  openProject(): void;
}

export function buildMenu(a: MenuActions): Menu {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'New Project…', accelerator: 'CmdOrCtrl+N', click: () => a.newProject() },
        { label: 'Open Project…', accelerator: 'CmdOrCtrl+O', click: () => a.openProject() },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        ...(a.dev
          ? ([{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as MenuItemConstructorOptions[])
          : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      role: 'help',
      submenu: [{ label: 'Layerbench Documentation', click: () => a.openDocs() }],
    },
  ];
  return Menu.buildFromTemplate(template);
}
