// The Data view against the real services: drop a CSV on the window → summary, thumbnails and histogram;
// drop a malformed CSV → the error with its line, and the data set loaded before is still shown.
import type { Page } from '@playwright/test';
import { dropFile, tenBarsCsv } from './drop';
import { expect, screenshot, test } from './fixtures';


/** How many distinct grey levels the thumbnail canvas shows (1 = blank). */
async function canvasLevels(page: Page): Promise<number> {
  return page.getByTestId('thumbnail-grid').locator('canvas').evaluate((canvas: HTMLCanvasElement) => {
    const ctx = canvas.getContext('2d');
    if (!ctx) return 0;
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const levels = new Set<number>();
    for (let k = 0; k < data.length; k += 4 * 7) levels.add(data[k]);
    return levels.size;
  });
}

/** The first row of thumbnails as drawn: images and label badges across, and the blank runs between them. */
async function firstRow(page: Page): Promise<{ images: number; badges: number; widestGap: number; rightBlank: number; width: number }> {
  return page.getByTestId('thumbnail-grid').locator('canvas').evaluate((canvas: HTMLCanvasElement) => {
    const ratio = canvas.width / canvas.clientWidth;
    const ctx = canvas.getContext('2d')!;
    const probe = document.createElement('canvas').getContext('2d')!;
    probe.fillStyle = getComputedStyle(document.documentElement).getPropertyValue('--accent').trim();
    probe.fillRect(0, 0, 1, 1);
    const accent = probe.getImageData(0, 0, 1, 1).data;
    /** Runs of pixels across row y (CSS px) that pass `test`: how many, the widest gap between two, the blank end. */
    const runs = (y: number, test: (d: Uint8ClampedArray, i: number) => boolean) => {
      const { data } = ctx.getImageData(0, Math.floor(y * ratio), canvas.width, 1);
      let count = 0;
      let widestGap = 0;
      let gap = 0;
      let inside = false;
      for (let x = 0; x < canvas.width; x++) {
        const hit = test(data, 4 * x);
        if (hit && !inside) {
          if (count > 0) widestGap = Math.max(widestGap, gap);
          count++;
        }
        gap = hit ? 0 : gap + 1;
        inside = hit;
      }
      return { count, widestGap: widestGap / ratio, end: gap / ratio };
    };
    const images = runs(28, (d, i) => d[i + 3] > 0);
    const badges = runs(44, (d, i) => Math.abs(d[i] - accent[0]) + Math.abs(d[i + 1] - accent[1]) + Math.abs(d[i + 2] - accent[2]) < 40);
    return { images: images.count, badges: badges.count, widestGap: images.widestGap, rightBlank: images.end, width: canvas.clientWidth };
  });
}

// The web server is shared by every spec of this worker: close what these tests opened, so the next spec
// starts with no data set loaded.
test.afterEach(async ({ appPage: page }) => {
  await page.getByRole('tab', { name: 'Data' }).click();
  const close = page.getByTitle('Forget this data set');
  for (let k = 0; k < 20 && (await close.count()) > 0; k++) {
    const name = await page.getByTestId('dataset-name').textContent();
    await close.click();
    await expect(page.getByTestId('dataset-name').filter({ hasText: name ?? '' })).toHaveCount(0);
  }
});

test('drop a CSV: summary, thumbnails with labels, class histogram', async ({ appPage: page }, testInfo) => {
  await page.getByRole('tab', { name: 'Data' }).click();
  await dropFile(page, 'digits.csv', tenBarsCsv(600));
  await expect(page.getByTestId('dataset-name')).toHaveText('digits.csv');
  await expect(page.getByTestId('summary-rows')).toHaveText('600');
  await expect(page.getByTestId('dataset-summary')).toContainText('28×28 pixels');
  const grid = page.getByTestId('thumbnail-grid');
  await expect(grid).toHaveAttribute('data-total', '600');
  await expect.poll(async () => Number(await grid.getAttribute('data-drawn'))).toBeGreaterThan(20);
  await expect.poll(() => canvasLevels(page)).toBeGreaterThan(10);
  const histogram = page.getByTestId('class-histogram');
  await expect(histogram).toHaveAttribute('data-classes', '10');
  await expect(histogram.locator('canvas')).toHaveAttribute('aria-label', /0 60, 1 60, .*9 60/);
  // Filter by class: only that class's 60 images are listed — and the grid's canvas (kept across lists) never
  // reports more images than the new list has while it changes (it showed the old list's until redrawn).
  await page.evaluate(`(() => {
    const grid = document.querySelector('[data-testid="thumbnail-grid"]');
    window.__gridSeen = [];
    new MutationObserver(() => window.__gridSeen.push([grid.getAttribute('data-total'), grid.getAttribute('data-drawn')]))
      .observe(grid, { attributes: true, attributeFilter: ['data-total', 'data-drawn'] });
  })()`);
  await page.getByLabel('Class filter').selectOption('3');
  await expect(grid).toHaveAttribute('data-total', '60');
  await expect.poll(async () => Number(await grid.getAttribute('data-drawn'))).toBe(60);
  const seen = await page.evaluate<[string | null, string | null][]>('window.__gridSeen');
  expect(seen.filter(([total, drawn]) => Number(drawn) > Number(total ?? 0))).toEqual([]);
  // Scrolling draws further pages.
  await page.getByLabel('Class filter').selectOption('');
  await expect(grid).toHaveAttribute('data-total', '600');
  await screenshot(page, 'data-view', testInfo);
  await grid.scrollIntoViewIfNeeded();
  await grid.evaluate((el) => (el.scrollTop = el.scrollHeight));
  // The bottom of the scrolled grid shows the last images: hovering its bottom-left cell names a row near
  // the end of the 600 (row < 120 before the scroll), once their page has come and been drawn.
  const status = page.locator('.grid .status');
  await expect(async () => {
    const box = (await grid.boundingBox())!;
    await page.mouse.move(box.x + 20, box.y + box.height - 24);
    expect(Number(/row ([\d,]+)/.exec((await status.textContent()) ?? '')?.[1].replaceAll(',', '') ?? -1)).toBeGreaterThan(480);
  }).toPass({ timeout: 10_000 });
  // The first image is the file's row 1, as the predictions CSV numbers it (it read "row 0").
  await grid.evaluate((el) => (el.scrollTop = 0));
  await expect(async () => {
    const box = (await grid.boundingBox())!;
    await page.mouse.move(box.x + 20, box.y + 20);
    expect(await status.textContent()).toMatch(/^\s*row 1 · class /);
  }).toPass({ timeout: 10_000 });
  await page.mouse.move(0, 0);
  await grid.scrollIntoViewIfNeeded();
  await screenshot(page, 'data-grid', testInfo);
});

test('the thumbnail grid fills its row at any window width, every image with its label', async ({ appPage: page }, testInfo) => {
  await page.getByRole('tab', { name: 'Data' }).click();
  await dropFile(page, 'digits.csv', tenBarsCsv(600));
  const grid = page.getByTestId('thumbnail-grid');
  await expect(grid).toHaveAttribute('data-total', '600');
  try {
    for (const width of [1024, 1280, 1600]) {
      await page.setViewportSize({ width, height: 820 });
      await grid.scrollIntoViewIfNeeded();
      // 56 px images at least 8 px apart; the last one ends at the right edge.
      await expect.poll(async () => (await firstRow(page)).width).toBe(await grid.evaluate((el) => el.clientWidth));
      const columns = Math.floor(((await firstRow(page)).width + 8) / 64);
      await expect.poll(async () => (await firstRow(page)).images).toBe(columns);
      const row = await firstRow(page);
      expect(row.badges, `labels at ${width} px`).toBe(columns);
      expect(row.rightBlank, `blank at the right edge at ${width} px`).toBeLessThanOrEqual(1);
      expect(row.widestGap, `widest gap at ${width} px`).toBeLessThan(8 + 64 / Math.max(1, columns - 1) + 1);
      expect(Number(await grid.getAttribute('data-drawn'))).toBeGreaterThanOrEqual(columns * 6);
      await screenshot(page, `data-grid-${width}`, testInfo);
    }
  } finally {
    await page.setViewportSize({ width: 1280, height: 820 });
  }
});

test('at 200% zoom (a 1280×800 window: 640×400) the thumbnail grid leaves the page room: the wheel beside it scrolls the page, not the grid', async ({ appPage: page }, testInfo) => {
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByRole('button', { name: 'Use the built-in MNIST sample' }).click();
  const grid = page.getByTestId('thumbnail-grid');
  await expect(grid).toHaveAttribute('data-total', '10000');
  const height = async () => (await grid.boundingBox())!.height;
  expect.soft(await height(), 'at 1280×820').toBe(440);
  try {
    await page.setViewportSize({ width: 640, height: 400 });
    // 440 px filled the window below its header: every turn of the wheel went to the grid's 10,000 images.
    await expect.poll(height).toBeLessThanOrEqual(0.6 * 400);
    expect(await height()).toBeGreaterThanOrEqual(2 * 64); // two rows at least
    await expect.poll(async () => Number(await grid.getAttribute('data-drawn'))).toBeGreaterThanOrEqual(10); // 5 images across at least
    // The grid at the top of the window: the wheel just below it scrolls the page back up, and the grid stays.
    await grid.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    const box = (await grid.boundingBox())!;
    const below = box.y + box.height + 12;
    const footer = (await page.getByTestId('status-bar').boundingBox())!;
    expect(below, 'room below the grid, above the status bar').toBeLessThan(footer.y);
    await page.mouse.move(box.x + 40, below);
    await page.mouse.wheel(0, -200);
    await expect.poll(async () => (await grid.boundingBox())!.y).toBeGreaterThan(box.y + 50);
    expect(await grid.evaluate((el) => el.scrollTop)).toBe(0);
    await screenshot(page, 'data-grid-640x400', testInfo);
  } finally {
    await page.setViewportSize({ width: 1280, height: 820 });
  }
});

test('drop a malformed CSV: the error names its line; the data set loaded before stays', async ({ appPage: page }, testInfo) => {
  await page.getByRole('tab', { name: 'Data' }).click();
  await dropFile(page, 'good.csv', tenBarsCsv(50));
  await expect(page.getByTestId('dataset-name')).toHaveText('good.csv');
  const lines = tenBarsCsv(5).split('\n');
  lines[3] = lines[3].replace(/^(\d+),0,0,/, '$1,0,oops,');
  await dropFile(page, 'broken.csv', lines.join('\n'));
  const error = page.getByTestId('load-error');
  await expect(error).toBeVisible();
  await expect(error).toContainText('Could not open broken.csv — what was loaded before is still here.');
  await expect(error).toContainText('line 4, column 3');
  await expect(error).toContainText('expected a number, found "oops"');
  await expect(page.getByTestId('dataset-name')).toHaveText('good.csv');
  await expect(page.getByTestId('summary-rows')).toHaveText('50');
  await screenshot(page, 'data-error', testInfo);
  // The same file opens with "skip bad rows", and says which line was left out.
  await error.getByRole('button', { name: 'Open again, skipping bad rows' }).click();
  await expect(page.getByTestId('dataset-name')).toHaveText('broken.csv');
  await expect(page.getByTestId('summary-rows')).toHaveText('4');
  await expect(page.getByTestId('summary-skipped')).toContainText('1 bad row');
  await expect(page.getByTestId('summary-skipped')).toContainText('— line 4');
  // The retry skipped bad rows for that load only: the toolbar's option is as it was.
  await expect(page.getByRole('checkbox', { name: 'Skip bad rows' })).not.toBeChecked();
});

test('a header-only or empty CSV: the error says so, with no "skip bad rows" retry (it cannot help)', async ({ appPage: page }) => {
  await page.getByRole('tab', { name: 'Data' }).click();
  await dropFile(page, 'header-only.csv', tenBarsCsv(0));
  const error = page.getByTestId('load-error');
  await expect(error).toContainText('the file has a header only');
  await expect(error.getByRole('button', { name: 'Open again, skipping bad rows' })).toHaveCount(0);
  await dropFile(page, 'empty.csv', '');
  await expect(error).toContainText('an empty file');
  await expect(error.getByRole('button', { name: 'Open again, skipping bad rows' })).toHaveCount(0);
  await error.getByRole('button', { name: 'Dismiss' }).click();
});

test('the built-in MNIST sample opens offline in one click', async ({ appPage: page }) => {
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByRole('button', { name: 'Use the built-in MNIST sample' }).click();
  await expect(page.getByTestId('dataset-name')).toHaveText('Built-in MNIST sample');
  await expect(page.getByTestId('summary-rows')).toHaveText('10,000');
  await expect(page.getByTestId('thumbnail-grid')).toHaveAttribute('data-total', '10000');

  // The mean images follow the system's theme while the app is open: ink dark on light, then light on dark.
  const corner = () => page.locator('canvas[aria-label="Mean image per class"]').evaluate((canvas: HTMLCanvasElement) => canvas.getContext('2d')!.getImageData(2, 2, 1, 1).data[0]);
  await page.emulateMedia({ colorScheme: 'light' });
  await expect.poll(corner).toBeGreaterThan(200);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(corner).toBeLessThan(55);
  await page.emulateMedia({ colorScheme: 'light' });
});

test('split: a seeded stratified random dev set, and a separate test file picked with Open', async ({ appPage: page }) => {
  await page.getByRole('tab', { name: 'Data' }).click();
  await dropFile(page, 'train-small.csv', tenBarsCsv(400));
  await expect(page.getByTestId('dataset-name')).toHaveText('train-small.csv');
  const split = page.getByTestId('split-controls');
  await expect(split).toContainText('now: train 360 · dev 40');
  await split.getByLabel('random').check();
  await split.getByLabel('Dev share in percent').fill('25');
  await split.getByRole('button', { name: 'Apply split' }).click();
  await expect(split).toContainText('now: train 300 · dev 100');
  const chooser = page.waitForEvent('filechooser');
  await split.getByRole('button', { name: 'Open a test file…' }).click();
  await (await chooser).setFiles({ name: 'test-small.csv', mimeType: 'text/csv', buffer: Buffer.from(tenBarsCsv(70)) });
  await expect(split).toContainText('now: train 300 · dev 100 · test 70');
  await expect(page.getByTestId('dataset-name')).toHaveText('train-small.csv');
});

test('a file dropped on another view opens in the Data view (only the Data view took drops)', async ({ appPage: page }) => {
  for (const view of ['Train', 'Draw'] as const) {
    await page.getByRole('tab', { name: view }).click();
    const name = `dropped-on-${view.toLowerCase()}.csv`;
    await dropFile(page, name, tenBarsCsv(30));
    await expect(page.getByRole('tab', { name: 'Data' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('dataset-name')).toHaveText(name);
    await expect(page.getByTestId('summary-rows')).toHaveText('30');
  }
});

test('class names: Enter in a name saves them, as Save names does', async ({ appPage: page }) => {
  await page.getByRole('tab', { name: 'Data' }).click();
  await dropFile(page, 'names.csv', tenBarsCsv(40));
  await expect(page.getByTestId('dataset-name')).toHaveText('names.csv');
  await page.getByRole('button', { name: 'Edit class names' }).click();
  const names = page.getByTestId('class-names');
  await names.getByLabel('Name of class 3').fill('three');
  await names.getByLabel('Name of class 3').press('Enter');
  await expect(page.getByTitle('three', { exact: true })).toHaveText('three'); // the mean image's caption
  await expect(names.getByRole('button', { name: 'Save names' })).toBeDisabled();
  await names.getByLabel('Name of class 4').fill('four');
  await names.getByRole('button', { name: 'Save names' }).click();
  await expect(page.getByTitle('four', { exact: true })).toHaveText('four');
});

test("class names: a name emptied says which class needs one (Save names was disabled without a word)", async ({ appPage: page }) => {
  await page.getByRole('tab', { name: 'Data' }).click();
  await dropFile(page, 'unnamed.csv', tenBarsCsv(40));
  await expect(page.getByTestId('dataset-name')).toHaveText('unnamed.csv');
  await page.getByRole('button', { name: 'Edit class names' }).click();
  const names = page.getByTestId('class-names');
  const problem = names.getByTestId('class-names-problem');
  await expect(problem).toHaveCount(0);
  await names.getByLabel('Name of class 0').fill('');
  await names.getByLabel('Name of class 3').fill('  ');
  await expect(problem).toHaveText('Classes 0, 3 need a name to save the names.');
  await expect(names.getByLabel('Name of class 0')).toHaveAttribute('aria-invalid', 'true');
  await expect(names.getByLabel('Name of class 1')).toHaveAttribute('aria-invalid', 'false');
  await expect(names.getByRole('button', { name: 'Save names' })).toBeDisabled();
  await names.getByLabel('Name of class 3').fill('three');
  await expect(problem).toHaveText('Class 0 needs a name to save the names.');
  await names.getByLabel('Name of class 0').fill('zero');
  await expect(problem).toHaveCount(0);
  await expect(names.getByRole('button', { name: 'Save names' })).toBeEnabled();
});

test("split: the fields of the choice not taken look disabled, as they are (they looked like the one that counts)", async ({ appPage: page }) => {
  await page.getByRole('tab', { name: 'Data' }).click();
  await dropFile(page, 'split-look.csv', tenBarsCsv(100));
  await expect(page.getByTestId('dataset-name')).toHaveText('split-look.csv');
  const split = page.getByTestId('split-controls');
  const rows = split.getByLabel('Dev rows');
  const share = split.getByLabel('Dev share in percent');
  const stratified = split.getByText('stratified by class');
  await expect(rows).toBeEnabled();
  await expect(rows).toHaveCSS('opacity', '1');
  await expect(share).toBeDisabled();
  await expect(share).toHaveCSS('opacity', '0.5');
  await expect(split.getByLabel('Seed')).toHaveCSS('opacity', '0.5');
  const muted = await page.evaluate(() => getComputedStyle(document.body).getPropertyValue('--muted').trim());
  const mutedRgb = await page.evaluate((c) => { const e = document.createElement('span'); e.style.color = c; document.body.append(e); const rgb = getComputedStyle(e).color; e.remove(); return rgb; }, muted);
  await expect(stratified).toHaveCSS('color', mutedRgb);
  await split.getByLabel('random').check();
  await expect(rows).toHaveCSS('opacity', '0.5');
  await expect(share).toHaveCSS('opacity', '1');
  await expect(stratified).not.toHaveCSS('color', mutedRgb);
});

test('Recent: a file opened in the browser reopens while it is stored, and says how to open it again once it is not', async ({ appPage: page }, testInfo) => {
  test.skip(testInfo.project.name === 'electron', 'a file opened in the desktop app has a path: its name reopens it');
  await page.getByRole('tab', { name: 'Data' }).click();
  await dropFile(page, 'recent-upload.csv', tenBarsCsv(37)); // bytes no other test opens: no other data keeps it
  await expect(page.getByTestId('dataset-name')).toHaveText('recent-upload.csv');
  const recent = page.locator('section.recent');
  const entry = recent.getByRole('button', { name: 'recent-upload.csv', exact: true });
  await expect(entry).toBeVisible(); // its data is open: the upload is kept, and its name reopens it
  await entry.click();
  await expect(page.getByTestId('dataset-name')).toHaveText('recent-upload.csv');
  // Closed, and no run trained on it: the server removes the upload, and the name is plain text with the how said.
  for (let open = 2; open > 0; open--) {
    await expect(page.getByTestId('dataset-name')).toHaveText('recent-upload.csv');
    await page.getByTitle('Forget this data set').click();
  }
  await expect(recent.getByText('recent-upload.csv', { exact: true })).toBeVisible();
  await expect(recent.getByRole('button', { name: 'recent-upload.csv', exact: true })).toHaveCount(0);
  await expect(recent.getByTestId('recent-uploaded')).toHaveText(
    'A file opened in the browser is kept only while its data is open or a saved run trained on it: to open one no longer kept, drop it on the window or use Open….',
  );
});

test('a label no image has is said under Classes (labels 1–9 make 10 classes, a miscount without a word)', async ({ appPage: page }) => {
  await page.getByRole('tab', { name: 'Data' }).click();
  const noZeros = tenBarsCsv(60).split('\n').filter((line) => !line.startsWith('0,')).join('\n');
  await dropFile(page, 'no-zeros.csv', noZeros);
  await expect(page.getByTestId('dataset-name')).toHaveText('no-zeros.csv');
  await expect(page.getByTestId('dataset-summary')).toContainText(/Classes\s*10\s/);
  await expect(page.getByTestId('summary-unused-labels')).toHaveText('labels 0–9; no image is labelled 0');
  await dropFile(page, 'all-labels.csv', tenBarsCsv(30));
  await expect(page.getByTestId('dataset-name')).toHaveText('all-labels.csv');
  await expect(page.getByTestId('summary-unused-labels')).toHaveCount(0);
});

test('the mean images of many classes wrap onto rows inside their card (27 ran off its edge in one strip)', async ({ appPage: page }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.getByRole('tab', { name: 'Data' }).click();
  const [header, ...lines] = tenBarsCsv(54).trim().split('\n');
  const relabelled = [header, ...lines.map((line, i) => `${i % 27}${line.slice(line.indexOf(','))}`)].join('\n');
  await dropFile(page, 'classes27.csv', relabelled);
  await expect(page.getByTestId('dataset-name')).toHaveText('classes27.csv');
  const card = page.locator('section', { has: page.getByRole('heading', { name: 'Mean image per class' }) });
  const strips = card.locator('canvas[aria-label^="Mean image per class"]');
  await expect.poll(() => strips.count()).toBeGreaterThan(1);
  const cardBox = (await card.boundingBox())!;
  for (const strip of await strips.all()) {
    const box = (await strip.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(cardBox.x + cardBox.width);
  }
  const last = (await card.getByTitle('26', { exact: true }).boundingBox())!;
  expect(last.x + last.width).toBeLessThanOrEqual(cardBox.x + cardBox.width);
  await page.setViewportSize({ width: 1280, height: 820 });
});

test("a spreadsheet's export of scikit-learn's digits (semicolons, whole numbers 0–16) opens as 8×8 images, stretched to 0–255 and said so", async ({ appPage: page }, testInfo) => {
  await page.getByRole('tab', { name: 'Data' }).click();
  // 8×8 digits: class k a vertical bar at column k mod 8, its ink 9–16 (0–16 is the file's whole scale)
  const rows = Array.from({ length: 60 }, (_, i) => {
    const label = i % 10;
    const px = Array.from({ length: 64 }, (_, p) => (p % 8 === label % 8 ? 9 + ((i + p) % 8) : 0));
    return [label, ...px].join(';');
  });
  await dropFile(page, 'digits-8x8.csv', rows.join('\r\n') + '\r\n');
  await expect(page.getByTestId('dataset-name')).toHaveText('digits-8x8.csv');
  await expect(page.getByTestId('summary-rows')).toHaveText('60');
  await expect(page.getByTestId('dataset-summary')).toContainText('8×8 pixels');
  await expect(page.getByTestId('dataset-summary')).toContainText('CSV (values separated by semicolons), no header, label in column 1');
  await expect(page.getByTestId('stretched-note')).toHaveText('whole numbers 0–16 in the file (as scikit-learn’s digits), stretched to 0–255');
  await screenshot(page, 'data-digits-8x8', testInfo);
});

test('Cancel from the keyboard on a file being read: the load stops and the focus goes to Open… (it fell to the page)', async ({ appPage: page }, testInfo) => {
  test.skip(testInfo.project.name === 'electron', 'answers the browser-mode calls itself to keep the file being read');
  // The file's open call is held, and Cancel answered here as the server does: the file is being read until then.
  await page.routeWebSocket(/\/api/, (ws) => {
    const server = ws.connectToServer();
    let held: number | null = null;
    ws.onMessage((message) => {
      const call = JSON.parse(String(message)) as { id: number; name: string };
      if (call.name === 'datasets.open') held = call.id;
      else if (call.name === 'datasets.cancel' && held !== null) {
        ws.send(JSON.stringify({ type: 'result', id: call.id, ok: true, value: true }));
        ws.send(JSON.stringify({ type: 'result', id: held, ok: true, value: { kind: 'cancelled' } }));
      } else server.send(message);
    });
    server.onMessage((message) => ws.send(message));
  });
  await page.reload();
  await page.getByRole('tab', { name: 'Data' }).click();
  await dropFile(page, 'bars_cancelled.csv', tenBarsCsv(50));
  const cancel = page.getByTestId('load-progress').getByRole('button', { name: 'Cancel' });
  await expect(cancel).toBeEnabled(); // being read, no longer uploaded
  await cancel.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('load-progress')).toBeHidden();
  await expect(page.getByRole('button', { name: 'Open…' })).toBeFocused();
  await screenshot(page, 'data-load-cancelled', testInfo);
});
