// Name and version of the app, injected at build time from package.json (see electron.vite.config.ts).
declare const __APP_VERSION__: string;

export const APP_NAME = 'MLP Studio';
export const APP_VERSION: string = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : '0.0.0-dev';
