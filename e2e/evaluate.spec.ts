// The Evaluate view against the real services in browser mode: after a run on the built-in sample finishes
// its epochs, the view shows that run's dev-set confusion matrix, whose cells add up to the dev set and whose
// diagonal gives the accuracy shown; the per-class table and the most frequent mistakes are there.
import { expect, screenshot, test } from './fixtures';
import { removeRun, trainOnSample } from './runs';

test('a finished run’s dev-set confusion matrix, accuracy, per-class table and mistakes', async ({ appPage: page }, testInfo) => {
  const row = await trainOnSample(page, 2, 7);
  const devRows = Number((await page.getByTestId('split-summary').textContent())?.match(/([\d,]+) dev/)?.[1].replace(/,/g, ''));
  expect(devRows).toBeGreaterThan(0);

  await page.getByRole('tab', { name: 'Evaluate' }).click();
  const matrix = page.getByTestId('confusion-matrix');
  await expect(matrix).toBeVisible();
  const cells = await matrix.locator('td').evaluateAll((tds) =>
    tds.map((td) => ({ truth: Number(td.getAttribute('data-truth')), predicted: Number(td.getAttribute('data-predicted')), count: Number(td.textContent) })),
  );
  expect(cells).toHaveLength(100);
  const total = cells.reduce((a, c) => a + c.count, 0);
  const correct = cells.filter((c) => c.truth === c.predicted).reduce((a, c) => a + c.count, 0);
  expect(total).toBe(devRows);
  expect(correct / total).toBeGreaterThan(0.8);
  await expect(page.getByTestId('evaluate-accuracy')).toHaveText(`${((100 * correct) / total).toFixed(2)} %`);
  await expect(page.getByTestId('per-class').locator('tbody tr')).toHaveCount(10);
  await expect(page.getByTestId('top-mistakes').locator('li').first()).toContainText('taken for');
  await screenshot(page, 'evaluate', testInfo);

  // A click on the largest mistake shows its images: as many as the cell counts (up to 48), each with a probability.
  const worst = cells.filter((c) => c.truth !== c.predicted).sort((a, b) => b.count - a.count)[0];
  await matrix.locator(`td[data-truth="${worst.truth}"][data-predicted="${worst.predicted}"] button`).click();
  const examples = page.getByTestId('cell-examples');
  await expect(examples).toContainText(`${worst.count} dev example`);
  await expect(examples.locator('canvas')).toHaveCount(Math.min(48, worst.count));
  await expect(examples.locator('figcaption').first()).toHaveText(/^\d+%$/);
  await screenshot(page, 'evaluate-cell', testInfo);

  // The first layer: one tile per hidden unit (the Standard preset's 128).
  await page.getByTestId('first-layer-show').click();
  await expect(page.getByTestId('first-layer').locator('canvas')).toHaveAttribute('aria-label', /128 hidden units as 28×28 images/);
  await expect(page.getByTestId('first-layer')).toContainText('128 hidden units after epoch 2');
  await screenshot(page, 'evaluate-first-layer', testInfo);

  // Leave the server's run list as it was found (the specs after this one share the server).
  await removeRun(page, row);
  await expect(page.getByRole('tab', { name: 'Evaluate' })).toBeVisible();
  await page.getByRole('tab', { name: 'Evaluate' }).click();
  await expect(page.getByText('No trained model to evaluate yet')).toBeVisible();
});
