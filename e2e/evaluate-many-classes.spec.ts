// A data set of many classes (27: letters labelled 0–26) in the Evaluate view: its confusion matrix fits the
// card at 1280 px instead of running off it, to be scrolled sideways.
import { expect, test } from './fixtures';
import { dropFile, tenBarsCsv } from './drop';
import { chooseInTrain, removeRun, trainStandard } from './runs';

test('a matrix of 27 classes fits its card at 1280 px (it ran 187 px past it)', async ({ appPage: page }) => {
  await page.setViewportSize({ width: 1280, height: 820 });
  await page.getByRole('tab', { name: 'Data' }).click();
  const [header, ...lines] = tenBarsCsv(270).trim().split('\n');
  await dropFile(page, 'letters27.csv', [header, ...lines.map((line, i) => `${i % 27}${line.slice(line.indexOf(','))}`)].join('\n'));
  await expect(page.getByTestId('dataset-name')).toHaveText('letters27.csv');
  await chooseInTrain(page, 'letters27.csv');
  const row = await trainStandard(page, 1, 1);

  await page.getByRole('tab', { name: 'Evaluate' }).click();
  const matrix = page.getByTestId('confusion-matrix');
  await expect(matrix.locator('th[scope=row]')).toHaveCount(27);
  const overflow = await matrix.evaluate((table) => table.scrollWidth - table.parentElement!.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  await removeRun(page, row);
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByTitle('Forget this data set').click();
  await expect(page.getByTestId('dataset-name').filter({ hasText: 'letters27.csv' })).toHaveCount(0);
});
