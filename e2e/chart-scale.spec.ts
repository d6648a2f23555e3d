// A run whose loss dwarfs the others' (a learning rate far too high) stretches the linear loss axis until the
// other curves lie flat: the chart names it and offers the log scale, which shows every run again.
import { expect, screenshot, test } from './fixtures';
import { openTrainOnSample, removeFinishedRuns, trainStandard } from './runs';

test('a run whose loss is out of scale is named over the chart, with the log scale one click away', async ({ appPage: page }, testInfo) => {
  await openTrainOnSample(page);
  await removeFinishedRuns(page);
  const hint = page.getByTestId('chart-scale-hint');
  await trainStandard(page, 1, 1);
  await expect(hint).toHaveCount(0); // one run alone: nothing to compare it with
  await page.getByTestId('learning-rate').fill('50');
  await page.getByTestId('start-run').click();
  await expect(page.getByTestId('run-row').first()).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
  await expect(hint).toBeVisible();
  await expect(hint).toContainText(/adam 50 · 128 relu.* reaches a loss of [\d,]+(\.\d+)?; beside it the others \(at most \d\.\d+\) lie flat\./);
  await screenshot(page, 'chart-scale-hint', testInfo);
  const logScale = page.getByTestId('log-scale');
  await expect(logScale).not.toBeChecked();
  await hint.getByRole('button', { name: 'Log scale' }).click();
  await expect(logScale).toBeChecked();
  await expect(hint).toHaveCount(0);
  // Back on a linear axis, hiding the run from the legend leaves nothing out of scale.
  await logScale.click();
  await expect(hint).toBeVisible();
  await page.getByTestId('chart-legend-item').filter({ hasText: 'adam 50' }).click();
  await expect(hint).toHaveCount(0);
  await removeFinishedRuns(page);
});
