// The Train view against the real services in browser mode: a run on the built-in sample grows the chart;
// pause holds it still, resume moves it again, stop ends it; the notebook's four optimizers are one click,
// and a drag across the chart zooms into a range of steps, as do the keys on the focused chart.
// While two runs train, long tasks (> 50 ms) on the page's main thread and the click-to-paint latency of
// a few UI clicks are measured and reported (annotations + console), never asserted.
import type { Locator, Page, TestInfo } from '@playwright/test';
import { cpus, loadavg } from 'node:os';
import { expect, screenshot, test } from './fixtures';
import { trainStandard } from './runs';
import { dropFile, tenBarsCsv } from './drop';

interface PagePerf {
  longTasks: { start: number; duration: number }[];
  clicks: { target: string; at: number; ms: number }[];
}

/** Runs in the page before its scripts (plain JS: this file is type-checked without the DOM). It records
 * long tasks, and for each click the time from the click's timestamp to just after the next frame. */
const PERF_PROBE = `
  const perf = { longTasks: [], clicks: [] };
  window.__perf = perf;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) perf.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  document.addEventListener('click', (event) => {
    const t0 = event.timeStamp;
    const el = event.target && event.target.closest ? event.target.closest('button, input, label, [role="tab"]') : null;
    const target = el ? (el.getAttribute('data-testid') || el.textContent.trim().slice(0, 30)) : '?';
    requestAnimationFrame(() => setTimeout(() => perf.clicks.push({ target, at: t0, ms: performance.now() - t0 }), 0));
  }, { capture: true });
`;

/** Goes to Train and makes sure a data set is chosen (the built-in sample when none is loaded). */
async function openTrain(page: Page, testInfo?: TestInfo): Promise<void> {
  await page.getByRole('tab', { name: 'Train' }).click();
  const sample = page.getByRole('button', { name: 'Use the built-in MNIST sample' });
  const select = page.getByTestId('dataset-select');
  await expect(sample.or(select)).toBeVisible();
  if (await sample.isVisible()) {
    if (testInfo) await screenshot(page, 'train-no-data', testInfo);
    await sample.click();
  }
  await expect(select).toBeVisible({ timeout: 30_000 });
}

const chartPoints = async (page: Page) => Number(await page.getByTestId('run-chart').getAttribute('data-points'));
const stepText = async (row: Locator) => (await row.getByTestId('run-step').textContent()) ?? '';

/** Sets the form to the standard preset, trained long enough that the test decides when it ends. */
async function longStandardRun(page: Page, seed: number): Promise<void> {
  await page.getByTestId('preset-select').selectOption('standard');
  await page.getByTestId('duration-count').fill('200');
  await page.getByLabel('Seed').fill(String(seed));
  await expect(page.getByTestId('start-run')).toBeEnabled();
}

/** Removes every finished run so a test starts from an empty list. */
async function removeFinishedRuns(page: Page): Promise<void> {
  const rows = page.getByTestId('run-row');
  for (let i = await rows.count(); i > 0; i--) {
    const remove = rows.first().getByTestId('run-remove');
    await remove.click();
    await remove.click(); // confirm
    await expect(rows).toHaveCount(i - 1);
  }
}

test('a run on the built-in sample: chart grows, pause holds, resume moves, stop ends, continue goes on', async ({ appPage: page }, testInfo) => {
  await openTrain(page, testInfo);
  // The dev size belongs to the data set: changing it here rewrites the data set's split.
  await page.getByTestId('dev-rows').fill('2000');
  await page.getByTestId('dev-rows').press('Tab');
  await expect(page.getByTestId('split-summary')).toContainText('8,000 train · 2,000 dev');
  await longStandardRun(page, 1);
  await page.getByTestId('start-run').click();

  const row = page.getByTestId('run-row').first();
  await expect(row).toHaveAttribute('data-status', 'running', { timeout: 30_000 });
  await expect.poll(() => chartPoints(page), { timeout: 30_000 }).toBeGreaterThan(5);
  const grown = await chartPoints(page);
  await expect.poll(() => chartPoints(page)).toBeGreaterThan(grown);
  await expect(page.getByTestId('run-chart')).toHaveAttribute('data-curves', '1');

  await row.getByTestId('run-pause').click();
  await expect(row).toHaveAttribute('data-status', 'paused');
  await page.waitForTimeout(300); // the last step message in flight lands
  const pausedStep = await stepText(row);
  const pausedPoints = await chartPoints(page);
  await page.waitForTimeout(2000);
  expect(await stepText(row)).toBe(pausedStep);
  expect(await chartPoints(page)).toBe(pausedPoints);

  await row.getByTestId('run-resume').click();
  await expect(row).toHaveAttribute('data-status', 'running');
  await expect.poll(() => stepText(row)).not.toBe(pausedStep);
  await expect.poll(() => chartPoints(page)).toBeGreaterThan(pausedPoints);
  await page.waitForTimeout(1500);
  await page.getByRole('heading', { name: 'New run' }).scrollIntoViewIfNeeded();
  await screenshot(page, 'train', testInfo);

  // An epoch has ended (so a checkpoint exists) before it stops: then it can be continued.
  await expect(row.getByTestId('run-best')).toHaveText(/%/, { timeout: 30_000 });
  await row.getByTestId('run-stop').click();
  await expect(row).toHaveAttribute('data-status', 'stopped', { timeout: 30_000 });
  await expect(row.getByTestId('run-status')).toHaveText('Stopped');

  const stoppedStep = await stepText(row);
  // The epoch shown is the step's: 8,000 train rows / 64 = 125 steps per epoch (a stop between two step
  // messages used to leave the older message's epoch).
  const step = Number(/step ([\d,]+)/.exec(stoppedStep)?.[1].replaceAll(',', ''));
  await expect(row.getByTestId('run-epoch')).toHaveText((step / 125).toFixed(2).replace(/\.00$/, ''));
  await row.getByTestId('run-continue').click();
  await expect(row).toHaveAttribute('data-status', 'running', { timeout: 30_000 });
  await expect.poll(() => stepText(row)).not.toBe(stoppedStep);
  await page.waitForTimeout(1500);
  await screenshot(page, 'train-continued', testInfo);
  await row.getByTestId('run-stop').click();
  await expect(row).toHaveAttribute('data-status', 'stopped', { timeout: 30_000 });
});

test('compare the 4 notebook optimizers: 4 runs listed, 4 curves', async ({ appPage: page }, testInfo) => {
  await openTrain(page);
  await removeFinishedRuns(page);
  await page.getByTestId('compare-notebook').click();

  const rows = page.getByTestId('run-row');
  await expect(rows).toHaveCount(4);
  await expect(page.getByTestId('chart-legend-item')).toHaveCount(4);
  await expect(page.locator('[data-testid="run-row"][data-status="completed"]')).toHaveCount(4, { timeout: 60_000 });
  await expect(page.getByTestId('run-chart')).toHaveAttribute('data-curves', '4');
  for (const name of [/gd/i, /momentum/i, /rmsprop/i, /adam/i]) await expect(rows.filter({ hasText: name })).toHaveCount(1);
  for (const best of await page.getByTestId('run-best').allTextContents()) expect(best).toMatch(/^\d+\.\d\d%$/);
  await page.getByTestId('log-scale').check();
  await page.getByRole('heading', { name: 'New run' }).scrollIntoViewIfNeeded();
  await page.waitForTimeout(300);
  await screenshot(page, 'train-compare', testInfo);

  // Dragging across the plot zooms into that range of steps; 'Show all' zooms out again (and hands the focus
  // to the chart, as it goes).
  const chart = page.getByTestId('run-chart');
  const canvas = chart.locator('canvas');
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.15, box.y + box.height * 0.4);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.4, { steps: 5 });
  await page.mouse.up();
  await expect(chart).toHaveAttribute('data-zoomed', 'true');
  await expect(page.getByTestId('chart-zoom')).toHaveText(/^steps [\d,.]+–[\d,.]+$/);
  await page.waitForTimeout(300);
  await screenshot(page, 'train-compare-zoomed', testInfo);
  await page.getByTestId('chart-show-all').click();
  await expect(chart).toHaveAttribute('data-zoomed', 'false');
  await expect(canvas).toBeFocused();

  // The keyboard: Tab from the log-scale box focuses the chart (with a focus ring); + zooms in around the
  // centre, → and ← move the range by a quarter of its width, − zooms out to everything again, as Escape does.
  await expect(canvas).toHaveAccessibleName(/^Training chart: loss and dev accuracy per step/);
  await expect(canvas).toHaveAccessibleDescription(/\+ and − zoom in and out, ← and → move along, and 0 or Escape shows everything/);
  await page.getByTestId('log-scale').focus();
  await page.keyboard.press('Tab');
  await expect(canvas).toBeFocused();
  expect(await canvas.evaluate((c) => c.matches(':focus-visible'))).toBe(true);
  const range = async () => {
    const m = /^steps ([\d,.]+)–([\d,.]+)$/.exec((await page.getByTestId('chart-zoom').textContent()) ?? '');
    return m ? [Number(m[1].replaceAll(',', '')), Number(m[2].replaceAll(',', ''))] : null;
  };
  await page.keyboard.press('+');
  await expect(chart).toHaveAttribute('data-zoomed', 'true');
  const [min, max] = (await range())!;
  expect(min).toBeGreaterThan(0);
  await page.keyboard.press('ArrowRight');
  await expect.poll(range).not.toEqual([min, max]);
  const [right, rightMax] = (await range())!;
  expect(rightMax - right).toBe(max - min);
  expect(right - min).toBeGreaterThan(0.2 * (max - min));
  expect(right - min).toBeLessThan(0.3 * (max - min));
  await page.waitForTimeout(300);
  await screenshot(page, 'train-compare-keys', testInfo);
  await page.keyboard.press('ArrowLeft');
  await expect.poll(range).toEqual([min, max]);
  await page.keyboard.press('-');
  await expect(chart).toHaveAttribute('data-zoomed', 'false');
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  await expect(chart).toHaveAttribute('data-zoomed', 'true');
  await page.keyboard.press('Escape');
  await expect(chart).toHaveAttribute('data-zoomed', 'false');
  await expect(canvas).toBeFocused();
});

test('Reuse settings puts the run’s dev size in the form and in the data set’s split', async ({ appPage: page }) => {
  await openTrain(page);
  await removeFinishedRuns(page);
  const dev = page.getByTestId('dev-rows');
  await dev.fill('1000');
  await dev.press('Tab');
  await expect(page.getByTestId('split-summary')).toContainText('9,000 train · 1,000 dev');
  const row = await trainStandard(page, 1, 21);
  await dev.fill('3000');
  await dev.press('Tab');
  await expect(page.getByTestId('split-summary')).toContainText('7,000 train · 3,000 dev');

  // The field said 1000 while the split under the menu still said 3,000 dev (until Start wrote it through).
  await row.getByTestId('run-reuse').click();
  await expect(dev).toHaveValue('1000');
  await expect(page.getByTestId('split-summary')).toContainText('9,000 train · 1,000 dev');
  await removeFinishedRuns(page);
});


test('the form shows the network\'s parameters and memory, and warns of a very large one', async ({ appPage: page }) => {
  await openTrain(page);
  await page.getByTestId('preset-select').selectOption('standard');
  const size = page.getByTestId('network-size'), warning = page.getByTestId('network-size-warning');
  // 784-128-10 with Adam: 101,770 parameters; its buffers (parameters, gradient, two moments, a pass of 256 rows) ≈ 3 MB.
  await expect(size).toHaveText(/^101,770 parameters · [23]\.\d MB to train$/);
  await expect(warning).toHaveCount(0);
  // 8 layers of 4,096 units: 120,725,514 parameters, gigabytes of memory — said before Start, not discovered after.
  for (let i = 2; i <= 8; i++) await page.getByRole('button', { name: '+ Add layer' }).click();
  for (let i = 1; i <= 8; i++) await page.getByLabel(`Units in hidden layer ${i}`).fill('4096');
  await expect(size).toHaveText(/^120,725,514 parameters · 2\.0 GB to train$/);
  await expect(warning).toContainText('A large network');
  await page.getByTestId('preset-select').selectOption('standard');
  await expect(warning).toHaveCount(0);
});

test('a test file opened in the Data view is not what Train trains on: the data set it tests is', async ({ appPage: page }) => {
  await page.getByRole('tab', { name: 'Data' }).click();
  await dropFile(page, 'bars-train.csv', tenBarsCsv(300));
  await expect(page.getByTestId('dataset-name')).toHaveText('bars-train.csv', { timeout: 30_000 });
  const split = page.getByTestId('split-controls');
  const chooser = page.waitForEvent('filechooser');
  await split.getByRole('button', { name: 'Open a test file…' }).click();
  await (await chooser).setFiles({ name: 'bars-test.csv', mimeType: 'text/csv', buffer: Buffer.from(tenBarsCsv(70)) });
  await expect(split).toContainText('test 70');

  // The test file, loaded last, became the data set to train on (Start trained on it, with no test set).
  await page.getByRole('tab', { name: 'Train' }).click();
  const select = page.getByTestId('dataset-select');
  await expect(select.locator('option:checked')).toHaveText(/^bars-train\.csv/);
  await expect(page.getByTestId('split-summary')).toContainText('270 train · 30 dev · 70 test');
  // and so after a reload
  await page.reload();
  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(select.locator('option:checked')).toHaveText(/^bars-train\.csv/);

  // Leave the server as it was found: both closed.
  await page.getByRole('tab', { name: 'Data' }).click();
  for (const name of ['bars-train.csv', 'bars-test.csv']) {
    await page.getByLabel('Loaded data set').selectOption({ label: name });
    await expect(page.getByTestId('dataset-name')).toHaveText(name);
    await page.getByTitle('Forget this data set').click();
    await expect(page.getByTestId('dataset-name').filter({ hasText: name })).toHaveCount(0);
  }
});

test('a run that does not fit waits in the queue, says why, and starts when the threads are free', async ({ appPage: page }, testInfo) => {
  await openTrain(page);
  await removeFinishedRuns(page);
  await longStandardRun(page, 31);
  const threads = page.getByTestId('run-threads');
  await threads.selectOption((await threads.locator('option').last().getAttribute('value'))!); // every thread
  await page.getByTestId('start-run').click();
  const rows = page.getByTestId('run-row');
  await expect(rows.and(page.locator('[data-status="running"]'))).toHaveCount(1, { timeout: 30_000 });
  await page.getByLabel('Seed').fill('32');
  await page.getByTestId('start-run').click();
  const queued = page.locator('[data-testid="run-row"][data-status="queued"]');
  await expect(queued).toHaveCount(1);
  await expect(queued.getByTestId('run-status')).toHaveText('Queued #1');
  // A paused run keeps its threads: the queued one still waits, and its row says so.
  await page.getByTestId('run-pause').click();
  await expect(rows.and(page.locator('[data-status="paused"]'))).toHaveCount(1);
  await expect(queued.getByTestId('run-queued-why')).toContainText('A paused run keeps its threads');
  await screenshot(page, 'train-queued', testInfo);
  // Stopping it frees them: the queued run starts.
  await rows.and(page.locator('[data-status="paused"]')).getByTestId('run-stop').click();
  await expect(rows.and(page.locator('[data-status="running"]'))).toHaveCount(1, { timeout: 30_000 });
  await expect(page.getByTestId('run-queued-why')).toHaveCount(0);
  for (const stop of await page.getByTestId('run-stop').all()) await stop.click();
  await expect(rows.and(page.locator('[data-status="running"]'))).toHaveCount(0, { timeout: 30_000 });
  await removeFinishedRuns(page);
});

test('while two runs train: long tasks and click latency (reported, not asserted)', async ({ appPage: page }, testInfo) => {
  await page.addInitScript({ content: PERF_PROBE });
  await page.reload();
  await openTrain(page);
  await removeFinishedRuns(page);

  await longStandardRun(page, 11);
  await page.getByTestId('start-run').click();
  await page.getByLabel('Seed').fill('12');
  await page.getByTestId('start-run').click();
  const running = page.locator('[data-testid="run-row"][data-status="running"]');
  await expect(running).toHaveCount(2, { timeout: 30_000 });
  await expect.poll(() => chartPoints(page), { timeout: 30_000 }).toBeGreaterThan(20);

  await page.evaluate('window.__perf.longTasks.length = 0; window.__perf.clicks.length = 0;');
  const started = Date.now();
  // A few ordinary clicks while both train: the log-scale toggle, add/remove a layer, leaving and coming
  // back to the view (the chart is built again, in its worker, with every point), pause and resume one run.
  const clicks: [string, () => Promise<void>][] = [
    ['log scale on', () => page.getByTestId('log-scale').click()],
    ['log scale off', () => page.getByTestId('log-scale').click()],
    ['add layer', () => page.getByRole('button', { name: '+ Add layer' }).click()],
    ['remove layer', () => page.getByRole('button', { name: 'Remove hidden layer 2' }).click()],
    ['to Data view', () => page.getByRole('tab', { name: 'Data' }).click()],
    ['back to Train', () => page.getByRole('tab', { name: 'Train' }).click()],
    ['pause a run', () => running.first().getByTestId('run-pause').click()],
    ['resume it', () => page.getByTestId('run-resume').click()],
  ];
  for (const [, click] of clicks) {
    await click();
    await page.waitForTimeout(700);
  }
  await page.waitForTimeout(3000);
  const seconds = (Date.now() - started) / 1000;
  const perf = await page.evaluate<PagePerf>('window.__perf');
  await expect(page.getByTestId('run-row')).toHaveCount(2);

  // Which click (if any) each long task followed: the last click that started before it, within 1 s.
  const cause = (start: number) => {
    const before = perf.clicks.filter((c) => c.at <= start && start - c.at < 1000).at(-1);
    return before ? ` after "${before.target}"` : ' (no click)';
  };
  const long = perf.longTasks.map((t) => `${Math.round(t.duration)} ms${cause(t.start)}`);
  const clickMs = perf.clicks.map((c) => Math.round(c.ms));
  // The two runs already take a core each; anything else on the machine shows up here too.
  const load = `load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`;
  const longText = `${long.length} long task(s) over 50 ms in ${seconds.toFixed(1)} s with two runs training (${load})${long.length ? `: ${long.join(', ')}` : ''}`;
  const clickText = clicks.map(([label], i) => `${label} ${clickMs[i] ?? '?'} ms`).join(', ');
  const sorted = [...clickMs].sort((a, b) => a - b);
  const clickSummary = `click to next paint: median ${sorted[Math.floor(sorted.length / 2)] ?? '?'} ms, max ${sorted.at(-1) ?? '?'} ms (${clickText})`;
  testInfo.annotations.push({ type: 'long tasks', description: longText }, { type: 'click latency', description: clickSummary });
  console.log(`[train perf] ${longText}`);
  console.log(`[train perf] ${clickSummary}`);
  await screenshot(page, 'train-two-runs', testInfo);

  // Stop both: click an enabled Stop of a running row until both rows say stopped (rows may re-order, and a
  // Stop is disabled while its request is in flight, so no button is addressed by its position).
  const enabledStop = page.locator('[data-testid="run-row"][data-status="running"] [data-testid="run-stop"]:enabled').first();
  const stopped = page.locator('[data-testid="run-row"][data-status="stopped"]');
  await expect(async () => {
    if ((await enabledStop.count()) > 0) await enabledStop.click({ timeout: 2000 });
    await expect(stopped).toHaveCount(2, { timeout: 3000 });
  }).toPass({ timeout: 60_000 });
});

test('while one run trains on all cores (data-parallel): long tasks and click latency (reported, not asserted)', async ({ appPage: page }, testInfo) => {
  await page.addInitScript({ content: PERF_PROBE });
  await page.reload();
  await openTrain(page);
  await removeFinishedRuns(page);
  await longStandardRun(page, 21);
  const threads = page.getByTestId('run-threads');
  const most = await threads.locator('option').last().getAttribute('value');
  await threads.selectOption(most!);
  await page.getByTestId('start-run').click();
  const running = page.locator('[data-testid="run-row"][data-status="running"]');
  await expect(running).toHaveCount(1, { timeout: 30_000 });
  if (Number(most) > 1) await expect(running).toContainText(`${most} threads`);
  await expect.poll(() => chartPoints(page), { timeout: 30_000 }).toBeGreaterThan(20);

  await page.evaluate('window.__perf.longTasks.length = 0; window.__perf.clicks.length = 0;');
  const started = Date.now();
  for (const click of [
    () => page.getByTestId('log-scale').click(),
    () => page.getByTestId('log-scale').click(),
    () => page.getByRole('tab', { name: 'Data' }).click(),
    () => page.getByRole('tab', { name: 'Train' }).click(),
  ]) {
    await click();
    await page.waitForTimeout(700);
  }
  await page.waitForTimeout(3000);
  const perf = await page.evaluate<PagePerf>('window.__perf');
  const seconds = (Date.now() - started) / 1000;
  const clickMs = perf.clicks.map((c) => Math.round(c.ms)).sort((a, b) => a - b);
  const text =
    `${perf.longTasks.length} long task(s) over 50 ms in ${seconds.toFixed(1)} s with one run on ${most} threads ` +
    `(load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores)${perf.longTasks.length ? `: ${perf.longTasks.map((t) => `${Math.round(t.duration)} ms`).join(', ')}` : ''}; ` +
    `click to next paint: median ${clickMs[Math.floor(clickMs.length / 2)] ?? '?'} ms, max ${clickMs.at(-1) ?? '?'} ms`;
  testInfo.annotations.push({ type: 'long tasks, one run on all cores', description: text });
  console.log(`[train perf] ${text}`);
  await running.first().getByTestId('run-stop').click();
  await expect(page.locator('[data-testid="run-row"][data-status="stopped"]')).toHaveCount(1, { timeout: 30_000 });
});
