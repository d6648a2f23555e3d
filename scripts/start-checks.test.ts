// `npm start`'s checks before it launches Electron: a Linux machine with no display is told so (and gets
// browser mode) instead of seeing Electron's own failure; browser mode opens in the default browser where a
// window can open; and where Chromium's sandbox cannot start from
// node_modules (root, or Ubuntu ≥ 23.10's restricted user namespaces) Electron gets --no-sandbox.
import { describe, expect, it } from 'vitest';
import { browserModeAddress, browserOpener, missingDisplay, needsNoSandbox } from './start-checks.mjs';

describe('missingDisplay', () => {
  it('needs DISPLAY or WAYLAND_DISPLAY on Linux only', () => {
    expect(missingDisplay('linux', {})).toMatch(/no display/);
    expect(missingDisplay('linux', { DISPLAY: ':0' })).toBeNull();
    expect(missingDisplay('linux', { WAYLAND_DISPLAY: 'wayland-0' })).toBeNull();
    expect(missingDisplay('win32', {})).toBeNull();
    expect(missingDisplay('darwin', {})).toBeNull();
  });
});

describe('needsNoSandbox', () => {
  const sysctl = (values: Record<string, string>) => (path: string) => values[path] ?? null;
  const ubuntu = sysctl({ '/proc/sys/kernel/apparmor_restrict_unprivileged_userns': '1' });
  const helper = '/repo/node_modules/electron/dist/chrome-sandbox';
  const asInstalledByNpm = () => ({ uid: 1000, mode: 0o100755 });
  const setuidRoot = () => ({ uid: 0, mode: 0o104755 });

  it('is off outside Linux, and where user namespaces are free (the namespace sandbox works)', () => {
    expect(needsNoSandbox('darwin', { uid: 0, sandboxHelper: helper })).toBe(false);
    expect(needsNoSandbox('linux', { uid: 1000, sandboxHelper: helper, read: sysctl({}), owner: asInstalledByNpm })).toBe(false);
    expect(needsNoSandbox('linux', { uid: 1000, sandboxHelper: helper, read: sysctl({ '/proc/sys/kernel/apparmor_restrict_unprivileged_userns': '0' }), owner: asInstalledByNpm })).toBe(false);
  });

  it('is on as root, and where user namespaces are restricted and chrome-sandbox is not setuid root', () => {
    expect(needsNoSandbox('linux', { uid: 0, sandboxHelper: helper, read: sysctl({}), owner: setuidRoot })).toBe(true);
    expect(needsNoSandbox('linux', { uid: 1000, sandboxHelper: helper, read: ubuntu, owner: asInstalledByNpm })).toBe(true);
    expect(needsNoSandbox('linux', { uid: 1000, sandboxHelper: helper, read: sysctl({ '/proc/sys/kernel/unprivileged_userns_clone': '0' }), owner: () => null })).toBe(true);
  });

  it('keeps the sandbox when chrome-sandbox was made setuid root (sudo chown root, chmod 4755)', () => {
    expect(needsNoSandbox('linux', { uid: 1000, sandboxHelper: helper, read: ubuntu, owner: setuidRoot })).toBe(false);
  });
});

describe('browserOpener', () => {
  const url = 'http://127.0.0.1:4477/?token=ab12';

  it("opens the default browser with each OS's own command", () => {
    expect(browserOpener('linux', { DISPLAY: ':0' }, url)).toEqual({ command: 'xdg-open', args: [url] });
    expect(browserOpener('linux', { WAYLAND_DISPLAY: 'wayland-0' }, url)).toEqual({ command: 'xdg-open', args: [url] });
    expect(browserOpener('darwin', {}, url)).toEqual({ command: 'open', args: [url] });
    // `start`'s first quoted argument is the window's title: an empty one, passed verbatim, or the URL would be taken for it
    expect(browserOpener('win32', {}, url)).toEqual({ command: 'cmd', args: ['/c', 'start', '""', url], verbatim: true });
  });

  it('has nothing to open on a Linux machine with no display', () => {
    expect(browserOpener('linux', {}, url)).toBeNull();
  });
});

describe('browserModeAddress', () => {
  it("finds the address in browser mode's banner, once it is whole", () => {
    const banner = 'MLP Studio 0.1.0 (browser mode) — open this address in your browser:\nhttp://127.0.0.1:40841/?token=7bf477b5e7d0\ndata folder: /tmp/x\n';
    expect(browserModeAddress(banner)).toBe('http://127.0.0.1:40841/?token=7bf477b5e7d0');
    expect(browserModeAddress('MLP Studio 0.1.0 (browser mode) — open this address in your browser:\nhttp://127.0.0.1:408')).toBeNull();
    expect(browserModeAddress('MLP Studio 0.1.0 (browser mode) — open this address in your browser:\nhttp://127.0.0.1:40841/?token=7bf4')).toBeNull();
    expect(browserModeAddress('open this address in your browser:\r\nhttp://127.0.0.1:40841/?token=7bf4\r\n')).toBe('http://127.0.0.1:40841/?token=7bf4');
    expect(browserModeAddress('error: port 4477 is in use.\n')).toBeNull();
  });
});
