// The Draw view against the real services in browser mode: after a run on the built-in sample, drawing a
// stroke on the pad shows the 28×28 image the model sees and its probabilities for every class, which add
// up to 100%; a vertical stroke is a 1 to a model trained on MNIST digits. A run on 8×8 images is offered
// too: the model sees the drawing at 8×8, and tells a vertical stroke from a horizontal one. A run on named
// classes (Fashion-MNIST's) frames the drawing as Fashion-MNIST's items were made, filling the frame; the user
// can switch to MNIST's framing and the image the model sees changes at once.
import { writeFileSync } from 'node:fs';
import type { Locator } from '@playwright/test';
import { modelJson } from '../src/shared/model-file';
import { presetConfig } from '../src/shared/training';
import { dropFile, tenBarsCsv } from './drop';
import { expect, screenshot, test } from './fixtures';
import { chooseInTrain, removeRun, startLongRunOnSample, stopAndRemove, stroke, trainOnSample, trainStandard } from './runs';

/** An 8×8 CSV of strokes: class 0 a vertical bar, class 1 a horizontal one, of varying place and length. */
function barsCsv(rows: number): string {
  const header = ['label'];
  for (let r = 1; r <= 8; r++) for (let c = 1; c <= 8; c++) header.push(`${r}x${c}`);
  const lines = [header.join(',')];
  for (let i = 0; i < rows; i++) {
    const label = i % 2;
    const across = 1 + ((i >> 1) % 6), from = (i >> 3) % 3, to = 5 + ((i >> 4) % 3);
    const px = new Array<number>(64).fill(0);
    for (let along = from; along <= to; along++) {
      const [r, c] = label === 0 ? [along, across] : [across, along];
      px[r * 8 + c] = 200 + ((i * 13 + along) % 56);
      const [r2, c2] = label === 0 ? [r, c + 1] : [r + 1, c]; // a fainter edge, as a scaled stroke has
      if (r2 < 8 && c2 < 8) px[r2 * 8 + c2] = 60 + ((i * 7) % 60);
    }
    lines.push([label, ...px].join(','));
  }
  return lines.join('\n') + '\n';
}


/** The preview's size in device pixels and how many of its side×side cells' columns and rows hold ink. */
async function inkedCells(preview: Locator, side: number) {
  return preview.evaluate((canvas: HTMLCanvasElement, side: number) => {
    const ctx = canvas.getContext('2d')!;
    const { data, width, height } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const cell = width / side, columns = new Set<number>(), rows = new Set<number>();
    const dark = window.matchMedia('(prefers-color-scheme: dark)').matches;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const v = data[4 * (y * width + x)];
        if (dark ? v > 60 : v < 195) {
          columns.add(Math.floor(x / cell));
          rows.add(Math.floor(y / cell));
        }
      }
    }
    return { width, height, columns: columns.size, rows: rows.size };
  }, side);
}

test('draw a digit: the model’s probabilities as you draw', async ({ appPage: page }, testInfo) => {
  const row = await trainOnSample(page, 3, 5);

  await page.getByRole('tab', { name: 'Draw' }).click();
  await expect(page.getByTestId('draw-pad')).toBeVisible();
  await expect(page.getByTestId('draw-framing')).toHaveAttribute('data-value', 'digit'); // the digits 0–9
  await stroke(page, 0.5, 0.15, 0.5, 0.85); // a vertical stroke down the middle
  const bars = page.getByTestId('draw-bars');
  await expect(bars.locator('li')).toHaveCount(10);
  // "<0.1%" counts as 0, ">99.9%" as 99.9 (formatPercent never rounds a share to 0 or 100)
  const percents = (await bars.locator('.pct').allTextContents()).map((t) => (t.startsWith('<') ? 0 : Number.parseFloat(t.replace('>', ''))));
  expect(percents.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 0);
  await expect(page.getByTestId('draw-verdict')).toHaveText(/^It looks like a 1 \([<>]?\d+\.\d%\)$/);
  await expect(page.getByText('Draw a digit, large, in the middle of the pad.')).toBeVisible();
  await screenshot(page, 'draw', testInfo);

  await page.getByTestId('draw-clear').click();
  await expect(bars).toBeHidden();

  // Clear from the keyboard: the button goes off with nothing to clear, and the focus goes to the pad, to draw
  // again (it fell to the page). Drawing again answers again.
  await stroke(page, 0.5, 0.15, 0.5, 0.85);
  await expect(bars).toBeVisible();
  await page.getByTestId('draw-clear').focus();
  await page.keyboard.press('Enter');
  await expect(bars).toBeHidden();
  await expect(page.getByTestId('draw-clear')).toBeDisabled();
  await expect(page.getByTestId('draw-pad')).toBeFocused();
  await stroke(page, 0.5, 0.15, 0.5, 0.85);
  await expect(page.getByTestId('draw-verdict')).toHaveText(/^It looks like a 1 \([<>]?\d+\.\d%\)$/);

  // Leave the server's run list as it was found (the specs after this one share the server).
  await removeRun(page, row);
  await page.getByRole('tab', { name: 'Draw' }).click();
  await expect(page.getByText('No trained model to draw for yet')).toBeVisible();
});

test('a run on 8×8 images: the model sees the drawing at 8×8 and answers', async ({ appPage: page }, testInfo) => {
  await page.getByRole('tab', { name: 'Data' }).click();
  await dropFile(page, 'bars-8x8.csv', barsCsv(1200));
  await expect(page.getByTestId('dataset-name').filter({ hasText: 'bars-8x8.csv' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('dataset-summary')).toContainText('8×8 pixels');

  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(page.getByTestId('split-summary')).toContainText('8×8 · 2 classes');
  const row = await trainStandard(page, 3, 3);

  await page.getByRole('tab', { name: 'Draw' }).click();
  await expect(page.getByTestId('draw-pad')).toBeVisible();
  await expect(page.getByText('scaled to 6 pixels and centred in 8×8')).toBeVisible();
  const preview = page.getByTestId('draw-preview');
  await expect(preview).toHaveAttribute('data-size', '8×8');
  await expect(page.getByText('what the model sees (8×8)')).toBeVisible();

  await stroke(page, 0.5, 0.15, 0.5, 0.85);
  const bars = page.getByTestId('draw-bars');
  await expect(bars.locator('li')).toHaveCount(2);
  await expect(page.getByTestId('draw-verdict')).toHaveText(/^It looks like a 0 \([<>]?\d+\.\d%\)$/);
  await expect(page.getByText('Draw a 0 or a 1, large, in the middle of the pad.')).toBeVisible();
  // the preview shows 8×8 crisp cells of 14 px: its ink is one column of cells (a whole number of them wide)
  const inked = await inkedCells(preview, 8);
  expect(inked.width).toBe(inked.height);
  expect(inked.columns).toBeLessThanOrEqual(2);
  expect(inked.rows).toBe(6);
  await screenshot(page, 'draw-8x8', testInfo);

  await page.getByTestId('draw-clear').click();
  await expect(bars).toBeHidden();
  await stroke(page, 0.15, 0.5, 0.85, 0.5);
  await expect(page.getByTestId('draw-verdict')).toHaveText(/^It looks like a 1 \(/);

  // Leave the server as it was found: the run removed, the data set closed.
  await removeRun(page, row);
  await page.getByRole('tab', { name: 'Data' }).click();
  const name = page.getByTestId('dataset-name');
  await expect(name).toHaveText('bars-8x8.csv');
  await page.getByTitle('Forget this data set').click();
  await expect(name.filter({ hasText: 'bars-8x8.csv' })).toHaveCount(0);
});

test('a run trained without a dev set: Draw answers with it, Evaluate says why it has no matrix', async ({ appPage: page }, testInfo) => {
  await page.getByRole('tab', { name: 'Data' }).click();
  await dropFile(page, 'bars-no-dev.csv', barsCsv(400));
  await expect(page.getByTestId('dataset-name').filter({ hasText: 'bars-no-dev.csv' })).toBeVisible({ timeout: 30_000 });
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByTestId('dev-rows').fill('0');
  await page.getByTestId('dev-rows').press('Tab');
  await expect(page.getByTestId('split-summary')).toContainText('400 train · 0 dev');
  const row = await trainStandard(page, 2, 3);

  // It has weights but no confusion matrix: the Draw view offered only runs with a matrix ("No trained model").
  await page.getByRole('tab', { name: 'Draw' }).click();
  await expect(page.getByTestId('draw-pad')).toBeVisible();
  await expect(page.getByText('Draw a 0 or a 1, large, in the middle of the pad.')).toBeVisible();
  await stroke(page, 0.5, 0.15, 0.5, 0.85);
  await expect(page.getByTestId('draw-bars').locator('li')).toHaveCount(2);
  await expect(page.getByTestId('draw-verdict')).toHaveText(/^It looks like a 0 \([<>]?\d+\.\d%\)$/);

  await page.getByRole('tab', { name: 'Evaluate' }).click();
  await expect(page.getByRole('heading', { name: 'No run with a dev set to evaluate' })).toBeVisible();
  await expect(page.getByText('trained without a dev set')).toBeVisible();
  await screenshot(page, 'evaluate-no-dev', testInfo);

  // Once a run has a matrix, Evaluate shows it, and says the run without a dev set is not in its menu.
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByTestId('dev-rows').fill('100');
  await page.getByTestId('dev-rows').press('Tab');
  await expect(page.getByTestId('split-summary')).toContainText('300 train · 100 dev');
  await trainStandard(page, 1, 4);
  await page.getByRole('tab', { name: 'Evaluate' }).click();
  await expect(page.getByTestId('evaluate-run').locator('option')).toHaveCount(1);
  await expect(page.getByTestId('evaluate-not-listed')).toHaveText(
    'Not in the menu: a run trained without a dev set, with nothing held out to measure on (Draw has it).',
  );
  await screenshot(page, 'evaluate-not-listed', testInfo);
  await removeRun(page, row); // the newest, with a dev set
  await expect(page.getByTestId('run-row')).toHaveCount(1);

  await removeRun(page, row);
  await page.getByRole('tab', { name: 'Data' }).click();
  const name = page.getByTestId('dataset-name');
  await expect(name).toHaveText('bars-no-dev.csv');
  await page.getByTitle('Forget this data set').click();
  await expect(name.filter({ hasText: 'bars-no-dev.csv' })).toHaveCount(0);
});

test('a run still training: the answer to a drawing follows its epochs without drawing again', async ({ appPage: page }) => {
  const row = await startLongRunOnSample(page);

  await page.getByRole('tab', { name: 'Draw' }).click();
  await stroke(page, 0.5, 0.15, 0.5, 0.85);
  const caption = page.getByText(/^Weights after epoch \d+ of /);
  await expect(caption).toBeVisible();
  const epochOf = async () => Number(/epoch (\d+)/.exec((await caption.textContent()) ?? '')?.[1]);
  const first = await epochOf();
  // It kept the epoch it first answered with until the pad changed.
  await expect.poll(epochOf, { timeout: 30_000 }).toBeGreaterThan(first);

  await stopAndRemove(page, row);
});

test('a run on named classes frames the drawing as Fashion-MNIST’s items were made; switching to MNIST’s shrinks it', async ({ appPage: page }, testInfo) => {
  await page.getByRole('tab', { name: 'Data' }).click();
  await dropFile(page, 'fashion-bars.csv', tenBarsCsv(600));
  await expect(page.getByTestId('dataset-name').filter({ hasText: 'fashion-bars.csv' })).toBeVisible({ timeout: 30_000 });
  await chooseInTrain(page, 'fashion-bars');
  const row = await trainStandard(page, 2, 3);

  await page.getByRole('tab', { name: 'Draw' }).click();
  const framing = page.getByTestId('draw-framing');
  await expect(framing).toHaveAttribute('data-value', 'item'); // Fashion-MNIST's names: items by default
  await expect(page.getByRole('radio', { name: 'Item (Fashion-MNIST)' })).toBeChecked();
  await expect(page.getByText("as Fashion-MNIST's items were made: the drawing fills the frame")).toBeVisible();

  // a short stroke: framed as an item it spans the whole frame's height, as a digit 20 of its 28 rows
  await stroke(page, 0.5, 0.35, 0.5, 0.65);
  await expect(page.getByTestId('draw-bars').locator('li')).toHaveCount(10);
  const preview = page.getByTestId('draw-preview');
  await expect.poll(async () => (await inkedCells(preview, 28)).rows).toBe(28);
  await screenshot(page, 'draw-fashion-item', testInfo);

  await page.getByRole('radio', { name: 'Digit (MNIST)' }).check();
  await expect(framing).toHaveAttribute('data-value', 'digit');
  await expect(page.getByText("scaled to 20 pixels and centred in 28×28, as MNIST's digits were made.")).toBeVisible();
  await expect.poll(async () => (await inkedCells(preview, 28)).rows).toBeLessThanOrEqual(21);
  expect((await inkedCells(preview, 28)).rows).toBeGreaterThanOrEqual(19);
  await expect(page.getByTestId('draw-bars').locator('li')).toHaveCount(10);

  await removeRun(page, row);
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByTitle('Forget this data set').click();
  await expect(page.getByTestId('dataset-name').filter({ hasText: 'fashion-bars.csv' })).toHaveCount(0);
});

test('a model whose outputs overflow says it gives no answer for the drawing (it showed the invitation to draw)', async ({ appPage: page }, testInfo) => {
  // 784 → 10 with every weight 1e38: any ink sends the scores past float32's range, so the probabilities are NaN.
  const file = testInfo.outputPath('overflowing.json');
  writeFileSync(file, modelJson({
    name: 'overflowing', config: { ...presetConfig('standard'), hidden: [] }, layerSizes: [784, 10], params: new Float32Array(784 * 10 + 10).fill(1e38),
    image: { width: 28, height: 28 }, labels: Array.from({ length: 10 }, (_, k) => String(k)), trained: { epochs: 1, steps: 1, dataset: 'digits.csv' },
    metrics: { devAccuracy: null, bestDevAccuracy: null, testAccuracy: null },
  }));
  await page.getByRole('tab', { name: 'Models' }).click();
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('import-model').click()]);
  await chooser.setFiles(file);
  await expect(page.getByTestId('import-outcome')).toHaveText('Imported overflowing (imported).');
  await page.getByRole('tab', { name: 'Draw' }).click();
  await expect(page.getByTestId('draw-run').locator('option:checked')).toContainText('overflowing (imported)');
  await stroke(page, 0.5, 0.15, 0.5, 0.85);
  await expect(page.getByTestId('draw-no-answer')).toHaveText("overflowing (imported) gives no answer for this drawing: its outputs are not numbers (its weights overflow float32's range).");
  await expect(page.getByTestId('draw-bars')).toBeHidden();
  await screenshot(page, 'draw-no-answer', testInfo);
  await page.getByTestId('draw-clear').click();
  await removeRun(page, page.getByTestId('run-row').filter({ hasText: 'overflowing' }));
});
