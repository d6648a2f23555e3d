// The Evaluate view against the real services in browser mode: after a run on the built-in sample finishes
// its epochs, the view shows that run's dev-set confusion matrix, whose cells add up to the dev set and whose
// diagonal gives the accuracy shown; the per-class table and the most frequent mistakes are there. With
// Fashion-MNIST's class names the per-class table keeps each name on one line in a 1024 px window, and keeps
// them once the data set is closed.
import type { Locator } from '@playwright/test';
import { dropFile, tenBarsCsv } from './drop';
import { expect, screenshot, test } from './fixtures';
import { chooseInTrain, openTrainOnSample, removeFinishedRuns, removeRun, startLongRunOnSample, stopAndRemove, trainOnSample, trainStandard } from './runs';

const FASHION = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];


test('a finished run’s dev-set confusion matrix, accuracy, per-class table and mistakes', async ({ appPage: page }, testInfo) => {
  const row = await trainOnSample(page, 2, 7);
  const devRows = Number((await page.getByTestId('split-summary').textContent())?.match(/([\d,]+) dev/)?.[1].replace(/,/g, ''));
  expect(devRows).toBeGreaterThan(0);

  await page.getByRole('tab', { name: 'Evaluate' }).click();
  const matrix = page.getByTestId('confusion-matrix');
  await expect(matrix).toBeVisible();
  const cells = await matrix.locator('td').evaluateAll((tds) =>
    tds.map((td) => ({ truth: Number(td.getAttribute('data-truth')), predicted: Number(td.getAttribute('data-predicted')), count: Number(td.textContent?.replaceAll(',', '')) })),
  );
  expect(cells).toHaveLength(100);
  const total = cells.reduce((a, c) => a + c.count, 0);
  const correct = cells.filter((c) => c.truth === c.predicted).reduce((a, c) => a + c.count, 0);
  expect(total).toBe(devRows);
  expect(correct / total).toBeGreaterThan(0.8);
  await expect(page.getByTestId('evaluate-accuracy')).toHaveText(`${((100 * correct) / total).toFixed(2)}%`);
  await expect(page.getByTestId('per-class').locator('tbody tr')).toHaveCount(10);
  await expect(page.getByTestId('top-mistakes').locator('li').first()).toHaveText(/^\d taken for \d: [\d,]+ of [\d,]+ \(\d+\.\d%\)$/);
  await screenshot(page, 'evaluate', testInfo);

  // The keyboard: the matrix is one Tab stop (Tab from the run picker enters it on its first cell, the next Tab
  // leaves it, Shift+Tab comes back); the arrows, Home and End move inside it and stop at its edges; Enter on
  // the largest mistake shows its images: as many as the cell counts (up to 48), each with a probability.
  const cellButton = (truth: number, predicted: number) => matrix.locator(`td[data-truth="${truth}"][data-predicted="${predicted}"] button`);
  await expect(page.getByRole('grid', { name: /^Confusion matrix/ }).getByRole('gridcell')).toHaveCount(100);
  await expect(matrix.locator('button[tabindex="0"]')).toHaveCount(1);
  await page.getByTestId('evaluate-run').focus();
  await page.keyboard.press('Tab');
  await expect(cellButton(0, 0)).toBeFocused();
  expect(await cellButton(0, 0).evaluate((b) => b.matches(':focus-visible'))).toBe(true);
  await expect(cellButton(0, 0)).toHaveAccessibleName(/^0: [\d,]+ of [\d,]+ right \(\d+\.\d%\)$/);
  await page.keyboard.press('Tab');
  await expect(matrix.locator(':focus')).toHaveCount(0);
  await page.keyboard.press('Shift+Tab');
  await expect(cellButton(0, 0)).toBeFocused();
  await page.keyboard.press('End');
  await expect(cellButton(0, 9)).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(cellButton(0, 9)).toBeFocused();
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowLeft');
  await expect(cellButton(0, 0)).toBeFocused();
  const worst = cells.filter((c) => c.truth !== c.predicted).sort((a, b) => b.count - a.count)[0];
  for (let k = 0; k < worst.truth; k++) await page.keyboard.press('ArrowDown');
  for (let k = 0; k < worst.predicted; k++) await page.keyboard.press('ArrowRight');
  await expect(cellButton(worst.truth, worst.predicted)).toBeFocused();
  await expect(cellButton(worst.truth, worst.predicted)).toHaveAccessibleName(new RegExp(`^${worst.truth} taken for ${worst.predicted}: ${worst.count} of [\\d,]+ \\(\\d+\\.\\d%\\)$`));
  await expect(page.getByTestId('cell-examples')).toHaveCount(0);
  await page.keyboard.press('Enter');
  const examples = page.getByTestId('cell-examples');
  await expect(examples.getByRole('heading')).toHaveText(`${worst.truth} taken for ${worst.predicted}`);
  await expect(examples).toContainText(`${worst.count} dev example`);
  await expect(cellButton(worst.truth, worst.predicted)).toBeFocused();
  await expect(matrix.locator('button[tabindex="0"]')).toHaveCount(1);
  await expect(cellButton(worst.truth, worst.predicted)).toHaveAttribute('tabindex', '0');
  await expect(examples.locator('canvas')).toHaveCount(Math.min(48, worst.count));
  await expect(examples.locator('figcaption').first()).toHaveText(/^[<>]?\d+%$/);
  await screenshot(page, 'evaluate-cell', testInfo);

  // A click on a cell shows its images too, and moves the Tab stop there.
  const right = cells.find((c) => c.truth === worst.truth && c.predicted === worst.truth)!;
  await cellButton(right.truth, right.predicted).click();
  await expect(examples.getByRole('heading')).toHaveText(`${right.truth}, predicted right`);
  await expect(examples).toContainText(`${right.count.toLocaleString('en-US')} dev example`);
  await expect(cellButton(right.truth, right.predicted)).toHaveAttribute('tabindex', '0');
  await expect(matrix.locator('button[tabindex="0"]')).toHaveCount(1);
  // Space opens a cell as Enter does: Home goes to the row's first cell.
  await page.keyboard.press('Home');
  await page.keyboard.press(' ');
  await expect(examples.getByRole('heading')).toHaveText(right.truth === 0 ? '0, predicted right' : `${right.truth} taken for 0`);
  // Closing them from the keyboard leaves the focus on the cell (after ✕ it fell to the page, and Escape did
  // nothing): Escape in the matrix or in the examples closes them, as ✕ does.
  const opened = cellButton(right.truth, 0);
  const close = examples.getByRole('button', { name: 'Close the examples' });
  await expect(opened).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(examples).toHaveCount(0);
  await expect(opened).toBeFocused();
  await page.keyboard.press('Enter');
  await close.focus();
  await page.keyboard.press('Enter');
  await expect(examples).toHaveCount(0);
  await expect(opened).toBeFocused();
  await page.keyboard.press(' ');
  await close.focus();
  await page.keyboard.press('Escape');
  await expect(examples).toHaveCount(0);
  await expect(opened).toBeFocused();

  // The first layer: one tile per hidden unit (the Standard preset's 128). Shown from the keyboard, the focus goes
  // to the menu that takes the button's place (it fell to the page).
  await page.getByTestId('first-layer-show').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('first-layer-mode')).toBeFocused();
  await expect(page.getByTestId('first-layer').locator('canvas')).toHaveAttribute('aria-label', /128 hidden units as 28×28 images/);
  await expect(page.getByTestId('first-layer')).toContainText('128 hidden units after epoch 2');
  await screenshot(page, 'evaluate-first-layer', testInfo);

  // Leave the server's run list as it was found (the specs after this one share the server).
  await removeRun(page, row);
  await expect(page.getByRole('tab', { name: 'Evaluate' })).toBeVisible();
  await page.getByRole('tab', { name: 'Evaluate' }).click();
  await expect(page.getByText('No trained model to evaluate yet')).toBeVisible();
});

test('Fashion-MNIST’s class names each on one line in the per-class table at 1024 px', async ({ appPage: page }, testInfo) => {
  await page.getByRole('tab', { name: 'Data' }).click();
  await dropFile(page, 'fashion-bars.csv', tenBarsCsv(600));
  await expect(page.getByTestId('dataset-name')).toHaveText('fashion-bars.csv', { timeout: 30_000 });
  await chooseInTrain(page, 'fashion-bars');
  const row = await trainStandard(page, 2, 3);

  await page.getByRole('tab', { name: 'Evaluate' }).click();
  const names = page.getByTestId('per-class').locator('tbody th');
  await expect(names).toHaveText(FASHION);
  for (const width of [1024, 1280]) {
    await page.setViewportSize({ width, height: 820 });
    // Every name as tall as 'Bag' (one line) and shown whole (not cut short with an ellipsis).
    const cells = await names.evaluateAll((ths) => ths.map((th) => ({ name: th.textContent, height: th.getBoundingClientRect().height, cut: th.scrollWidth > th.clientWidth })));
    const line = cells.find((c) => c.name === 'Bag')!.height;
    expect(cells.filter((c) => c.height !== line || c.cut), `at ${width} px`).toEqual([]);
  }
  await page.setViewportSize({ width: 1024, height: 820 });
  await page.getByTestId('per-class').scrollIntoViewIfNeeded();
  await screenshot(page, 'evaluate-fashion-1024', testInfo);
  await page.setViewportSize({ width: 1280, height: 820 });

  // The data set closed (or the app restarted: none is open then), the run keeps its class names, as in Draw: the
  // defaults for its file's name (the matrix and tables said 0–9).
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByTitle('Forget this data set').click();
  await expect(page.getByTestId('dataset-name').filter({ hasText: 'fashion-bars.csv' })).toHaveCount(0);
  await page.getByRole('tab', { name: 'Evaluate' }).click();
  await expect(names).toHaveText(FASHION);
  await expect(page.getByTestId('confusion-matrix').locator('th[scope="row"]')).toHaveText(FASHION);
  // A cell clicked: its panel, below the matrix, comes into view to say why it has no images (it stayed below
  // the window: the click seemed to do nothing).
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.getByTestId('confusion-matrix').locator('td button').first().click();
  const examples = page.getByTestId('cell-examples');
  await expect(examples).toContainText('fashion-bars.csv is not open');
  await expect(examples).toBeInViewport();
  await page.setViewportSize({ width: 1280, height: 820 });
  await removeRun(page, row);
});

test('a linear model (no hidden layer): its first layer is the classes’ weights, and says so', async ({ appPage: page }) => {
  await openTrainOnSample(page);
  await page.getByTestId('preset-select').selectOption('standard');
  await page.getByRole('button', { name: 'Remove hidden layer 1' }).click();
  await expect(page.getByText('None: a linear (softmax regression) model.')).toBeVisible();
  await page.getByTestId('duration-count').fill('1');
  await page.getByTestId('start-run').click();
  const row = page.getByTestId('run-row').first();
  await expect(row).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });

  // It called the 10 output units '10 hidden units'.
  await page.getByRole('tab', { name: 'Evaluate' }).click();
  await page.getByTestId('first-layer-show').click();
  await expect(page.getByTestId('first-layer').locator('canvas')).toHaveAttribute('aria-label', 'The weights of each of the 10 classes as 28×28 images');
  await expect(page.getByTestId('first-layer-caption')).toContainText('The 10 classes\' weights after epoch 1');
  await expect(page.getByTestId('first-layer')).not.toContainText('hidden units');

  await removeRun(page, row);
});

test('a run still training: the first layer’s tiles, once shown, stay and follow its epochs', async ({ appPage: page }) => {
  const row = await startLongRunOnSample(page);

  await page.getByRole('tab', { name: 'Evaluate' }).click();
  await page.getByTestId('first-layer-show').click();
  // They went at the run's next checkpoint (about a second on the sample), to be asked for again.
  const caption = page.getByTestId('first-layer').getByText(/^128 hidden units after epoch \d+/);
  await expect(caption).toBeVisible();
  const epochOf = async () => Number(/epoch (\d+)/.exec((await caption.textContent({ timeout: 1_000 }).catch(() => '')) ?? '')?.[1] ?? 0);
  const first = await epochOf();
  await expect.poll(epochOf, { timeout: 30_000 }).toBeGreaterThan(first);
  await expect(page.getByTestId('first-layer-mode')).toBeVisible();
  await expect(page.getByTestId('first-layer-show')).toHaveCount(0);

  await stopAndRemove(page, row);
});

test('a cell’s images come into view once, keeping the cell in sight; a run’s new epoch does not pull the page back to them', async ({ appPage: page }, testInfo) => {
  test.skip(testInfo.project.name === 'electron', 'the window size is set on the browser page');
  await page.setViewportSize({ width: 1024, height: 700 });
  const row = await startLongRunOnSample(page);
  await page.getByRole('tab', { name: 'Evaluate' }).click();
  const matrix = page.getByTestId('confusion-matrix');
  await expect(matrix).toBeVisible();
  const main = page.locator('main');
  /** Whether the element lies wholly inside the scrolling area's box. */
  const inSight = async (el: Locator) => {
    const [a, b] = [(await el.boundingBox())!, (await main.boundingBox())!];
    return a.y >= b.y && a.y + a.height <= b.y + b.height;
  };

  // From the keyboard, the last row's last cell: its images lie below the per-class table and the mistakes, and
  // the cell was scrolled out of sight (above the window) to show them.
  await matrix.locator('button[tabindex="0"]').focus();
  await page.keyboard.press('Control+End');
  const cell = matrix.locator('td[data-truth="9"][data-predicted="9"] button');
  await expect(cell).toBeFocused();
  await page.keyboard.press('Enter');
  const examples = page.getByTestId('cell-examples');
  await expect(examples.getByText(/dev examples? after epoch \d+/)).toBeVisible();
  expect(await inSight(cell), 'the cell picked, in sight').toBe(true);
  expect(await inSight(examples.getByRole('heading')), 'the images\' heading, in sight').toBe(true);
  await screenshot(page, 'evaluate-cell-1024', testInfo);

  // Scrolled back to the top, the page stays there as the run's epochs go by (it went back down to the images).
  await main.evaluate((el) => (el.scrollTop = 0));
  const epochOf = async () => Number(/after epoch (\d+)/.exec((await examples.textContent()) ?? '')?.[1] ?? 0);
  const first = await epochOf();
  await expect.poll(epochOf, { timeout: 30_000 }).toBeGreaterThan(first + 1);
  expect(await main.evaluate((el) => el.scrollTop)).toBe(0);

  await stopAndRemove(page, row);
  await page.setViewportSize({ width: 1280, height: 820 });
});

test('the run picked in Evaluate stays picked after a visit to Train, and Draw shows it too', async ({ appPage: page }) => {
  const older = await trainOnSample(page, 1, 71);
  const olderId = (await older.getAttribute('data-run-id'))!;
  await trainStandard(page, 1, 72); // the newest: each view shows it until another is picked
  await page.getByRole('tab', { name: 'Evaluate' }).click();
  const picker = page.getByTestId('evaluate-run');
  await expect(picker).not.toHaveValue(olderId);
  await picker.selectOption(olderId);
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByRole('tab', { name: 'Evaluate' }).click();
  await expect(picker).toHaveValue(olderId); // it was back to the newest
  await page.getByRole('tab', { name: 'Draw' }).click();
  await expect(page.getByTestId('draw-run')).toHaveValue(olderId);
  await page.getByRole('tab', { name: 'Train' }).click();
  await removeFinishedRuns(page);
});
