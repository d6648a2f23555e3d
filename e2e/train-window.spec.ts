// The Train view in a laptop's window (1366×768): the settings scroll inside their card, and Start stays in
// view at its bottom edge (it sat below the fold: a first look at Train showed no way to start).
import { expect, screenshot, test } from './fixtures';
import { openTrain, removeFinishedRuns } from './runs';

test('at 1366×768 Start is in view with the settings scrolled to the top, and starts a run from there', async ({ appPage: page }, testInfo) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await openTrain(page);
  await removeFinishedRuns(page);
  await page.getByTestId('preset-select').selectOption('standard');
  await page.getByRole('heading', { name: 'New run' }).scrollIntoViewIfNeeded();
  await expect(page.getByRole('heading', { name: 'New run' })).toBeInViewport({ ratio: 1 });
  const start = page.getByTestId('start-run');
  await expect(start).toBeInViewport({ ratio: 1 });
  await screenshot(page, 'train-1366x768-start', testInfo);

  // Every field can still be scrolled to and used: the bar does not cover the last one.
  const seed = page.getByRole('spinbutton', { name: 'Seed' });
  await seed.scrollIntoViewIfNeeded();
  await seed.click(); // a click fails when another element (the Start bar) would receive it
  await seed.fill('5');
  await page.getByTestId('duration-count').fill('1');
  await start.click();
  const row = page.getByTestId('run-row').first();
  await expect(row).toContainText('seed 5');
  await expect(row).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
  await removeFinishedRuns(page);
  await page.setViewportSize({ width: 1280, height: 820 });
});
