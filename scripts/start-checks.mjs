// What `npm start` (scripts/start.mjs) checks before it launches Electron, as plain functions to test.
import { readFileSync, statSync } from 'node:fs';

/** Why Electron cannot open a window here, or null. On Linux it needs a display server (X11 or Wayland). */
export function missingDisplay(platform, env) {
  if (platform !== 'linux' || env.DISPLAY || env.WAYLAND_DISPLAY) return null;
  return 'there is no display to open a window on (neither DISPLAY nor WAYLAND_DISPLAY is set)';
}

function readText(path) {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

function fileOwner(path) {
  try {
    const info = statSync(path);
    return { uid: info.uid, mode: info.mode };
  } catch {
    return null;
  }
}

/**
 * Whether Electron must start with --no-sandbox on this Linux machine, else it aborts ("The SUID sandbox helper
 * binary was found, but is not configured correctly"): as root, or where unprivileged user namespaces are
 * restricted (Ubuntu ≥ 23.10's AppArmor, Debian's sysctl) and node_modules' chrome-sandbox is not setuid root
 * (npm never makes it so). Installed packages (deb) set chrome-sandbox up; this is for `npm start` only.
 */
export function needsNoSandbox(platform, { uid, sandboxHelper, read = readText, owner = fileOwner }) {
  if (platform !== 'linux') return false;
  if (uid === 0) return true;
  const restricted = read('/proc/sys/kernel/apparmor_restrict_unprivileged_userns') === '1' || read('/proc/sys/kernel/unprivileged_userns_clone') === '0';
  if (!restricted) return false;
  const helper = owner(sandboxHelper);
  const setuidRoot = helper !== null && helper.uid === 0 && (helper.mode & 0o4000) !== 0;
  return !setuidRoot;
}

/**
 * The command that opens `url` in the user's default browser, or null where no window can open (a Linux
 * machine with no display. Windows' `start` is a cmd built-in whose first quoted argument is a window title, so
 * its line is passed as it is (verbatim: Node would escape the empty title's quotes).
 */
export function browserOpener(platform, env, url) {
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""', url], verbatim: true };
  if (platform === 'darwin') return { command: 'open', args: [url] };
  if (missingDisplay(platform, env)) return null;
  return { command: 'xdg-open', args: [url] };
}

/** The address browser mode prints when it is ready (`http://127.0.0.1:PORT/?token=…` on a line of its own),
 *  or null — also while its line has not all come (output arrives in chunks). */
export function browserModeAddress(output) {
  return /^(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)\r?\n/m.exec(output)?.[1] ?? null;
}
