// The Train view against the real services in browser mode: a run on the built-in sample grows the chart;
// pause holds it still, resume moves it again, stop ends it; the notebook's four optimizers are one click,
// and a drag across the chart zooms into a range of steps, as do the keys on the focused chart.
// (Long tasks and click latency while runs train: train-perf.spec.ts.)
import type { Locator } from '@playwright/test';
import { expect, screenshot, test } from './fixtures';
import { chartPoints, longStandardRun, openTrain, removeFinishedRuns, removeRun, trainStandard } from './runs';
import { dropFile, tenBarsCsv } from './drop';

const stepText = async (row: Locator) => (await row.getByTestId('run-step').textContent()) ?? '';

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
  await removeFinishedRuns(page); // it stayed in the shared server, stopped, for the specs after this one
  // … and so did the sample's split: back to its 1,000 dev rows, as the specs after this one expect.
  await page.getByTestId('dev-rows').fill('1000');
  await page.getByTestId('dev-rows').press('Tab');
  await expect(page.getByTestId('split-summary')).toContainText('9,000 train · 1,000 dev');
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

  // A short window (a laptop's 768 px screen): the chart's column scrolls as a whole, so the runs show as
  // whole rows (the list had room for about one row below the chart, and scrolled inside it).
  await page.setViewportSize({ width: 1366, height: 650 });
  await rows.last().scrollIntoViewIfNeeded();
  for (const i of [1, 2, 3]) await expect(rows.nth(i)).toBeInViewport({ ratio: 1 });
  await screenshot(page, 'train-short-window', testInfo);
  await page.setViewportSize({ width: 1280, height: 820 });
  await removeFinishedRuns(page);
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

test('a run that does not fit waits in the queue, says why, and takes the threads of a run that is paused', async ({ appPage: page }, testInfo) => {
  await openTrain(page);
  await removeFinishedRuns(page);
  await longStandardRun(page, 31);
  const threads = page.getByTestId('run-threads');
  await threads.selectOption((await threads.locator('option').last().getAttribute('value'))!); // every thread
  await page.getByTestId('start-run').click();
  const rows = page.getByTestId('run-row');
  const withStatus = (status: string) => rows.and(page.locator(`[data-status="${status}"]`));
  await expect(withStatus('running')).toHaveCount(1, { timeout: 30_000 });
  await page.getByRole('spinbutton', { name: 'Seed' }).fill('32');
  await page.getByTestId('start-run').click();
  await expect(withStatus('queued')).toHaveCount(1);
  await expect(withStatus('queued').getByTestId('run-status')).toHaveText('Queued #1');
  await expect(withStatus('queued').getByTestId('run-queued-why')).toContainText('Waits for free threads');
  // Pausing the first gives its threads to the queued run, which starts; the paused row says where they went.
  await withStatus('running').getByTestId('run-pause').click();
  await expect(withStatus('paused')).toHaveCount(1);
  await expect(withStatus('running')).toHaveCount(1, { timeout: 30_000 });
  await expect(withStatus('paused').getByTestId('run-parked-why')).toContainText(/Its threads? went to a queued run/); // one core: 'Its thread'
  await withStatus('paused').getByTestId('run-parked-why').scrollIntoViewIfNeeded();
  await screenshot(page, 'train-parked', testInfo);
  // Resume puts it first in the queue (a pause does not cost its place).
  await withStatus('paused').getByTestId('run-resume').click();
  await expect(withStatus('queued').getByTestId('run-status')).toHaveText('Queued #1');
  await expect(page.getByTestId('run-parked-why')).toHaveCount(0);
  // Stopping the running one lets it go on.
  await withStatus('running').getByTestId('run-stop').click();
  await expect(withStatus('queued')).toHaveCount(0, { timeout: 30_000 });
  await expect(withStatus('running')).toHaveCount(1);
  for (const stop of await page.getByTestId('run-stop').all()) await stop.click();
  await expect(withStatus('running')).toHaveCount(0, { timeout: 30_000 });
  await removeFinishedRuns(page);
});

test('a run stopped inside its first epoch can continue from where it stopped', async ({ appPage: page }) => {
  await openTrain(page);
  await removeFinishedRuns(page);
  // Batch size 1 and 1,024 units: an epoch of the sample is 9,000 slow steps (seconds even on a fast machine), so
  // the stop comes before its first checkpoint.
  await longStandardRun(page, 61);
  await page.getByLabel('Batch size').fill('1');
  await page.getByLabel('Units in hidden layer 1').fill('1024');
  await page.getByTestId('start-run').click();
  const row = page.getByTestId('run-row').first();
  await expect.poll(async () => Number(/step ([\d,]+)/.exec(await stepText(row))?.[1].replaceAll(',', '') ?? 0), { timeout: 30_000, intervals: [50] }).toBeGreaterThan(0);
  await row.getByTestId('run-stop').click();
  await expect(row).toHaveAttribute('data-status', 'stopped', { timeout: 30_000 });
  expect(Number(await row.getByTestId('run-epoch').textContent())).toBeLessThan(1);
  const stopped = Number(/step ([\d,]+)/.exec(await stepText(row))![1].replaceAll(',', ''));
  // It has weights of its own (Draw and Evaluate use them): Continue goes on from them (it had no Continue).
  const resume = row.getByTestId('run-continue');
  await expect(resume).toHaveAttribute('title', `Continue from where it stopped (step ${stopped.toLocaleString('en-US')})`);
  await resume.click();
  await expect(row).toHaveAttribute('data-status', 'running', { timeout: 30_000 });
  await expect.poll(async () => Number(/step ([\d,]+)/.exec(await stepText(row))![1].replaceAll(',', ''))).toBeGreaterThan(stopped);
  await row.getByTestId('run-stop').click();
  await expect(row).toHaveAttribute('data-status', 'stopped', { timeout: 30_000 });
  await removeFinishedRuns(page);
});

test('keyboard: Start keeps the focus; Pause, Resume and Stop keep it in the run’s row as its buttons change', async ({ appPage: page }) => {
  await openTrain(page);
  await removeFinishedRuns(page);
  await longStandardRun(page, 62);
  await page.getByTestId('start-run').focus();
  await page.keyboard.press('Enter');
  const row = page.getByTestId('run-row').first();
  await expect(row).toHaveAttribute('data-status', 'running', { timeout: 30_000 });
  await expect(page.getByTestId('start-run')).toBeFocused(); // disabled while starting, it lost focus to the page
  await expect(row.getByTestId('run-step')).not.toHaveText(/^step 0 /, { timeout: 30_000 }); // stopped at step 0, it would have no Continue
  await row.getByTestId('run-pause').focus();
  await page.keyboard.press('Enter');
  await expect(row).toHaveAttribute('data-status', 'paused');
  await expect(row.getByTestId('run-resume')).toBeFocused(); // it had fallen to the page: Enter again did nothing
  await page.keyboard.press('Enter');
  await expect(row).toHaveAttribute('data-status', 'running');
  await expect(row.getByTestId('run-pause')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(row.getByTestId('run-stop')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(row).toHaveAttribute('data-status', 'stopped', { timeout: 30_000 });
  await expect(row.getByTestId('run-continue')).toBeFocused();
  await removeFinishedRuns(page);
});

test('Stop says at once that the run is stopping, its buttons off, until it has stopped (a large network took seconds, its row reading Running)', async ({ appPage: page }) => {
  await openTrain(page);
  await removeFinishedRuns(page);
  await longStandardRun(page, 63);
  // Two wide layers: its steps, its checkpoint and its last dev evaluation take long enough to see the stop under way.
  await page.getByLabel('Units in hidden layer 1').fill('1024');
  await page.getByRole('button', { name: '+ Add layer' }).click();
  await page.getByTestId('start-run').click();
  const row = page.getByTestId('run-row').first();
  await expect(row.getByTestId('run-step')).not.toHaveText(/^step 0 /, { timeout: 30_000 });
  await row.getByTestId('run-stop').click();
  // Read at once (no waiting): the row said Running, with Pause and Stop on, until the stop was done.
  expect(await row.getByTestId('run-status').textContent()).toMatch(/^(Stopping…|Stopped)$/);
  if ((await row.getAttribute('data-status')) === 'running') {
    expect(await row.getByTestId('run-stop').isDisabled()).toBe(true);
    expect(await row.getByTestId('run-pause').isDisabled()).toBe(true);
  }
  await expect(row).toHaveAttribute('data-status', 'stopped', { timeout: 30_000 });
  await expect(row.getByTestId('run-status')).toHaveText('Stopped');
  await removeFinishedRuns(page);
});

test('a large network says it is starting until its first step, when started and when continued (its row read Running at step 0 for seconds)', async ({ appPage: page }, testInfo) => {
  await openTrain(page);
  await removeFinishedRuns(page);
  await longStandardRun(page, 64);
  // Two wide layers: the run takes seconds to start (its threads, its weights, its first steps).
  await page.getByLabel('Units in hidden layer 1').fill('1024');
  await page.getByRole('button', { name: '+ Add layer' }).click();
  await page.getByLabel('Units in hidden layer 2').fill('1024');
  await page.getByTestId('start-run').click();
  const row = page.getByTestId('run-row').first();
  const status = row.getByTestId('run-status');
  await expect(status).toHaveText('Starting…');
  await expect(row).toHaveAttribute('data-status', 'running');
  await expect(row.getByTestId('run-step')).toHaveText(/^step 0 /);
  await screenshot(page, 'train-run-starting', testInfo);
  await expect(row.getByTestId('run-step')).not.toHaveText(/^step 0 /, { timeout: 30_000 });
  await expect(status).toHaveText('Running');
  await row.getByTestId('run-stop').click();
  await expect(row).toHaveAttribute('data-status', 'stopped', { timeout: 30_000 });
  // Continued, it starts again from where it stopped: starting until a step beyond it.
  const stoppedAt = await row.getByTestId('run-step').textContent();
  await row.getByTestId('run-continue').click();
  await expect(status).toHaveText('Starting…');
  await expect(row.getByTestId('run-step')).toHaveText(stoppedAt!);
  await expect(row.getByTestId('run-step')).not.toHaveText(stoppedAt!, { timeout: 30_000 });
  await expect(status).toHaveText('Running');
  await row.getByTestId('run-stop').click();
  await expect(row).toHaveAttribute('data-status', 'stopped', { timeout: 30_000 });
  await removeFinishedRuns(page);
});

test("a run on every thread whose first thread trains alone for now says so in its settings line, while it runs", async ({ appPage: page }, testInfo) => {
  test.skip(testInfo.project.name === 'electron', 'rewrites the browser-mode step events to say the run is on one thread');
  // Whether the first thread goes alone depends on the machine (another program keeping a core busy): the step
  // events are made to say it here, as the server sends them then (StepMessage.onOneThread, unit-tested below it).
  await page.routeWebSocket(/\/api/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => server.send(message));
    server.onMessage((message) => {
      const event = JSON.parse(String(message)) as { type: string; name?: string; payload?: { progress?: { onOneThread?: boolean } } };
      if (event.type !== 'event' || event.name !== 'runs.step' || !event.payload?.progress) return ws.send(message);
      event.payload.progress.onOneThread = true;
      ws.send(JSON.stringify(event));
    });
  });
  await page.reload();
  await openTrain(page);
  await removeFinishedRuns(page);
  await longStandardRun(page, 41);
  const threads = page.getByTestId('run-threads');
  test.skip((await threads.locator('option').count()) < 2, 'one core: a run cannot take several threads');
  await threads.selectOption((await threads.locator('option').last().getAttribute('value'))!); // every thread
  await page.getByTestId('start-run').click();
  const row = page.getByTestId('run-row').first();
  await expect(row).toHaveAttribute('data-status', 'running', { timeout: 30_000 });
  await expect(row.getByText(/\d threads \(on 1 for now: a core is busy\)/)).toBeVisible();
  await screenshot(page, 'train-on-one-thread', testInfo);
  await row.getByTestId('run-pause').click();
  await expect(row).toHaveAttribute('data-status', 'paused');
  await expect(row.getByText(/on 1 for now/)).toHaveCount(0); // a paused run trains on none
  await expect(row.getByText(/\d threads/)).toBeVisible();
  await row.getByTestId('run-stop').click();
  await expect(row).toHaveAttribute('data-status', 'stopped', { timeout: 30_000 });
  await removeRun(page, row);
});
