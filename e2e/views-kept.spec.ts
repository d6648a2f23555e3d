// The views as the user left them. Each view is made anew when shown: Draw's pad came back blank (its answer gone,
// the framing back to the run's default) after a look at Evaluate's mistakes between two tries, and Evaluate's
// examples of the cell opened were gone after a look at Draw; the Data view's class names typed but not yet saved
// were gone after a look at Train, and so was a split typed but not yet applied, and the images' filters. They stay
// now while another view is shown.
import type { Page } from '@playwright/test';
import { expect, screenshot, test } from './fixtures';
import { dropFile, tenBarsCsv } from './drop';
import { openTrainOnSample, removeRun, startLongRunOnSample, stopAndRemove, stroke, trainOnSample } from './runs';

/** How many of the pad's pixels hold ink (darker than mid-grey). */
const inkedPixels = (page: Page) =>
  page.getByTestId('draw-pad').locator('canvas').evaluate((canvas: HTMLCanvasElement) => {
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let k = 0; k < data.length; k += 4) if (data[k] < 128) n++;
    return n;
  });

test('a drawing and the framing chosen stay while another view is shown', async ({ appPage: page }, testInfo) => {
  const row = await trainOnSample(page, 1, 11);
  const draw = page.getByRole('tab', { name: 'Draw' });
  await draw.click();
  await stroke(page, 0.5, 0.15, 0.5, 0.85);
  await page.getByLabel('Item (Fashion-MNIST)').check();
  const verdict = page.getByTestId('draw-verdict');
  await expect(verdict).toHaveText(/^It looks like/);
  // The answer for the item's framing (the digit's stays in sight until it comes: read, it failed at random).
  await expect(verdict).toHaveAttribute('data-answered', 'current');
  const answer = await verdict.textContent();
  const ink = await inkedPixels(page);
  expect(ink).toBeGreaterThan(1000);

  await page.getByRole('tab', { name: 'Evaluate' }).click();
  await expect(page.getByTestId('confusion-matrix')).toBeVisible();
  await draw.click();
  await expect(page.getByTestId('draw-framing')).toHaveAttribute('data-value', 'item');
  await expect(verdict).toHaveText(answer!);
  expect(await inkedPixels(page)).toBe(ink);
  await expect(page.getByTestId('draw-clear')).toBeEnabled();
  await screenshot(page, 'draw-kept', testInfo);

  // Clear empties it, and it stays empty when shown again.
  await page.getByTestId('draw-clear').click();
  await page.getByRole('tab', { name: 'Data' }).click();
  await draw.click();
  await expect(page.getByTestId('draw-clear')).toBeDisabled();
  expect(await inkedPixels(page)).toBe(0);
  await expect(verdict).toBeHidden();
  await removeRun(page, row);
});

test("Evaluate: the cell whose examples were opened stays open while another view is shown", async ({ appPage: page }, testInfo) => {
  const row = await trainOnSample(page, 1, 12);
  const evaluate = page.getByRole('tab', { name: 'Evaluate' });
  await evaluate.click();
  await page.getByTestId('top-mistakes').getByRole('button').first().click();
  const examples = page.getByTestId('cell-examples');
  await expect(examples).toBeVisible();
  const title = await examples.locator('h3').textContent();

  await page.getByRole('tab', { name: 'Draw' }).click();
  await expect(page.getByTestId('draw-pad')).toBeVisible();
  await evaluate.click();
  await expect(examples.locator('h3')).toHaveText(title!);
  await examples.scrollIntoViewIfNeeded();
  await screenshot(page, 'evaluate-cell-kept', testInfo);
  await removeRun(page, row);
});

test('Data: class names typed but not yet saved stay while another view is shown', async ({ appPage: page }, testInfo) => {
  await openTrainOnSample(page);
  const data = page.getByRole('tab', { name: 'Data' });
  await data.click();
  await page.getByRole('button', { name: 'Edit class names' }).click();
  await page.getByLabel('Name of class 0').fill('nought');
  await page.getByLabel('Name of class 1').fill('one');
  await expect(page.getByRole('button', { name: 'Save names' })).toBeEnabled();

  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(page.getByTestId('start-run')).toBeVisible();
  await data.click();
  await expect(page.getByLabel('Name of class 0')).toHaveValue('nought');
  await expect(page.getByLabel('Name of class 1')).toHaveValue('one');
  await expect(page.getByLabel('Name of class 2')).toHaveValue('2');
  await expect(page.getByRole('button', { name: 'Save names' })).toBeEnabled();
  await screenshot(page, 'data-class-names-kept', testInfo);

  // Put back as they were and hidden, the editor stays closed and the names unsaved (the specs share the server).
  await page.getByLabel('Name of class 0').fill('0');
  await page.getByLabel('Name of class 1').fill('1');
  await expect(page.getByRole('button', { name: 'Save names' })).toBeDisabled();
  await page.getByRole('button', { name: 'Hide class names' }).click();
  await page.getByRole('tab', { name: 'Train' }).click();
  await data.click();
  await expect(page.getByRole('button', { name: 'Edit class names' })).toBeVisible();
  await expect(page.getByLabel('Name of class 0')).toHaveCount(0);
});

test('Data: a split typed but not yet applied stays while another view is shown', async ({ appPage: page }) => {
  await openTrainOnSample(page);
  const data = page.getByRole('tab', { name: 'Data' });
  await data.click();
  const split = page.getByTestId('split-controls');
  await split.getByLabel('random').check();
  await split.getByLabel('Dev share in percent').fill('25');
  await split.getByLabel('Seed').fill('7');
  await expect(split).toContainText('now: train 9,000 · dev 1,000');

  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(page.getByTestId('split-summary')).toContainText('9,000 train · 1,000 dev'); // not applied
  await data.click();
  await expect(split.getByLabel('random')).toBeChecked();
  await expect(split.getByLabel('Dev share in percent')).toHaveValue('25');
  await expect(split.getByLabel('Seed')).toHaveValue('7');

  // Applied, it is the split (and no draft is left over): the first 1,000 rows again, as the specs after this one expect.
  await split.getByLabel('first').check();
  await split.getByLabel('Dev rows').fill('1000');
  await split.getByRole('button', { name: 'Apply split' }).click();
  await page.getByRole('tab', { name: 'Train' }).click();
  await data.click();
  await expect(split.getByLabel('first')).toBeChecked();
  await expect(split.getByLabel('Dev share in percent')).toHaveValue('10');
});

test("Data: the images' filters stay while another view is shown, each data set with its own", async ({ appPage: page }, testInfo) => {
  await openTrainOnSample(page);
  const data = page.getByRole('tab', { name: 'Data' });
  await data.click();
  const rows = page.getByLabel('Rows to show');
  const cls = page.getByLabel('Class filter');
  await rows.selectOption('dev');
  await cls.selectOption('3');

  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(page.getByTestId('start-run')).toBeVisible();
  await data.click();
  await expect(rows).toHaveValue('dev');
  await expect(cls).toHaveValue('3');
  await cls.scrollIntoViewIfNeeded();
  await screenshot(page, 'data-filters-kept', testInfo);

  // Another data set starts unfiltered; the first keeps its filters when shown again.
  await dropFile(page, 'bars_filters.csv', tenBarsCsv(50));
  await expect(page.getByTestId('dataset-name')).toHaveText('bars_filters.csv');
  await expect(rows).toHaveValue('all');
  await expect(cls).toHaveValue('');
  await page.getByLabel('Loaded data set').selectOption({ label: 'Built-in MNIST sample' });
  await expect(rows).toHaveValue('dev');
  await expect(cls).toHaveValue('3');

  // Left as found: the file closed, the sample unfiltered (the specs share the server and the page's state).
  await page.getByLabel('Loaded data set').selectOption({ label: 'bars_filters.csv' });
  await page.getByTitle('Forget this data set').click();
  await expect(page.getByTestId('dataset-name')).toHaveText('Built-in MNIST sample');
  await rows.selectOption('all');
  await cls.selectOption('');
});

test('Train: the runs hidden in the chart\'s legend and its zoom stay while another view is shown (and quick zoom keys raise no error)', async ({ appPage: page }) => {
  const row = await startLongRunOnSample(page); // training: the chart's worker is busy with new points
  const consoleErrors: string[] = [];
  page.on('console', (message) => void (message.type() === 'error' && consoleErrors.push(message.text())));
  await page.getByTestId('run-chart').locator('canvas').focus();
  // Bursts of keys, as a held key repeats: the chart's worker threw on a view that came before its redraw.
  for (let burst = 0; burst < 4; burst++) {
    for (let i = 0; i < 8; i++) await page.keyboard.press(i % 2 ? 'ArrowLeft' : '+');
    await page.keyboard.press('0');
  }
  await page.waitForTimeout(500);
  expect(consoleErrors).toEqual([]);
  const zoom = page.getByTestId('chart-zoom');
  // Zoomed in once more, the chart focused again (in the full suite, under load, a lone key was sometimes not taken).
  await expect(async () => {
    await page.getByTestId('run-chart').locator('canvas').focus();
    await page.keyboard.press('+');
    await expect(zoom).toHaveText(/^steps \d/, { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  const range = await zoom.textContent();
  const item = page.getByTestId('chart-legend-item').first();
  await item.click();
  await expect(item).toHaveAttribute('aria-pressed', 'false');
  await page.getByRole('tab', { name: 'Evaluate' }).click();
  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(page.getByTestId('chart-legend-item').first()).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('chart-zoom')).toHaveText(range!);
  // Epochs on the x axis: a range of steps means nothing there, so the zoom goes; the hidden run stays hidden.
  await page.getByTestId('x-axis').selectOption('epochs');
  await expect(page.getByTestId('chart-zoom')).toHaveCount(0);
  await page.getByTestId('x-axis').selectOption('steps');
  await page.getByTestId('chart-legend-item').first().click(); // shown again, for the specs after this one
  await stopAndRemove(page, row);
});
