// `npm start`: build the app if needed, then open it: the desktop app (Electron), or — where Electron cannot
// start (no binary and no way to download it, or no display to open its window on) — the same app in
// browser mode, opened in the default browser (or, on a machine with no display, at an address it prints).
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { downloadElectronBinary, findElectronBinary } from './electron-binary.mjs';
import { browserModeAddress, browserOpener, missingDisplay, needsNoSandbox } from './start-checks.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const orBrowserMode = 'if it cannot run on this machine, run the same app in your browser: npm run web';

/** The Electron binary's path, or why the desktop app cannot open here. */
async function electronOrWhyNot() {
  let binary = findElectronBinary();
  if ('missing' in binary) {
    console.log(`MLP Studio: ${binary.missing}; downloading it once…`);
    const failure = await downloadElectronBinary();
    if (failure !== null) return { whyNot: `its Electron binary could not be downloaded (${failure})` };
    binary = findElectronBinary();
    if ('missing' in binary) return { whyNot: binary.missing };
  }
  const noDisplay = missingDisplay(process.platform, process.env);
  return noDisplay ? { whyNot: noDisplay } : { path: binary.path };
}

function build() {
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'ensure-built.mjs')], { stdio: 'inherit', cwd: root });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function startDesktopApp(binaryPath) {
  const noSandbox = needsNoSandbox(process.platform, { uid: process.getuid?.(), sandboxHelper: join(dirname(binaryPath), 'chrome-sandbox') });
  const child = spawn(binaryPath, [...(noSandbox ? ['--no-sandbox'] : []), root, ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
  child.on('error', (error) => {
    console.error(`MLP Studio cannot start Electron (${binaryPath}): ${error.message}; ${orBrowserMode}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (code !== 0) console.error(`MLP Studio: Electron ended with ${signal ?? `exit code ${code}`}; ${orBrowserMode}`);
    process.exit(code ?? 1);
  });
}

/** Browser mode (`npm run web` on a free port), and the default browser opened at its address once it is up. */
function startBrowserMode() {
  const server = spawn(process.execPath, [join(root, 'out', 'main', 'web.js'), '--port', '0'], { stdio: ['inherit', 'pipe', 'inherit'], cwd: root });
  let output = '';
  let opened = false;
  server.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    output += chunk;
    const address = opened ? null : browserModeAddress(output);
    if (address) {
      opened = true;
      openInBrowser(address);
    }
  });
  // Ctrl+C reaches both processes; this one waits for the server to close its runs.
  process.on('SIGINT', () => {});
  process.on('SIGHUP', () => {}); // a closed terminal: the server gets it too, and closes its runs first
  process.on('SIGTERM', () => server.kill('SIGTERM'));
  server.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

function openInBrowser(address) {
  const opener = browserOpener(process.platform, process.env, address);
  if (!opener) return; // no display: the address is printed, and the user was told to open it
  const child = spawn(opener.command, opener.args, { stdio: 'ignore', detached: true, windowsVerbatimArguments: opener.verbatim === true });
  child.on('error', () => console.log(`(Could not open a browser with ${opener.command}: open that address yourself.)`));
  child.unref();
}

const electron = await electronOrWhyNot();
build();
if ('path' in electron) startDesktopApp(electron.path);
else {
  const canOpen = browserOpener(process.platform, process.env, '') !== null;
  const instead = canOpen ? 'Opening the same app in your browser instead.' : 'Starting the same app in browser mode instead: open the address below in a browser on this machine (or through an SSH tunnel).';
  console.log(`MLP Studio cannot open as a desktop app here: ${electron.whyNot}. ${instead}`);
  startBrowserMode();
}
