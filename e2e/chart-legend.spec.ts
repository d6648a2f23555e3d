// The training chart's legend in a small window: runs with long names (a three-layer network) sit several
// to a row, each pill cut short with its full name kept in its tooltip; in a wide window they show whole.
import type { Page } from '@playwright/test';
import { expect, screenshot, test } from './fixtures';
import { dropFile, tenBarsCsv } from './drop';
import { removeFinishedRuns } from './runs';

/** The legend's pills: their row (top edge), width, and whether the name inside is cut short. */
const pills = (page: Page) =>
  page.getByTestId('chart-legend-item').evaluateAll((items) =>
    items.map((item) => {
      const head = item.querySelector('.head') ?? item;
      const tail = item.querySelector('[data-testid="chart-legend-tail"]');
      const whole = !tail || tail.getBoundingClientRect().right <= item.getBoundingClientRect().right;
      return { top: Math.round(item.getBoundingClientRect().top), cut: head.scrollWidth > head.clientWidth, tail: tail?.textContent ?? '', whole };
    }),
  );

test('the legend of runs with long names wraps several to a row at 1024 px, and shows them whole at 1600 px', async ({ appPage: page }, testInfo) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.getByRole('tab', { name: 'Data' }).click();
  await dropFile(page, 'bars.csv', tenBarsCsv(200));
  await page.getByRole('tab', { name: 'Train' }).click();
  await removeFinishedRuns(page);
  await page.getByTestId('preset-select').selectOption('standard');
  await page.getByRole('button', { name: '+ Add layer' }).click();
  await page.getByRole('button', { name: '+ Add layer' }).click();
  for (const [i, units] of [256, 128, 64].entries()) await page.getByLabel(`Units in hidden layer ${i + 1}`).fill(String(units));
  await page.getByTestId('duration-count').fill('1');
  await page.getByTestId('compare-optimizers').click();

  const items = page.getByTestId('chart-legend-item');
  await expect(items).toHaveCount(4);
  // Two rows of two, not one pill per row.
  await expect.poll(async () => new Set((await pills(page)).map((p) => p.top)).size).toBe(2);
  const names = await page.getByTestId('run-row').evaluateAll((rows) => rows.map((r) => r.querySelector('.name')?.textContent?.trim() ?? ''));
  // Each pill names its run in full to the mouse and to a screen reader, however short it is drawn.
  for (const [i, name] of names.entries()) {
    expect(name).toContain('256 relu, 128 relu, 64 relu');
    await expect(items.nth(i)).toHaveAttribute('title', new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    await expect(items.nth(i)).toHaveAccessibleName(name);
  }
  await screenshot(page, 'chart-legend-1024', testInfo);

  // The same four again with another seed: names cut short keep the seed that tells them apart (both sets read
  // 'gd 0.1 · 256 relu, 12…', told apart by colour only).
  await page.getByRole('spinbutton', { name: 'Seed' }).fill('2');
  await page.getByTestId('compare-optimizers').click();
  await expect(items).toHaveCount(8);
  await expect.poll(async () => (await pills(page)).map((p) => p.tail).sort()).toEqual([...Array(4).fill(' · seed 1'), ...Array(4).fill(' · seed 2')]);
  const cut = await pills(page);
  expect(cut.every((p) => p.whole)).toBe(true);
  expect(cut.some((p) => p.cut)).toBe(true);
  await screenshot(page, 'chart-legend-1024-seeds', testInfo);
  // Four rows of pills, three shown: the runs below the legend's box are said, and one click shows them.
  const more = page.getByTestId('chart-legend-more');
  await expect(more).toHaveText('2 more runs ↓');
  const above = page.getByTestId('chart-legend-above');
  await expect(above).toHaveCount(0);
  await more.click();
  await expect(more).toHaveCount(0);
  await expect(items.last()).toBeInViewport();
  // Scrolled down, the first runs are out of the box: said too, and one click brings them back.
  await expect(above).toHaveText(/^\d more runs? ↑$/);
  await above.click();
  await expect(above).toHaveCount(0);
  await expect(items.first()).toBeInViewport();
  await expect(more).toHaveText('2 more runs ↓');
  await more.click(); // down again, as the rest of the test was written for
  await expect(more).toHaveCount(0);

  await page.setViewportSize({ width: 1600, height: 1000 });
  await expect.poll(async () => (await pills(page)).filter((p) => p.cut).length).toBe(0);
  await expect(more).toHaveCount(0);
  await screenshot(page, 'chart-legend-1600', testInfo);

  await expect(page.locator('[data-testid="run-row"][data-status="completed"]')).toHaveCount(8, { timeout: 60_000 });
  await removeFinishedRuns(page);
  // The server is shared by the worker's specs: the next one starts with no data set of ours open.
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByTitle('Forget this data set').click();
  await expect(page.getByTestId('dataset-name').filter({ hasText: 'bars.csv' })).toHaveCount(0);
  await page.setViewportSize({ width: 1280, height: 820 });
});
