// The app frame: the window opens, every view is reachable by mouse and by keyboard, app.info reaches the UI.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, CHROMIUM_ARGS, expect, screenshot, startWebServer, test } from './fixtures';
import { longStandardRun, openTrainOnSample } from './runs';

const views = [
  { id: 'data', label: 'Data' },
  { id: 'train', label: 'Train' },
  { id: 'evaluate', label: 'Evaluate' },
  { id: 'draw', label: 'Draw' },
  { id: 'models', label: 'Models' },
];

test('window opens on the built-in MNIST sample, with name, version and host facts from app.info', async ({ appPage: page }, testInfo) => {
  await expect(page).toHaveTitle('MLP Studio');
  await expect(page.getByTestId('dataset-name')).toHaveText('Built-in MNIST sample');
  await expect(page.getByText('10,000').first()).toBeVisible();
  await screenshot(page, 'data-sample', testInfo);
  await expect(page.getByTestId('app-version')).toHaveText(/^v\d+\.\d+\.\d+/);
  const status = page.getByTestId('status-bar');
  await expect(status).toContainText(/\d+ cores?/);
  await page.getByRole('button', { name: 'About' }).click();
  const about = page.getByRole('dialog');
  await expect(about).toContainText('CPU cores');
  await expect(about).toContainText('Data folder');
  await screenshot(page, 'about', testInfo);
  await about.getByRole('button', { name: 'Close' }).click();
  await expect(about).toBeHidden();
  await screenshot(page, 'shell', testInfo);
});

test('each view is reachable by click', async ({ appPage: page }) => {
  for (const view of views) {
    await page.getByRole('tab', { name: view.label }).click();
    await expect(page.getByRole('tab', { name: view.label })).toHaveAttribute('aria-selected', 'true');
    await expect(page.locator(`[data-view="${view.id}"]`)).toBeVisible();
  }
});

test('each view is reachable by keyboard: arrows in the tab list, and Ctrl+1…5', async ({ appPage: page }) => {
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByRole('tab', { name: 'Data' }).focus();
  for (const view of views.slice(1)) {
    await page.keyboard.press('ArrowDown');
    await expect(page.locator(`[data-view="${view.id}"]`)).toBeVisible();
    await expect(page.getByRole('tab', { name: view.label })).toBeFocused();
  }
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('[data-view="data"]')).toBeVisible();
  await page.locator('body').click({ position: { x: 600, y: 400 } });
  for (const [index, view] of views.entries()) {
    await page.keyboard.press(`Control+${index + 1}`);
    await expect(page.locator(`[data-view="${view.id}"]`)).toBeVisible();
  }
});

test('a view opens at its top, not at the scroll offset of the view shown before', async ({ appPage: page }) => {
  await page.setViewportSize({ width: 900, height: 700 }); // one column: the Train view is taller than the window
  await page.getByRole('tab', { name: 'Data' }).click();
  const main = page.locator('main');
  await expect(page.getByTestId('thumbnail-grid')).toBeVisible();
  await main.evaluate((m) => (m.scrollTop = 600));
  await expect.poll(() => main.evaluate((m) => m.scrollTop)).toBeGreaterThan(500);
  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(page.getByRole('heading', { name: 'New run' })).toBeInViewport();
  expect(await main.evaluate((m) => m.scrollTop)).toBe(0);
  await page.setViewportSize({ width: 1280, height: 820 });
});

test('browser mode with a data folder it cannot use exits 2 with one line, before serving', ({ browserName: _ }, testInfo) => {
  test.skip(testInfo.project.name !== 'browser', 'a browser-mode check: once is enough');
  const dir = mkdtempSync(join(tmpdir(), 'mlp-e2e-bad-dir-'));
  try {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    // It served, and every epoch's checkpoint then failed ('saving run … failed: ENOTDIR').
    const result = spawnSync(process.execPath, ['out/main/web.js', '--port', '0', '--no-sample', '--data-dir', join(file, 'data')], { encoding: 'utf8', timeout: 20_000 });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`error: cannot use data folder ${join(file, 'data')}: a part of its path is a file, not a folder\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('browser mode: the server stopping says to open the address a new start prints (the page’s own is refused)', async ({ playwright }, testInfo) => {
  test.skip(testInfo.project.name !== 'browser', 'browser mode only');
  const server = await startWebServer();
  const browser = await playwright.chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    await expect(page.getByTestId('status-bar')).toContainText(/\d+ cores?/);
    // a run training when the server stops
    await openTrainOnSample(page);
    await longStandardRun(page, 3);
    await page.getByTestId('start-run').click();
    const row = page.getByTestId('run-row').first();
    await expect(row).toHaveAttribute('data-status', 'running', { timeout: 30_000 });
    await server.stop();
    await expect(page.getByRole('alert').first()).toContainText('open the address it prints');
    // Its row says the run was running then, and its buttons are off: they stayed on, and a click said only
    // 'the connection … is closed' (H49).
    await expect(row.getByTestId('run-status')).toHaveText('Running when the server stopped');
    await expect(row.getByTestId('run-pause')).toBeDisabled();
    await expect(row.getByTestId('run-stop')).toBeDisabled();
    await screenshot(page, 'server-stopped-run', testInfo);
    await page.getByRole('tab', { name: 'Data' }).click();
    await expect(page.getByRole('alert').first()).not.toContainText('reload this page;'); // a reload meets 'missing or wrong token'
    await screenshot(page, 'server-stopped', testInfo);
    // The Train view fits the window under the banner: its settings card and Start bar were pushed below the
    // status bar by the banner's height.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('tab', { name: 'Train' }).click();
    const settings = (await page.locator('section.settings').boundingBox())!;
    const statusBar = (await page.getByTestId('status-bar').boundingBox())!;
    expect(settings.y + settings.height).toBeLessThanOrEqual(statusBar.y);
  } finally {
    await browser.close();
    await server.stop();
  }
});

test('browser mode: a closed terminal (SIGHUP) quits as Ctrl+C does: a training run is stopped and saved, not lost as in a crash', async ({ playwright }, testInfo) => {
  test.skip(testInfo.project.name !== 'browser', 'browser mode only');
  const dataDir = mkdtempSync(join(tmpdir(), 'mlp-e2e-hup-'));
  const browser = await playwright.chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const server = await startWebServer(dataDir);
    const page = await browser.newPage();
    await page.goto(server.url);
    await openTrainOnSample(page);
    await longStandardRun(page, 3);
    await page.getByTestId('start-run').click();
    const row = page.getByTestId('run-row').first();
    await expect(row).toHaveAttribute('data-status', 'running', { timeout: 30_000 });
    await server.stop('SIGHUP');
    // Started again on the same folder: the run is listed as stopped where it was (a crash lists it 'interrupted').
    const again = await startWebServer(dataDir);
    try {
      await page.goto(again.url);
      await page.getByRole('tab', { name: 'Train' }).click();
      await expect(page.getByTestId('run-row').first()).toHaveAttribute('data-status', 'stopped', { timeout: 30_000 });
    } finally {
      await again.stop();
    }
  } finally {
    await browser.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('runs the data folder holds and the app cannot read are named in the Train view, with why (they were said on stderr alone)', async ({ playwright }, testInfo) => {
  test.skip(testInfo.project.name !== 'browser', 'browser mode only');
  const dataDir = mkdtempSync(join(tmpdir(), 'mlp-e2e-bad-runs-'));
  mkdirSync(join(dataDir, 'runs', 'torn'), { recursive: true });
  writeFileSync(join(dataDir, 'runs', 'torn', 'run.json'), '{"version": 1, "summary": {');
  const browser = await playwright.chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const server = await startWebServer(dataDir);
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.getByRole('tab', { name: 'Train' }).click();
    const notice = page.getByTestId('runs-unreadable');
    await expect(notice).toContainText('1 run in the data folder could not be read and is not listed; its files are left as they are.');
    await notice.locator('summary').click();
    await expect(notice).toContainText(`${join(dataDir, 'runs', 'torn', 'run.json')}:`);
    await screenshot(page, 'runs-unreadable', testInfo);
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
