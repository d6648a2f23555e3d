// Accessibility in browser mode, as a review found it: where the keyboard focus goes when a button goes off or away
// (it fell to the page), names a screen reader can tell apart, what a live region says while one draws, and colours
// that carry data kept in forced colours (Windows High Contrast), where the page's backgrounds are taken away, and
// the app's live region saying what ended or loaded out of sight; Draw's pad drawn on from the keyboard.
// Each test makes the runs it needs: after a failure the next test gets a new server.
import type { Locator, Page } from '@playwright/test';
import { expect, screenshot, test } from './fixtures';
import { longStandardRun, openTrain, openTrainOnSample, removeFinishedRuns, stroke, trainStandard } from './runs';

// eslint-disable-next-line no-empty-pattern
test.beforeEach(({}, testInfo) => {
  test.skip(testInfo.project.name === 'electron', 'in Electron the exports ask the native save dialog, which a spec cannot answer; browser mode covers the renderer');
});

/** Goes to Train on the built-in sample and makes sure `count` finished runs are listed (trained for an epoch). */
async function finishedRuns(page: Page, count: number): Promise<Locator> {
  await openTrainOnSample(page);
  const rows = page.getByTestId('run-row');
  for (let seed = 41; (await rows.count()) < count; seed++) {
    const before = await rows.count();
    await trainStandard(page, 1, seed);
    await expect(rows).toHaveCount(before + 1);
  }
  return rows;
}

/** The focused element's data-testid (or tag name): null when the focus is on the page itself. */
const focusedId = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return !el || el === document.body ? null : (el.getAttribute('data-testid') ?? el.id ?? el.tagName);
  });

test('Data: Enter on "Use the built-in MNIST sample" keeps the focus on it while it loads and after; the histogram heading is only its title', async ({ appPage: page }) => {
  const sample = page.getByRole('button', { name: 'Use the built-in MNIST sample' });
  await sample.focus();
  await page.keyboard.press('Enter');
  await expect.soft(sample).toBeFocused(); // while it loads
  await expect(page.getByTestId('dataset-name')).toBeVisible({ timeout: 30_000 });
  await expect.soft(sample).toBeFocused();
  // A screen reader is told (a polite live region of the app's).
  await expect.soft(page.getByTestId('announcer')).toHaveText(/^Built-in MNIST sample loaded: 10,000 rows$/);
  // The train/dev key beside the heading, not read as part of it.
  await expect.soft(page.getByRole('heading', { name: 'Examples per class', exact: true })).toBeVisible();
});

test('Ctrl+1…5 with the focus inside the view: the focus goes to the tab of the view shown', async ({ appPage: page }) => {
  await page.getByRole('button', { name: 'Use the built-in MNIST sample' }).focus();
  await page.keyboard.press('Control+2');
  await expect(page.getByRole('tab', { name: 'Train' })).toBeFocused();
  await page.getByTestId('start-run').or(page.getByTestId('preset-select')).first().focus();
  await page.keyboard.press('Control+5');
  await expect(page.getByRole('tab', { name: 'Models' })).toBeFocused();
  await expect(page.getByRole('tab', { name: 'Models' })).toHaveAttribute('aria-selected', 'true');
});

test('a run that completes while its Pause has the focus hands it to the row\'s next button; Pause names its run', async ({ appPage: page }) => {
  await openTrainOnSample(page);
  await removeFinishedRuns(page);
  await page.getByTestId('preset-select').selectOption('standard');
  await page.getByTestId('duration-count').fill('25');
  await page.getByRole('spinbutton', { name: 'Seed' }).fill('40');
  await page.getByTestId('start-run').click();
  const row = page.getByTestId('run-row').first();
  const pause = row.getByTestId('run-pause');
  await expect(pause).toBeVisible({ timeout: 30_000 });
  const name = (await row.locator('.name').textContent())!.trim();
  await expect.soft(pause).toHaveAccessibleName(`Pause ${name}`);
  await expect.soft(row.getByTestId('run-stop')).toHaveAccessibleName(`Stop ${name}`);
  await pause.focus();
  await expect(row).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
  await expect.poll(() => focusedId(page)).toMatch(/^run-(continue|reuse)$/);
  await expect.soft(page.getByTestId('announcer')).toHaveText(`${name} completed`);
  await expect(row.locator(':focus')).toHaveCount(1);
  await removeFinishedRuns(page);
});

test('two runs: their buttons have names of their own; Models\' export and predictions keep the focus; one "Models" heading', async ({ appPage: page }) => {
  const rows = await finishedRuns(page, 2);
  const names = await rows.locator('.name').allTextContents();
  expect(new Set(names).size).toBe(2);
  for (const [k, name] of names.entries()) {
    await expect.soft(rows.nth(k).getByTestId('run-reuse')).toHaveAccessibleName(`Reuse ${name}`);
    await expect.soft(rows.nth(k).getByTestId('run-remove')).toHaveAccessibleName(`Remove ${name}`);
  }

  await page.getByRole('tab', { name: 'Models' }).click();
  await expect.soft(page.getByRole('heading', { name: 'Models', exact: true })).toHaveCount(1);
  const models = page.getByTestId('model-row');
  await expect(models).toHaveCount(2);
  const modelNames = await models.locator('.name').allTextContents();
  for (const [k, name] of modelNames.entries()) {
    await expect.soft(models.nth(k).getByTestId('export-json')).toHaveAccessibleName(`Export .json of ${name}`);
    await expect.soft(models.nth(k).getByTestId('export-predictions')).toHaveAccessibleName(`Predictions .csv of ${name}`);
  }
  // Enter on an export: the button keeps the focus while the file is made and after (it went off and dropped it).
  const model = models.first();
  for (const testid of ['export-json', 'export-npz', 'export-onnx', 'export-predictions']) {
    const button = model.getByTestId(testid);
    await button.focus();
    await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    await expect(model.getByTestId('export-outcome')).toHaveText(/^(Downloaded|Predictions)/);
    await expect(button).toBeEnabled();
    await expect.soft(button).toBeFocused();
  }
  await page.getByRole('tab', { name: 'Train' }).click();
  await removeFinishedRuns(page);
});

test('Evaluate: Escape closes a cell\'s examples opened from the list of mistakes, the focus staying on it; a zero cell\'s focus ring is not dimmed', async ({ appPage: page }) => {
  await finishedRuns(page, 1);
  await page.getByRole('tab', { name: 'Evaluate' }).click();
  // The run card is named by its heading.
  await expect.soft(page.locator('section[aria-labelledby="evaluate-title"]')).toHaveAccessibleName('Dev set of');

  const mistake = page.getByTestId('top-mistakes').getByRole('button').first();
  await mistake.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('cell-examples')).toBeVisible();
  await expect(mistake).toBeFocused();
  await page.keyboard.press('Escape');
  await expect.soft(page.getByTestId('cell-examples')).toBeHidden();
  await expect.soft(mistake).toBeFocused();

  // A cell of no examples: dimmed by its colours, so that nothing around its focus ring is transparent.
  const zero = page.locator('[data-testid="confusion-matrix"] td.zero button').first();
  await zero.focus();
  const opacities = await zero.evaluate((button) => {
    const found: number[] = [];
    for (let el: Element | null = button; el; el = el.parentElement) found.push(Number(getComputedStyle(el).opacity));
    return found;
  });
  expect.soft(Math.min(...opacities)).toBe(1);
  await page.getByRole('tab', { name: 'Train' }).click();
  await removeFinishedRuns(page);
});

test('Draw: only a short verdict is live, said when the stroke ends, not at every answer during it', async ({ appPage: page }) => {
  await finishedRuns(page, 1);
  await page.getByRole('tab', { name: 'Draw' }).click();
  await expect(page.getByTestId('draw-pad')).toBeVisible();
  // Every change of text inside a live region, counted from here.
  await page.evaluate(() => {
    const w = window as unknown as { liveChanges: number };
    w.liveChanges = 0;
    new MutationObserver((records) => {
      for (const r of records) {
        const node = r.target instanceof Element ? r.target : r.target.parentElement;
        if (node?.closest('[aria-live]:not([aria-live="off"])')) w.liveChanges++;
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  const slowStroke = async () => {
    const box = (await page.getByTestId('draw-pad').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.15);
    await page.mouse.down();
    for (let k = 1; k <= 40; k++) {
      await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * (0.15 + (0.7 * k) / 40));
      await page.waitForTimeout(25);
    }
    await page.mouse.up();
  };
  await slowStroke();
  await expect(page.getByTestId('draw-verdict')).toContainText('It looks like a 1');
  await page.waitForTimeout(500); // the stroke's last answers
  expect.soft(await page.evaluate(() => (window as unknown as { liveChanges: number }).liveChanges)).toBeLessThanOrEqual(3);
  const spoken = page.getByTestId('draw-spoken');
  await expect(spoken).toHaveText(/^a 1, [<>]?\d+\.\d%$/);
  // The probabilities are not live.
  await expect(page.locator('[aria-live] [data-testid="draw-bars"]')).toHaveCount(0);
  // Another stroke: said again (a new text node), even when the verdict is the same.
  const before = await page.evaluate(() => (window as unknown as { liveChanges: number }).liveChanges);
  await stroke(page, 0.52, 0.15, 0.52, 0.85);
  await expect.poll(() => page.evaluate(() => (window as unknown as { liveChanges: number }).liveChanges)).toBeGreaterThan(before);
  await page.getByRole('tab', { name: 'Train' }).click();
  await removeFinishedRuns(page);
});

test('Draw from the keyboard: Tab reaches the pad, which shows its keys and a cursor; arrows and Space draw a 1 the model answers, said as the pen lifts; Delete clears', async ({ appPage: page }) => {
  await finishedRuns(page, 1);
  await page.getByRole('tab', { name: 'Draw' }).click();
  const pad = page.getByTestId('draw-pad');
  await expect(pad).toBeVisible();
  await expect.soft(pad).toHaveAccessibleName('Draw a digit with the mouse, or with the keyboard');
  await expect.soft(pad).toHaveAccessibleDescription(/^Keyboard: Arrow keys move the pen \(with Shift, further\); Space or Enter puts it down or lifts it; Delete clears/);
  await expect(page.getByTestId('draw-keys')).toBeVisible(); // said in sight too: the pad draws from the keyboard
  // Tab from the framing's radio buttons, the controls before it.
  await page.locator('input[name="draw-framing"]:checked').focus();
  await page.keyboard.press('Tab');
  await expect(pad).toBeFocused();
  const keys = page.getByTestId('draw-keys');
  await expect(keys).toContainText('Pen up.');
  await expect(page.getByTestId('draw-cursor')).toBeVisible();

  // A vertical stroke: up 8 cells from the middle, pen down, down 16 cells, pen up.
  for (let k = 0; k < 2; k++) await page.keyboard.press('Shift+ArrowUp');
  await page.keyboard.press('Space');
  await expect(pad).toHaveAttribute('data-pen', 'down');
  await expect(keys).toContainText('Pen down.');
  await expect(page.getByTestId('announcer')).toHaveText('Pen down'); // a description changed is not read again
  for (let k = 0; k < 4; k++) await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Enter');
  await expect(pad).toHaveAttribute('data-pen', 'up');
  await expect(page.getByTestId('announcer')).toHaveText('Pen up');
  await expect(page.getByTestId('draw-verdict')).toHaveText(/^It looks like a 1 \(/);
  await expect(page.getByTestId('draw-spoken')).toHaveText(/^a 1, [<>]?\d+\.\d%$/);
  // The image the model sees has the stroke's ink: a column of cells, most of the 28 rows tall.
  const inkedRows = () =>
    page.getByTestId('draw-preview').evaluate((canvas: HTMLCanvasElement) => {
      const { data, width, height } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      const dark = window.matchMedia('(prefers-color-scheme: dark)').matches;
      const rows = new Set<number>();
      for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (dark ? data[4 * (y * width + x)] > 60 : data[4 * (y * width + x)] < 195) rows.add(Math.floor((y / height) * 28));
      return rows.size;
    });
  expect.soft(await inkedRows()).toBeGreaterThan(14);

  // Delete clears, as the Clear button does; the focus stays on the pad.
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('draw-bars')).toBeHidden();
  await expect(page.getByTestId('draw-clear')).toBeDisabled();
  await expect(page.getByTestId('draw-spoken')).toHaveText('');
  await expect(pad).toBeFocused();
  expect.soft(await inkedRows()).toBe(0);
  // A stroke left with Tab, the pen down: it ends there, and its verdict is said.
  await page.keyboard.press('Space');
  for (let k = 0; k < 3; k++) await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Tab');
  await expect(pad).toHaveAttribute('data-pen', 'up');
  await expect(page.getByTestId('draw-spoken')).toHaveText(/^an? .+, [<>]?\d+\.\d%$/);
  // One click on Clear clears, straight after drawing from the keyboard: the keys' lines under the pad keep their
  // room when the pad loses the focus (they went, Clear jumped up under the pressed mouse, and the click was lost).
  await pad.focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('Shift+ArrowUp');
  await page.getByTestId('draw-clear').click();
  await expect(page.getByTestId('draw-bars')).toBeHidden();
  await expect(page.getByTestId('draw-clear')).toBeDisabled();
  await page.getByRole('tab', { name: 'Train' }).click();
  await removeFinishedRuns(page);
});

test('at 400% zoom (a 1280×800 window: 320×200) the views\' tabs make a bar across the top and every view reflows: nothing scrolls sideways but the matrix\'s tables', async ({ appPage: page }, testInfo) => {
  await finishedRuns(page, 1);
  try {
    await page.setViewportSize({ width: 320, height: 200 });
    const tablist = page.getByRole('tablist');
    await expect.soft(tablist).toHaveAttribute('aria-orientation', 'horizontal');
    for (const view of ['Data', 'Train', 'Evaluate', 'Draw', 'Models']) {
      const tab = page.getByRole('tab', { name: view });
      await tab.scrollIntoViewIfNeeded();
      await tab.click(); // the sidebar's lower tabs sat under the status bar
      await expect(tab).toHaveAttribute('aria-selected', 'true');
      const panel = page.locator('#view-panel');
      await expect(panel).toHaveAttribute('data-view', view.toLowerCase());
      // The view has the window's width, less a margin (the sidebar took 188 px of the 320)…
      expect.soft((await panel.boundingBox())!.width, view).toBeGreaterThanOrEqual(280);
      // …and nothing runs off it: neither the page nor the main area scrolls sideways.
      const sideways = await page.evaluate(() => [document.scrollingElement!, document.querySelector('main')!].map((el) => el.scrollWidth - el.clientWidth));
      expect.soft(sideways, `${view}: page, main`).toEqual([0, 0]);
      await screenshot(page, `narrow-320-${view.toLowerCase()}`, testInfo);
    }
    // The tab bar from the keyboard: ← → along it.
    await page.getByRole('tab', { name: 'Draw' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('tab', { name: 'Models' })).toBeFocused();
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByRole('tab', { name: 'Draw' })).toHaveAttribute('aria-selected', 'true');
    // Draw's pad fits the window, and draws from the keyboard there too.
    const pad = page.getByTestId('draw-pad');
    const box = (await pad.boundingBox())!;
    expect.soft(box.x + box.width).toBeLessThanOrEqual(320);
    expect.soft(box.height).toBeLessThanOrEqual(200);
    await pad.focus();
    await page.keyboard.press('Space');
    for (let k = 0; k < 3; k++) await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Space');
    await expect(page.getByTestId('draw-spoken')).toHaveText(/^an? .+, [<>]?\d+\.\d%$/);
  } finally {
    await page.setViewportSize({ width: 1280, height: 820 });
  }
  await page.getByRole('tab', { name: 'Train' }).click();
  await removeFinishedRuns(page);
});

test('forced colours: swatches, progress, probability bars, the histogram key and the matrix keep their colours; text-style buttons look like buttons', async ({ appPage: page }) => {
  await finishedRuns(page, 1);
  await page.emulateMedia({ forcedColors: 'active' });
  /** A background that is the run's colour (or a bar's), not the page's Canvas that forced colours paint. */
  const keepsColour = async (locator: Locator) => {
    const [colour, canvas] = await locator.evaluate((el) => [getComputedStyle(el).backgroundColor, getComputedStyle(document.body).backgroundColor]);
    expect.soft(colour, String(locator)).not.toBe(canvas);
    expect.soft(colour, String(locator)).not.toBe('rgba(0, 0, 0, 0)');
  };
  const row = page.getByTestId('run-row').first();
  await keepsColour(row.locator('.swatch'));
  await keepsColour(row.locator('.fill'));
  await keepsColour(page.getByTestId('chart-legend-item').first().locator('.swatch'));
  // The run's facts line is a button (a disclosure): marked by a border.
  expect.soft(await row.locator('button.facts').evaluate((b) => getComputedStyle(b).borderTopStyle)).toBe('solid');

  await page.getByRole('tab', { name: 'Draw' }).click();
  await stroke(page, 0.5, 0.15, 0.5, 0.85);
  await keepsColour(page.getByTestId('draw-bars').locator('li.best .bar span'));

  await page.getByRole('tab', { name: 'Evaluate' }).click();
  await keepsColour(page.locator('[data-testid="confusion-matrix"] td.diagonal').first());
  expect.soft(await page.getByTestId('top-mistakes').getByRole('button').first().evaluate((b) => getComputedStyle(b).borderTopStyle)).toBe('solid');

  await page.getByRole('tab', { name: 'Models' }).click();
  await keepsColour(page.getByTestId('model-row').first().locator('.swatch'));

  await page.getByRole('tab', { name: 'Data' }).click();
  await keepsColour(page.locator('.legend i.train'));
  await keepsColour(page.locator('.legend i.dev'));
  expect.soft(await page.getByRole('button', { name: 'Edit class names' }).evaluate((b) => getComputedStyle(b).textDecorationLine)).toBe('underline');

  await page.emulateMedia({ forcedColors: 'none' });
  await page.getByRole('tab', { name: 'Train' }).click();
  await removeFinishedRuns(page);
});

test('in a narrow window (400% zoom) Start brings the new run into sight: the settings fill the page and the runs are far below', async ({ appPage: page }, testInfo) => {
  await openTrain(page);
  try {
    await page.setViewportSize({ width: 320, height: 480 });
    await longStandardRun(page, 5);
    await page.getByTestId('start-run').click();
    const row = page.getByTestId('run-row').first();
    await expect(row).toBeInViewport();
    await expect(row.getByRole('button').first()).toBeFocused(); // its first button, in sight
    await page.screenshot({ path: testInfo.outputPath('narrow-start.png') });
    await row.getByTestId('run-stop').click();
    await expect(row).toHaveAttribute('data-status', 'stopped', { timeout: 30_000 });
  } finally {
    await page.setViewportSize({ width: 1280, height: 800 });
  }
  await removeFinishedRuns(page);
});
