// Evaluate on an imported model: it came without the data it was trained on, so the view offers to measure it on
// a loaded labelled data set; measured on the built-in sample, it shows the matrix of all 10,000 images, the
// accuracy the matrix counts, and the images behind a cell; measured again on another file, that file's matrix. A
// data set of images of another size is not offered.
import { dropFile, tenBarsCsv } from './drop';
import { expect, screenshot, test } from './fixtures';
import { removeRun, trainOnSample } from './runs';

test('an imported model is measured on a labelled data set chosen in Evaluate: matrix, accuracy, images', async ({ appPage: page }, testInfo) => {
  test.skip(testInfo.project.name === 'electron', 'the model is exported through a download, which Electron answers with its save dialog; browser mode covers the view');
  // A model file: a run on the sample, exported (the run kept: Evaluate shows the model imported after it all the same).
  const row = await trainOnSample(page, 1, 9);
  const runName = (await row.locator('.name').textContent())!.trim();
  await page.getByRole('tab', { name: 'Models' }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('model-row').getByTestId('export-json').click()]);
  const file = testInfo.outputPath('model.json');
  await download.saveAs(file);
  // Two more labelled files: 28×28 bars (offered), and 8×8 images (not offered to a 28×28 model).
  await page.getByRole('tab', { name: 'Data' }).click();
  await dropFile(page, 'bars-28.csv', tenBarsCsv(47)); // 47 rows: no other spec's data (class names are kept by content)
  await expect(page.getByTestId('dataset-name').filter({ hasText: 'bars-28.csv' })).toBeVisible({ timeout: 30_000 });
  const small = Array.from({ length: 20 }, (_, i) => [i % 2, ...Array.from({ length: 64 }, (_, k) => (k % 8 === i % 8 ? 200 : 0))].join(',')).join('\n') + '\n';
  await dropFile(page, 'small-8x8.csv', small);
  await expect(page.getByTestId('dataset-name').filter({ hasText: 'small-8x8.csv' })).toBeVisible({ timeout: 30_000 });

  await page.getByRole('tab', { name: 'Models' }).click();
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('import-model').click()]);
  await chooser.setFiles(file);
  await expect(page.getByTestId('import-outcome')).toHaveText(`Imported ${runName} (imported).`);

  // The model just imported is the run Evaluate (and Draw) shows, though the trained run has a matrix.
  await page.getByRole('tab', { name: 'Evaluate' }).click();
  await expect(page.getByTestId('evaluate-run').locator('option:checked')).toContainText(`${runName} (imported)`);
  await expect(page.getByText('Imported from model.json, without the data it was trained on.')).toBeVisible();
  const choices = page.getByTestId('measure-dataset').locator('option');
  await expect(choices).toHaveText(['Built-in MNIST sample (10,000 images)', 'bars-28.csv (47 images)']);
  // By default a file with the model's class names other than the one it was trained on, as a test set is.
  await expect(page.getByTestId('measure-dataset').locator('option:checked')).toHaveText('bars-28.csv (47 images)');
  await screenshot(page, 'evaluate-imported-unmeasured', testInfo);
  await page.getByTestId('measure-dataset').selectOption({ label: 'Built-in MNIST sample (10,000 images)' });
  await page.getByTestId('measure-run').click();

  const matrix = page.getByTestId('confusion-matrix');
  await expect(matrix).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('evaluate-measured-on')).toHaveText('Imported from model.json · measured on all 10,000 images of Built-in MNIST sample');
  const cells = await matrix.locator('td').evaluateAll((tds) =>
    tds.map((td) => ({ truth: Number(td.getAttribute('data-truth')), predicted: Number(td.getAttribute('data-predicted')), count: Number(td.textContent?.replaceAll(',', '')) })),
  );
  expect(cells.reduce((a, c) => a + c.count, 0)).toBe(10_000);
  // Counts are written with their thousands grouped, as everywhere in the view ("1,100"; it wrote "1100").
  const most = Math.max(...cells.map((c) => c.count));
  if (most >= 1000) await expect(matrix.locator('td').filter({ hasText: most.toLocaleString('en-US') }).first()).toBeVisible();
  const correct = cells.filter((c) => c.truth === c.predicted).reduce((a, c) => a + c.count, 0);
  expect(correct).toBeGreaterThan(8000);
  await expect(page.getByTestId('evaluate-accuracy')).toHaveText(`${((100 * correct) / 10_000).toFixed(2)}%`);
  await expect(page.getByTestId('measure-run')).toHaveText('Measure again');
  await screenshot(page, 'evaluate-imported-matrix', testInfo);
  // The largest mistake's images: as many as the cell counts (up to 48), of the sample.
  const worst = cells.filter((c) => c.truth !== c.predicted).sort((a, b) => b.count - a.count)[0];
  await matrix.locator(`td[data-truth="${worst.truth}"][data-predicted="${worst.predicted}"] button`).click();
  const examples = page.getByTestId('cell-examples');
  await expect(examples).toContainText(`${worst.count} image${worst.count === 1 ? '' : 's'} of Built-in MNIST sample`);
  await expect(examples.locator('canvas')).toHaveCount(Math.min(48, worst.count));
  await screenshot(page, 'evaluate-imported', testInfo);

  // Measured again on the bars: their matrix, and the open cell's images are theirs.
  await page.getByTestId('measure-dataset').selectOption({ label: 'bars-28.csv (47 images)' });
  await page.getByTestId('measure-run').click();
  await expect(page.getByTestId('evaluate-measured-on')).toHaveText('Imported from model.json · measured on all 47 images of bars-28.csv');
  const counts = await matrix.locator('td').evaluateAll((tds) => tds.map((td) => Number(td.textContent?.replaceAll(',', ''))));
  expect(counts.reduce((a, b) => a + b, 0)).toBe(47);
  await expect(examples).toContainText(/\d+ images? of bars-28\.csv/);

  // Leave the server as it was found: both runs removed, the two files closed.
  await removeRun(page, page.getByTestId('run-row').filter({ hasText: '(imported)' }));
  await removeRun(page, row);
  await page.getByRole('tab', { name: 'Data' }).click();
  for (const name of ['bars-28.csv', 'small-8x8.csv']) {
    await page.getByLabel('Loaded data set').selectOption({ label: name });
    await page.getByTitle('Forget this data set').click();
    await expect(page.getByTestId('dataset-name').filter({ hasText: name })).toHaveCount(0);
  }
});
