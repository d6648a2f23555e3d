// While runs train, long tasks (> 50 ms) on the page's main thread and the click-to-paint latency of a few UI
// clicks, measured in the Train view against the real services and reported (annotations + console), never
// asserted: two runs on one thread each, then one run on every core.
import type { Page } from '@playwright/test';
import { cpus, loadavg } from 'node:os';
import { expect, screenshot, test } from './fixtures';
import { chartPoints, longStandardRun, openTrain, removeFinishedRuns } from './runs';

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

/** The Train view with the probe installed (a reload runs it first) and no finished runs listed. */
async function openTrainWithProbe(page: Page): Promise<void> {
  await page.addInitScript({ content: PERF_PROBE });
  await page.reload();
  await openTrain(page);
  await removeFinishedRuns(page);
}

test('while two runs train: long tasks and click latency (reported, not asserted)', async ({ appPage: page }, testInfo) => {
  await openTrainWithProbe(page);

  await longStandardRun(page, 11);
  await page.getByTestId('start-run').click();
  await page.getByRole('spinbutton', { name: 'Seed' }).fill('12');
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
  await removeFinishedRuns(page); // the Train specs after this file start from an empty list
});

test('while one run trains on all cores (data-parallel): long tasks and click latency (reported, not asserted)', async ({ appPage: page }, testInfo) => {
  await openTrainWithProbe(page);
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
  await removeFinishedRuns(page);
});
