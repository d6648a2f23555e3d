// The Train view in a small window (1024×700, a laptop's 1366×768): the split line under the data-set menu
// kept '10' on one line and 'classes' alone on the next; both Compare buttons wrapped their labels to two
// lines; a run row's Reuse/Remove buttons wrapped below its title and its settings line was cut
// ('Built-in MNIST sa…'); a row's facts line (epoch, loss, best dev, …) took two lines beside its buttons. Measured
// here at both sizes, and at 1920×1080 where nothing may get worse.
import type { Locator, Page } from '@playwright/test';
import { expect, screenshot, test } from './fixtures';
import { longStandardRun, openTrainOnSample, removeRun, trainOnSample } from './runs';

const SIZES = [[1024, 700], [1366, 768], [1920, 1080]] as const;

/** How far apart (px) the lines are on which `text` (inside one text node of `el`) is drawn: 0 on one line. */
const spread = (el: Locator, text: string) =>
  el.evaluate((node: Element, text: string) => {
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      const at = t.textContent?.indexOf(text) ?? -1;
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(t, at);
      range.setEnd(t, at + text.length);
      const tops = [...range.getClientRects()].map((r) => r.top);
      return Math.max(...tops) - Math.min(...tops);
    }
    throw new Error(`'${text}' is not in one text node of ${node.outerHTML}`);
  }, text);

/** A button's label height in lines: its content box over its line height. */
const labelLines = (button: Locator) =>
  button.evaluate((el: HTMLElement) => {
    const style = getComputedStyle(el);
    const content = el.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    return content / parseFloat(style.lineHeight);
  });

/** Whether the element's text is drawn whole: nothing cut off to its right. */
const whole = (el: Locator) => el.evaluate((node: HTMLElement) => ({ scroll: node.scrollWidth, client: node.clientWidth }));

/** A run row's facts line: its height in lines (its box over its line height), and the facts drawn whole inside
 *  that box (a fact that does not fit is cut off, and read in the line's tooltip): their text and their label. */
const factsShown = (row: Locator) =>
  row.locator('.facts').evaluate((el: HTMLElement) => {
    const box = el.getBoundingClientRect();
    const inside = [...el.children].filter((c) => {
      const r = c.getBoundingClientRect();
      return r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5;
    });
    return {
      lines: box.height / parseFloat(getComputedStyle(el).lineHeight),
      shown: inside.map((c) => c.textContent ?? ''),
      labels: inside.map((c) => (c.firstChild?.nodeType === Node.TEXT_NODE ? (c.firstChild.textContent ?? '').trim() : '')),
      all: el.children.length,
    };
  });

async function at(page: Page, width: number, height: number): Promise<void> {
  await page.setViewportSize({ width, height });
  await page.waitForTimeout(150); // the chart's resize observer settles
}

test('the Train form reads well at 1024, 1366 and 1920 px: the split line and the Compare buttons', async ({ appPage: page }, testInfo) => {
  await openTrainOnSample(page);
  const summary = page.getByTestId('split-summary');
  await expect(summary).toContainText('28×28 · 10 classes');
  for (const [width, height] of SIZES) {
    await at(page, width, height);
    expect(await spread(summary, '28×28 · 10 classes'), `the image size and classes on one line at ${width} px`).toBeLessThan(2);
    for (const id of ['compare-notebook', 'compare-optimizers', 'start-run']) {
      const button = page.getByTestId(id);
      await button.scrollIntoViewIfNeeded();
      expect(await labelLines(button), `${id}'s label at ${width} px`).toBeLessThan(1.5);
      const { scroll, client } = await whole(button);
      expect(scroll, `${id}'s label whole at ${width} px`).toBeLessThanOrEqual(client);
    }
    await expect(page.getByTestId('compare-notebook')).toHaveAttribute('title', /^Compare the 4 notebook optimizers — four runs/);
    await expect(page.getByTestId('compare-optimizers')).toHaveAttribute('title', /^Compare the 4 optimizers on this network and schedule — /);
    await screenshot(page, `train-small-form-${width}`, testInfo);
  }
  await page.setViewportSize({ width: 1280, height: 820 });
});

test('a run row at 1024, 1366 and 1920 px: its name and settings whole, its buttons on one line beside its text', async ({ appPage: page }, testInfo) => {
  const row = await trainOnSample(page, 1, 6);
  for (const [width, height] of SIZES) {
    await at(page, width, height);
    await row.scrollIntoViewIfNeeded();
    for (const part of [row.locator('.name'), row.locator('.config'), row.getByTestId('run-dataset')]) {
      const { scroll, client } = await whole(part);
      expect(scroll, `${await part.textContent()} whole at ${width} px`).toBeLessThanOrEqual(client);
    }
    const reuse = row.getByTestId('run-reuse');
    const remove = row.getByTestId('run-remove');
    await expect(reuse).toHaveAttribute('title', /settings and data set in the form/);
    for (const button of [reuse, remove]) expect(await labelLines(button), `a button's label at ${width} px`).toBeLessThan(1.5);
    const [a, b, name, status] = await Promise.all([reuse, remove, row.locator('.name'), row.getByTestId('run-status')].map((l) => l.boundingBox()));
    expect(Math.abs(a!.y - b!.y), `Reuse and Remove side by side at ${width} px`).toBeLessThan(2);
    // The buttons on the name's line, right of its status, or below the settings line: not between the two.
    const config = (await row.locator('.config').boundingBox())!;
    const centre = (box: { y: number; height: number }) => box.y + box.height / 2;
    const onNameLine = Math.abs(centre(a!) - centre(name!)) < 6 && a!.x >= status!.x + status!.width;
    expect(onNameLine || a!.y >= config.y + config.height, `the buttons beside the text at ${width} px`).toBe(true);
    // The facts on one line beside nothing: a finished run's epoch, loss, best dev and elapsed time all shown.
    const facts = await factsShown(row);
    expect(facts.lines, `the facts line's height in lines at ${width} px`).toBeLessThan(1.5);
    expect(facts.shown.length, `every fact of a finished run shown at ${width} px: ${facts.shown.join(', ')}`).toBe(facts.all);
    await screenshot(page, `train-small-run-${width}`, testInfo);
  }
  await page.setViewportSize({ width: 1280, height: 820 });
  await removeRun(page, row);
});

test('a running run\'s facts stay on one line at 1024 px: how far, loss, best dev and ETA shown, the rest in the tooltip', async ({ appPage: page }, testInfo) => {
  await openTrainOnSample(page);
  await longStandardRun(page, 7);
  await page.getByTestId('start-run').click();
  const row = page.locator('[data-testid="run-row"][data-status="running"]').first();
  await expect(row.getByTestId('run-eta')).toHaveText(/\d/, { timeout: 30_000 });
  await expect(row.getByTestId('run-best')).toHaveText(/%/, { timeout: 30_000 }); // an epoch has ended
  for (const [width, height] of SIZES) {
    await at(page, width, height);
    await row.scrollIntoViewIfNeeded();
    const facts = await factsShown(row);
    expect(facts.lines, `the facts line's height in lines at ${width} px`).toBeLessThan(1.5);
    expect(facts.labels.slice(0, 4), `the facts shown at ${width} px: ${facts.shown.join(', ')}`).toEqual(['epoch', 'loss', 'best dev', 'ETA']);
    if (width > 1024) expect(facts.shown.length, `every fact shown at ${width} px`).toBe(facts.all);
    await expect(row.locator('.facts')).toHaveAttribute('title', /^epoch .* · ETA .* samples\/s · elapsed /);
    await screenshot(page, `train-small-running-${width}`, testInfo);
    if (width === 1024) {
      // Not only in the tooltip: a click (a tap, Enter) on the line shows every fact, a second one line again.
      await row.locator('.facts').click();
      await expect(row.locator('.facts')).toHaveAttribute('aria-expanded', 'true');
      await expect.poll(async () => { const f = await factsShown(row); return f.shown.length === f.all && f.lines > 1.5; }).toBe(true);
      await screenshot(page, 'train-small-running-1024-open', testInfo);
      await row.locator('.facts').press('Enter');
      await expect.poll(async () => (await factsShown(row)).lines).toBeLessThan(1.5);
    }
  }
  await page.setViewportSize({ width: 1280, height: 820 });
  await row.getByTestId('run-stop').click();
  await expect(row).toHaveCount(0, { timeout: 30_000 }); // no longer running
  await removeRun(page, page.locator('[data-testid="run-row"][data-status="stopped"]').first());
});
