// A run's class names are its data's: the names the user gives the data set it trained on, also while that file is
// closed and when it is opened again (closed and dropped again, or after a restart, it is a new data set with a new
// id; the names are saved by the data's fingerprint). Evaluate and
// Draw looked the names up by the id the run was started with only, and showed a reopened file's runs with the
// class numbers (or a file name's defaults) whatever the user named them.
import { expect, screenshot, test } from './fixtures';
import { dropFile, tenBarsCsv } from './drop';
import { removeRun, trainStandard } from './runs';

test("a run shows its data's class names after its file is closed and opened again", async ({ appPage: page }, testInfo) => {
  const csv = tenBarsCsv(200);
  await dropFile(page, 'bars_named.csv', csv);
  await expect(page.getByTestId('dataset-name')).toHaveText('bars_named.csv');
  const nameClasses = async (first: string) => {
    await page.getByRole('button', { name: 'Edit class names' }).click();
    const names = page.getByTestId('class-names');
    await names.getByLabel('Name of class 0').fill(first);
    await names.getByLabel('Name of class 1').fill('Bar one');
    await names.getByRole('button', { name: 'Save names' }).click();
    await page.getByRole('button', { name: 'Hide class names' }).click();
  };
  await nameClasses('Bar zero');

  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(page.getByTestId('dataset-select').locator('option:checked')).toHaveText(/bars_named\.csv/);
  const row = await trainStandard(page, 1, 7);

  const evaluate = page.getByRole('tab', { name: 'Evaluate' });
  const rowNames = page.getByTestId('confusion-matrix').locator('th[scope=row]');
  await evaluate.click();
  await expect(rowNames.first()).toHaveText('Bar zero');

  // Closed: the names saved for its data (they read 0, 1, … once the file was closed, or after a restart).
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByTestId('dataset-name')).not.toHaveText('bars_named.csv');
  await evaluate.click();
  await expect(rowNames.first()).toHaveText('Bar zero');
  await expect(rowNames.nth(1)).toHaveText('Bar one');
  // Opened again: its names come back with it; named anew, the run takes those names.
  await page.getByRole('tab', { name: 'Data' }).click();
  await dropFile(page, 'bars_named.csv', csv);
  await expect(page.getByTestId('dataset-name')).toHaveText('bars_named.csv');
  await expect(page.getByTitle('Bar zero', { exact: true })).toHaveText('Bar zero'); // the mean image's caption
  await nameClasses('Zero bar');
  await evaluate.click();
  await expect(rowNames.first()).toHaveText('Zero bar');
  await expect(rowNames.nth(1)).toHaveText('Bar one');
  await screenshot(page, 'class-names-reopened-evaluate', testInfo);

  await page.getByRole('tab', { name: 'Draw' }).click();
  await expect(page.getByText(/Draw one of the 10 classes \(Zero bar, Bar one, 2,/)).toBeVisible();
  // and a screen reader hears the same on the pad, not "draw a digit"
  await expect(page.getByTestId('draw-pad')).toHaveAttribute('aria-label', /^Draw one of the 10 classes \(Zero bar, Bar one, 2,/);
  await screenshot(page, 'class-names-reopened-draw', testInfo);
  await removeRun(page, row);
  // Leave the server as it was found: the file closed (the next spec trains on the data set Train has chosen).
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByLabel('Loaded data set').selectOption({ label: 'bars_named.csv' });
  await page.getByTitle('Forget this data set').click();
  await expect(page.getByTestId('dataset-name').filter({ hasText: 'bars_named.csv' })).toHaveCount(0);
});
