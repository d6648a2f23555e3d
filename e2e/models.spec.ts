// The Models view against the real services in browser mode: with no trained run it says how to get one; after
// a run on the built-in sample it lists the run and exports its weights — the .json (MLP Studio's model file,
// the same weights as the run's), the .npz (a zip of W1, b1, W2, b2 as .npy arrays) and the .onnx — as downloads, and its
// predictions for every image of an unlabeled file as CSV; the .json imported again is a run Draw answers with.
import { readFileSync, writeFileSync } from 'node:fs';
import { dropFile, tenBarsCsv } from './drop';
import { expect, screenshot, test } from './fixtures';
import { removeRun, stroke, trainOnSample } from './runs';

test('export a trained run as .json, .npz and .onnx, its predictions for an unlabeled file as CSV, and import the .json again', async ({ appPage: page }, testInfo) => {
  test.skip(testInfo.project.name === 'electron', 'in Electron the export asks the native save dialog, which a spec cannot answer; browser mode covers the view and the files');
  await page.getByRole('tab', { name: 'Models' }).click();
  await expect(page.getByText('No trained model yet')).toBeVisible();

  const row = await trainOnSample(page, 1, 7);
  const runName = (await row.locator('.name').textContent())!.trim();
  await page.getByRole('tab', { name: 'Models' }).click();
  const model = page.getByTestId('model-row');
  await expect(model).toHaveCount(1);
  await expect(model).toContainText(runName);
  await expect(model).toContainText('784 → 128 relu → 10');

  const [jsonDownload] = await Promise.all([page.waitForEvent('download'), model.getByTestId('export-json').click()]);
  expect(jsonDownload.suggestedFilename()).toBe(`${runName}.json`);
  const file = JSON.parse(readFileSync((await jsonDownload.path())!, 'utf8'));
  expect(file).toMatchObject({
    format: 'mlp-studio-model',
    version: 1,
    input: { width: 28, height: 28 },
    layers: [{ inputs: 784, outputs: 128, activation: 'relu' }, { inputs: 128, outputs: 10, activation: 'softmax' }],
    labels: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    training: { epochs: 1, dataset: 'Built-in MNIST sample' },
  });
  expect(Buffer.from(file.weights.base64, 'base64').length).toBe(4 * 101_770);
  const saved = testInfo.outputPath('exported.json');
  await jsonDownload.saveAs(saved);
  await expect(model.getByTestId('export-outcome')).toHaveText(new RegExp(`^Downloaded ${runName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.json \\(\\d+ kB\\)\\.$`));

  const [npzDownload] = await Promise.all([page.waitForEvent('download'), model.getByTestId('export-npz').click()]);
  expect(npzDownload.suggestedFilename()).toBe(`${runName}.npz`);
  const npz = readFileSync((await npzDownload.path())!);
  expect(npz.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04])); // a zip's first local header
  for (const name of ['W1.npy', 'b1.npy', 'W2.npy', 'b2.npy']) expect(npz.includes(Buffer.from(name))).toBe(true);
  expect(npz.includes(Buffer.from("'shape': (128, 784)"))).toBe(true); // W1 as the notebook holds it

  const [onnxDownload] = await Promise.all([page.waitForEvent('download'), model.getByTestId('export-onnx').click()]);
  expect(onnxDownload.suggestedFilename()).toBe(`${runName}.onnx`);
  const onnx = readFileSync((await onnxDownload.path())!);
  expect(onnx.length).toBeGreaterThan(4 * 101_770); // the weights, and the graph around them
  for (const op of ['Gemm', 'Relu', 'Softmax']) expect(onnx.includes(Buffer.from(op))).toBe(true);

  // Its predictions for an unlabeled file: one line per image, in the file's order.
  await page.getByRole('tab', { name: 'Data' }).click();
  const unlabeled = tenBarsCsv(30).split('\n').filter(Boolean).map((line) => line.slice(line.indexOf(',') + 1)).join('\n') + '\n';
  await dropFile(page, 'bars-unlabeled.csv', unlabeled);
  await expect(page.getByTestId('dataset-name').filter({ hasText: 'bars-unlabeled.csv' })).toBeVisible({ timeout: 30_000 });
  await page.getByRole('tab', { name: 'Models' }).click();
  await expect(model.getByTestId('predict-dataset')).toHaveValue(/.+/);
  await expect(model.getByTestId('predict-dataset').locator('option:checked')).toHaveText('bars-unlabeled.csv (unlabeled)');
  const [csvDownload] = await Promise.all([page.waitForEvent('download'), model.getByTestId('export-predictions').click()]);
  expect(csvDownload.suggestedFilename()).toBe(`bars-unlabeled predicted by ${runName}.csv`);
  const lines = readFileSync((await csvDownload.path())!, 'utf8').trim().split('\n');
  expect(lines).toHaveLength(31);
  expect(lines[0]).toBe('row,predicted,name,probability,' + Array.from({ length: 10 }, (_, k) => `p(${k})`).join(','));
  for (const [i, line] of lines.slice(1).entries()) {
    const [row, predicted, name, probability, ...each] = line.split(',').map(Number);
    expect(row).toBe(i + 1);
    expect(name).toBe(predicted);
    expect(probability).toBe(Math.max(...each));
    expect(each.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
  }
  await screenshot(page, 'models', testInfo);

  // The run removed, the view is empty again.
  await removeRun(page, row);
  await page.getByRole('tab', { name: 'Models' }).click();
  await expect(page.getByText('No trained model yet')).toBeVisible();

  // The exported .json imported again: a completed run of its own, that Draw answers with.
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('import-model').click()]);
  await chooser.setFiles(saved);
  await expect(page.getByTestId('import-outcome')).toHaveText(`Imported ${runName} (imported).`);
  await expect(model).toHaveCount(1);
  await expect(model).toContainText(`${runName} (imported)`);
  await expect(model).toContainText('Completed');
  await page.getByRole('tab', { name: 'Draw' }).click();
  await stroke(page, 0.5, 0.15, 0.5, 0.85);
  await expect(page.getByTestId('draw-verdict')).toHaveText(/^It looks like a \d \([<>]?\d+\.\d%\)$/);
  // Its predictions for a labelled data set (the sample it was trained on): the view tells the accuracy, as the CSV counts it.
  await page.getByRole('tab', { name: 'Models' }).click();
  await model.getByTestId('predict-dataset').selectOption({ label: 'Built-in MNIST sample' });
  const [scored] = await Promise.all([page.waitForEvent('download'), model.getByTestId('export-predictions').click()]);
  const rows = readFileSync((await scored.path())!, 'utf8').trim().split('\n').slice(1).map((line) => line.split(','));
  expect(rows).toHaveLength(10_000);
  const right = rows.filter(([, label, predicted]) => label === predicted).length;
  const accuracy = `${((100 * right) / 10_000).toFixed(2)}% (${right.toLocaleString('en-US')} of 10,000)`;
  await expect(model.getByTestId('export-outcome')).toHaveText(new RegExp(`^Downloaded .*\\.csv \\(.*\\)\\. Accuracy on Built-in MNIST sample: ${accuracy.replace(/[.()]/g, '\\$&')}\\.$`));
  await screenshot(page, 'models-imported-predictions', testInfo);
  // A file that is not a model is refused, and the view says why.
  await page.getByRole('tab', { name: 'Models' }).click();
  const notModel = testInfo.outputPath('not-a-model.json');
  writeFileSync(notModel, JSON.stringify({ format: 'something-else' }));
  const [second] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('import-model').click()]);
  await second.setFiles(notModel);
  await expect(page.getByTestId('import-outcome')).toHaveText('Could not import: not-a-model.json: not an MLP Studio model file (its "format" is "something-else", not "mlp-studio-model")');
  // Leave the server as it was found (the specs after this one share it): the imported run removed, the file closed.
  await removeRun(page, page.getByTestId('run-row').filter({ hasText: '(imported)' }));
  await page.getByRole('tab', { name: 'Models' }).click();
  await expect(page.getByText('No trained model yet')).toBeVisible();
  await page.getByRole('tab', { name: 'Data' }).click();
  const name = page.getByTestId('dataset-name');
  await expect(name).toHaveText('bars-unlabeled.csv');
  await page.getByTitle('Forget this data set').click();
  await expect(name.filter({ hasText: 'bars-unlabeled.csv' })).toHaveCount(0);
});
