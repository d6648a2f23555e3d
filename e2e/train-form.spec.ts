// The Train form in a small window: the data-set menu shows the chosen data set's name whole at 1024 px (it read
// 'Built-in MNIST sample · 10,000', its 'rows' cut off); the name and size in full are its tooltip.
import type { Locator } from '@playwright/test';
import { expect, screenshot, test } from './fixtures';
import { dropFile, tenBarsCsv } from './drop';
import { chooseInTrain, openTrainOnSample } from './runs';

/** The width the menu's chosen text takes, and the width the menu has for it (its box less padding and arrow). */
const fit = (select: Locator) =>
  select.evaluate((el: HTMLSelectElement) => {
    const style = getComputedStyle(el);
    const ctx = document.createElement('canvas').getContext('2d')!;
    ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const text = el.selectedOptions[0]?.text ?? '';
    const arrow = 20; // Chromium's drop-down arrow, inside the padding box
    return { text, needed: Math.ceil(ctx.measureText(text).width), room: el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - arrow };
  });

test('the data-set menu shows the built-in sample’s name whole at 1024 px, with its size in the tooltip', async ({ appPage: page }, testInfo) => {
  await openTrainOnSample(page);
  const select = page.getByTestId('dataset-select');
  for (const [width, height] of [[1024, 700], [1366, 768]]) {
    await page.setViewportSize({ width, height });
    const { text, needed, room } = await fit(select);
    expect(text).toContain('Built-in MNIST sample');
    expect(needed, `'${text}' at ${width} px`).toBeLessThanOrEqual(room);
    await expect(select).toHaveAttribute('title', 'Built-in MNIST sample · 10,000 rows');
    await screenshot(page, `train-dataset-menu-${width}`, testInfo);
  }
  await page.setViewportSize({ width: 1280, height: 820 });
});

test('a bad value shows its problem under its field (read with it), and Start waits until every field is fixed', async ({ appPage: page }) => {
  await openTrainOnSample(page);
  await page.getByTestId('preset-select').selectOption('standard');
  const start = page.getByTestId('start-run');
  const bad: [Locator, string, string][] = [
    [page.getByLabel('Units in hidden layer 1'), '0', 'must be at least 1'],
    [page.getByTestId('learning-rate'), '-1', 'must be above 0'],
    [page.getByLabel('β1'), '1', 'must be below 1'],
    [page.getByLabel('Batch size'), '0', 'must be at least 1'],
    [page.getByTestId('duration-count'), '0', 'must be at least 1'],
    [page.getByRole('spinbutton', { name: 'Seed' }), '1.5', 'must be a whole number'],
  ];
  for (const [field, value, problem] of bad) {
    await field.fill(value);
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(field).toHaveAccessibleDescription(problem);
  }
  await expect(start).toBeDisabled();
  await expect(page.getByTestId('compare-optimizers')).toBeDisabled();
  await expect(page.getByTestId('start-why')).toHaveText('Fix the fields marked in red: Units of hidden layer 1 and 5 more.');
  // Enter in a field starts nothing, valid or not.
  await page.getByTestId('learning-rate').press('Enter');
  for (const [field] of bad.slice(0, -1)) await field.fill('1');
  await page.getByTestId('learning-rate').fill('0.001');
  await page.getByLabel('β1').fill('0.9');
  await expect(start).toBeDisabled();
  await page.getByRole('spinbutton', { name: 'Seed' }).fill('2');
  await page.getByRole('spinbutton', { name: 'Seed' }).press('Enter');
  for (const [field] of bad) {
    await expect(field).toHaveAttribute('aria-invalid', 'false');
    await expect(field).not.toHaveAttribute('aria-describedby');
  }
  await expect(start).toBeEnabled();
  await expect(page.getByTestId('run-row')).toHaveCount(0);
});

test('an empty field asks for a number under it, in words (Batch size read valibot\'s "Invalid type: Expected (number | "full") but received null")', async ({ appPage: page }) => {
  await openTrainOnSample(page);
  await page.getByTestId('preset-select').selectOption('standard');
  const fields: Locator[] = [
    page.getByLabel('Units in hidden layer 1'),
    page.getByTestId('learning-rate'),
    page.getByLabel('β1'),
    page.getByLabel('β2'),
    page.getByLabel('ε'),
    page.getByLabel('Batch size'),
    page.getByTestId('duration-count'),
    page.getByRole('spinbutton', { name: 'Seed' }),
  ];
  for (const field of fields) {
    const value = await field.inputValue();
    await field.fill('');
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(field).toHaveAccessibleDescription('enter a number');
    await expect(page.getByTestId('start-run')).toBeDisabled();
    await field.fill(value);
    await expect(field).toHaveAttribute('aria-invalid', 'false');
  }
  await expect(page.getByTestId('start-run')).toBeEnabled();
});

test('why Start waits names the field to fix, out of sight in a small window, and takes the focus to it', async ({ appPage: page }, testInfo) => {
  test.skip(testInfo.project.name === 'electron', 'the window size is set on the browser page');
  await page.setViewportSize({ width: 1024, height: 700 });
  await openTrainOnSample(page);
  await page.getByTestId('preset-select').selectOption('standard');
  const units = page.getByLabel('Units in hidden layer 1');
  await units.fill('0');
  await page.getByRole('spinbutton', { name: 'Seed' }).focus(); // the settings scrolled down to the Start bar: the field is out of sight
  // It read 'Fix the fields marked in red.', with no field in red in sight.
  const why = page.getByTestId('start-why');
  await expect(why).toHaveText('Fix the field marked in red: Units of hidden layer 1.');
  await screenshot(page, 'train-why-1024', testInfo);
  await why.getByRole('button', { name: 'Units of hidden layer 1' }).press('Enter');
  await expect(units).toBeFocused();
  await expect(units).toBeInViewport();
  await units.fill('128');
  await expect(why).toHaveCount(0);
  await expect(page.getByTestId('start-run')).toBeEnabled();
  await page.setViewportSize({ width: 1280, height: 820 });
});

test('a data set without labels: Train says so instead of a split, asks no dev set, and cannot start; Data offers no split', async ({ appPage: page }) => {
  // The ten-bars file without its label column (a header of pixel names only: no labels).
  const unlabeled = tenBarsCsv(40).split('\n').map((line) => line.slice(line.indexOf(',') + 1)).join('\n');
  await page.getByRole('tab', { name: 'Data' }).click();
  await dropFile(page, 'no-labels.csv', unlabeled);
  await expect(page.getByTestId('dataset-name').filter({ hasText: 'no-labels.csv' })).toBeVisible({ timeout: 30_000 });
  await chooseInTrain(page, 'no-labels.csv');
  await expect(page.getByTestId('split-summary')).toHaveText('40 rows · 28×28 · no labels');
  await expect(page.getByTestId('dev-rows')).toHaveCount(0);
  await expect(page.getByTestId('network-size')).toHaveCount(0);
  await expect(page.getByTestId('start-run')).toBeDisabled();
  await expect(page.getByText('This data set has no labels: a run needs each image’s class to learn from.')).toBeVisible();
  // Nor does the Data view offer it a split, or its train and dev rows to show.
  await page.getByRole('tab', { name: 'Data' }).click();
  await expect(page.getByRole('heading', { name: 'Images' })).toBeVisible();
  await expect(page.getByText('40 images — hover one to see its row')).toBeVisible();
  await expect(page.getByTestId('split-controls')).toHaveCount(0);
  await expect(page.getByLabel('Rows to show')).toHaveCount(0);
  await page.getByTitle('Forget this data set').click();
  await expect(page.getByTestId('dataset-name').filter({ hasText: 'no-labels.csv' })).toHaveCount(0);
});

test('a data set whose every label is 0: Train cannot start it or compare on it, and says why', async ({ appPage: page }) => {
  // The ten-bars file with every label 0 (one class: nothing to tell apart; the worker would fail the run).
  const oneClass = tenBarsCsv(40).split('\n').map((line, i) => (i === 0 || line === '' ? line : `0${line.slice(line.indexOf(','))}`)).join('\n');
  await page.getByRole('tab', { name: 'Data' }).click();
  await dropFile(page, 'one-class.csv', oneClass);
  await expect(page.getByTestId('dataset-name').filter({ hasText: 'one-class.csv' })).toBeVisible({ timeout: 30_000 });
  await chooseInTrain(page, 'one-class.csv');
  await expect(page.getByTestId('start-run')).toBeDisabled();
  await expect(page.getByTestId('compare-notebook')).toBeDisabled();
  await expect(page.getByTestId('compare-optimizers')).toBeDisabled();
  await expect(page.getByText('Every image in this data set has the label 0: a network learns to tell at least 2 classes apart.')).toBeVisible();
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByTitle('Forget this data set').click();
  await expect(page.getByTestId('dataset-name').filter({ hasText: 'one-class.csv' })).toHaveCount(0);
});
