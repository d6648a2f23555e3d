// A memory soak of the app as a user drives it: browser mode (out/main/web.js) in Chromium, round after round
// of "compare the 4 notebook optimizers" on the built-in sample, visiting Evaluate, Draw and Data while they
// train, then removing the runs. Prints, after each round, the server's resident memory and threads and the
// page's JavaScript heap (after a collection) and DOM size: they should level off, not grow with the rounds.
// A measurement, not a test (never part of `npm test`); Linux and macOS (reads the server's RSS with ps).
//
//   npm run soak [-- --rounds N] [--epochs N]      (defaults: 20 rounds of 10 epochs)
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { browserModeAddress } from './start-checks.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = 'Usage: npm run soak -- [--rounds N] [--epochs N]   (defaults: 20 rounds of 10 epochs)';

/** A usage error: one line on stderr, exit code 2, as the app's other commands do. */
function usage(message) {
  process.stderr.write(`error: ${message}\n${USAGE}\n`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({ options: { rounds: { type: 'string', default: '20' }, epochs: { type: 'string', default: '10' }, help: { type: 'boolean', default: false } } }));
} catch (error) {
  usage(error.message.split('\n')[0]);
}
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const rounds = Number(values.rounds);
const epochs = Number(values.epochs);
if (!Number.isInteger(rounds) || rounds < 1) usage(`--rounds must be a whole number ≥ 1, got '${values.rounds}'`);
if (!Number.isInteger(epochs) || epochs < 1) usage(`--epochs must be a whole number ≥ 1, got '${values.epochs}'`);

const dataDir = mkdtempSync(join(tmpdir(), 'mlp-soak-'));
const server = spawn(process.execPath, [join(root, 'out/main/web.js'), '--port', '0', '--data-dir', dataDir], { stdio: ['pipe', 'pipe', 'inherit'] });
const url = await new Promise((resolve, reject) => {
  let text = '';
  server.stdout.on('data', (chunk) => {
    text += chunk;
    const found = browserModeAddress(text); // a whole line: a chunk may end inside the token
    if (found) resolve(found);
  });
  server.on('exit', (code) => reject(new Error(`the server exited (${code}) before it printed its address`)));
});

// Debian's Chromium where it is (as the e2e specs use it), else Playwright's own build.
const executablePath = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
const browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] }).catch((error) => {
  server.kill();
  throw error;
});
const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
const pageErrors = [];
page.on('pageerror', (error) => pageErrors.push(String(error)));
const cdp = await page.context().newCDPSession(page);

const serverMb = () => Math.round(Number(execFileSync('ps', ['-o', 'rss=', '-p', String(server.pid)]).toString().trim()) / 1024);
const rows = [];
async function measure(label) {
  await cdp.send('HeapProfiler.collectGarbage');
  const metrics = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const row = { label, serverMb: serverMb(), pageHeapMb: metrics.JSHeapUsedSize / 2 ** 20, domNodes: metrics.Nodes };
  rows.push(row);
  console.log(`${label.padEnd(9)} server ${String(row.serverMb).padStart(4)} MB · page heap ${row.pageHeapMb.toFixed(1)} MB · DOM nodes ${row.domNodes}`);
}

/** A short stroke on Draw's pad, so the predictor answers while runs train. */
async function drawStroke() {
  const pad = await page.locator('canvas').first().boundingBox();
  if (!pad) return;
  await page.mouse.move(pad.x + pad.width * 0.3, pad.y + pad.height * 0.2);
  await page.mouse.down();
  await page.mouse.move(pad.x + pad.width * 0.6, pad.y + pad.height * 0.7, { steps: 8 });
  await page.mouse.up();
}

try {
  await cdp.send('Performance.enable');
  await page.goto(url);
  await page.getByRole('tab', { name: 'Train' }).click();
  const sample = page.getByRole('button', { name: 'Use the built-in MNIST sample' });
  await sample.or(page.getByTestId('dataset-select')).first().waitFor();
  if (await sample.isVisible()) await sample.click();
  await page.getByTestId('dataset-select').waitFor({ timeout: 30_000 });
  await measure('start');
  const runRows = page.getByTestId('run-row');
  const views = ['Evaluate', 'Draw', 'Data'];
  for (let round = 1; round <= rounds; round++) {
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByTestId('duration-count').fill(String(epochs));
    await page.getByTestId('compare-notebook').click();
    for (let visit = 0; ; visit++) {
      await page.waitForTimeout(1500);
      const view = views[visit % views.length];
      await page.getByRole('tab', { name: view }).click();
      if (view === 'Draw') await drawStroke();
      await page.getByRole('tab', { name: 'Train' }).click();
      const statuses = await runRows.evaluateAll((els) => els.map((el) => el.getAttribute('data-status')));
      if (statuses.length >= 4 && statuses.every((s) => !['running', 'queued', 'starting'].includes(s))) {
        const failed = statuses.filter((s) => s !== 'completed');
        if (failed.length) console.log(`round ${round}: runs ended ${statuses.join(', ')}`);
        break;
      }
    }
    await measure(`round ${round}`);
    for (let left = await runRows.count(); left > 0; left--) {
      const remove = runRows.first().getByTestId('run-remove');
      await remove.click();
      await remove.click(); // confirm
    }
  }
  const after = rows.slice(1);
  console.log(`server: ${after[0].serverMb} MB after round 1, ${after.at(-1).serverMb} MB after round ${rounds}, at most ${Math.max(...after.map((r) => r.serverMb))} MB`);
  console.log(`page errors: ${pageErrors.length}${pageErrors.length ? ` (first: ${pageErrors[0]})` : ''}`);
} finally {
  await browser.close();
  server.kill();
  rmSync(dataDir, { recursive: true, force: true });
}
