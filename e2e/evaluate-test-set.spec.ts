// Evaluate on a run with a separate test set: its test accuracy says what it was measured on, as the dev accuracy
// beside it does ('89.50% (895 of 1,000)' beside a bare 'Test accuracy 87.61%': which file, how many images?).
import { dropFile, tenBarsCsv } from './drop';
import { expect, screenshot, test } from './fixtures';
import { chooseInTrain, removeRun, trainStandard } from './runs';

test('the test accuracy names its test set and its size', async ({ appPage: page }, testInfo) => {
  await dropFile(page, 'bars-fit.csv', tenBarsCsv(300));
  await expect(page.getByTestId('dataset-name')).toHaveText('bars-fit.csv', { timeout: 30_000 });
  const split = page.getByTestId('split-controls');
  const chooser = page.waitForEvent('filechooser');
  await split.getByRole('button', { name: 'Open a test file…' }).click();
  await (await chooser).setFiles({ name: 'bars-held-out.csv', mimeType: 'text/csv', buffer: Buffer.from(tenBarsCsv(70)) });
  await expect(split).toContainText('test 70');

  await chooseInTrain(page, 'bars-fit.csv');
  const row = await trainStandard(page, 1, 21);
  await page.getByRole('tab', { name: 'Evaluate' }).click();
  const test = page.getByTestId('evaluate-test-accuracy');
  await expect(test).toContainText(/Test accuracy \d+\.\d\d%/);
  await expect(test).toContainText('(70 images of bars-held-out.csv)');
  await screenshot(page, 'evaluate-test-set', testInfo);

  await removeRun(page, row);
  await page.getByRole('tab', { name: 'Data' }).click();
  for (const name of ['bars-fit.csv', 'bars-held-out.csv']) {
    await page.getByLabel('Loaded data set').selectOption({ label: name });
    await page.getByTitle('Forget this data set').click();
    await expect(page.getByTestId('dataset-name').filter({ hasText: name })).toHaveCount(0);
  }
});
