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
