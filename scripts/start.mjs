// `npm start`: launch the desktop app, after building it. Where Electron cannot start (no binary and no way to
// download it, no display, it exits with an error), say so in one line and point to browser mode.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { downloadElectronBinary, findElectronBinary } from './electron-binary.mjs';
import { missingDisplay, needsNoSandbox } from './start-checks.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const browserMode = 'Run the same app in your browser instead: npm run web';
const orBrowserMode = 'if it cannot run on this machine, run the same app in your browser: npm run web';

let binary = findElectronBinary();
if ('missing' in binary) {
  console.log(`MLP Studio: ${binary.missing}; downloading it once…`);
  const failure = await downloadElectronBinary();
  if (failure === null) binary = findElectronBinary();
  else {
    console.error(`MLP Studio cannot start Electron here: its binary could not be downloaded (${failure}). ${browserMode}`);
    process.exit(1);
  }
}
if ('missing' in binary) {
  console.error(`MLP Studio cannot start Electron here (${binary.missing}). ${browserMode}`);
  process.exit(1);
}
const noDisplay = missingDisplay(process.platform, process.env);
if (noDisplay) {
  console.error(`MLP Studio cannot open its window here: ${noDisplay}. ${browserMode} (from another machine, through an SSH tunnel).`);
  process.exit(1);
}

const build = spawnSync(process.execPath, [join(root, 'scripts', 'ensure-built.mjs')], { stdio: 'inherit', cwd: root });
if (build.status !== 0) process.exit(build.status ?? 1);

const noSandbox = needsNoSandbox(process.platform, { uid: process.getuid?.(), sandboxHelper: join(dirname(binary.path), 'chrome-sandbox') });
const child = spawn(binary.path, [...(noSandbox ? ['--no-sandbox'] : []), root, ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
child.on('error', (error) => {
  console.error(`MLP Studio cannot start Electron (${binary.path}): ${error.message}. ${browserMode}`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  if (code !== 0) console.error(`MLP Studio: Electron ended with ${signal ?? `exit code ${code}`}; ${orBrowserMode}`);
  process.exit(code ?? 1);
});
