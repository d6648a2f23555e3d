// Keyboard use in a small window (1024×700, dark): what Tab reaches must be in sight. In the Train settings the
// Start bar stays on the card's bottom edge over the fields scrolled under it, and Tab scrolled a field just into
// the card's edge: the optimizer menu, the seed and the threads menu were focused out of sight under the bar.
// A run removed from the keyboard hands the focus to the run that takes its place, the one above, or Start when none
// is left (it fell to the page).
import type { Page } from '@playwright/test';
import { expect, screenshot, test } from './fixtures';
import { openTrainOnSample, removeFinishedRuns, trainStandard } from './runs';

/** The focused element: its name, and whether the point at its centre is the element itself (nothing over it). */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return null;
    const r = el.getBoundingClientRect();
    const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    const seen = !!top && (el === top || el.contains(top) || top.contains(el) || (el instanceof HTMLInputElement && !!el.labels?.[0]?.contains(top)));
    return { name: el.getAttribute('aria-label') ?? el.getAttribute('data-testid') ?? el.closest('label')?.textContent?.trim().slice(0, 30) ?? el.tagName, seen, inForm: !!el.closest('fieldset') };
  });

test('Train settings at 1024×700: each field Tab reaches is in sight, not under the Start bar', async ({ appPage: page, playwright }, testInfo) => {
  test.skip(testInfo.project.name === 'electron', 'the window size and colour scheme are set on the browser page');
  void playwright;
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 1024, height: 700 });
  await openTrainOnSample(page);
  // A field with a problem: the bar also says why Start cannot start, a line taller.
  await page.getByTestId('duration-count').fill('0');
  await expect(page.getByTestId('start-why')).toHaveText('Fix the field marked in red: Train for.');
  await page.getByTestId('dataset-select').focus();
  const hidden: string[] = [];
  let fields = 0;
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (!f || !f.inForm) break;
    fields++;
    if (!f.seen) {
      hidden.push(f.name);
      if (hidden.length === 1) await screenshot(page, 'keyboard-train-hidden-field', testInfo);
    }
  }
  expect(fields, 'the settings\' fields reached by Tab').toBeGreaterThan(12);
  expect(hidden, 'fields focused under the Start bar').toEqual([]);
  await screenshot(page, 'keyboard-train-last-field', testInfo);
  // And back up with Shift+Tab to the data-set menu, each field in sight on the way.
  const back: string[] = [];
  for (let i = 0; i <= fields && back.at(-1) !== 'dataset-select'; i++) {
    await page.keyboard.press('Shift+Tab');
    const f = await focused(page);
    back.push(f?.seen ? (f.name ?? '') : `hidden: ${f?.name}`);
  }
  expect(back.filter((name) => name.startsWith('hidden'))).toEqual([]);
  expect(back.at(-1)).toBe('dataset-select');
});

test('Remove from the keyboard: Escape takes its question back; the focus goes to the next run\'s buttons, not to the page', async ({ appPage: page }) => {
  await openTrainOnSample(page);
  await trainStandard(page, 1, 21);
  await trainStandard(page, 1, 22);
  const rows = page.getByTestId('run-row');
  await expect(rows).toHaveCount(2);
  const [first, second] = [await rows.nth(0).getAttribute('data-run-id'), await rows.nth(1).getAttribute('data-run-id')];
  await rows.nth(0).getByTestId('run-remove').focus();
  await page.keyboard.press('Enter');
  await expect(rows.nth(0).getByTestId('run-remove')).toHaveText('Really remove?');
  // Escape takes the question back (it stood for 4 s, a second Enter removing the run).
  await page.keyboard.press('Escape');
  expect(await rows.nth(0).getByTestId('run-remove').textContent()).toBe('Remove'); // at once: not the 4 s running out
  await page.keyboard.press('Enter');
  await expect(rows.nth(0).getByTestId('run-remove')).toHaveText('Really remove?');
  await expect(rows.nth(0).getByTestId('run-remove')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator(`[data-testid="run-row"][data-run-id="${first}"]`)).toHaveCount(0);
  // The row that took its place: its first button (Reuse), so Tab and Enter go on from there.
  await expect(page.locator(`[data-testid="run-row"][data-run-id="${second}"]`).getByTestId('run-reuse')).toBeFocused();
  await removeFinishedRuns(page);
});

test('Remove from the keyboard: the last run left hands the focus to the run above it; the only run, to Start', async ({ appPage: page }, testInfo) => {
  await openTrainOnSample(page);
  await removeFinishedRuns(page);
  await trainStandard(page, 1, 23);
  await trainStandard(page, 1, 24);
  const rows = page.getByTestId('run-row');
  await expect(rows).toHaveCount(2);
  const first = await rows.nth(0).getAttribute('data-run-id');
  // The last row: the one above takes the focus.
  await rows.nth(1).getByTestId('run-remove').focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await expect(rows).toHaveCount(1);
  await expect(page.locator(`[data-testid="run-row"][data-run-id="${first}"]`).getByTestId('run-reuse')).toBeFocused();
  // The only row: no run is left to go to, and Start (a new run) is what comes next.
  await rows.nth(0).getByTestId('run-remove').focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await expect(rows).toHaveCount(0);
  await expect(page.getByTestId('start-run')).toBeFocused();
  await screenshot(page, 'keyboard-only-run-removed', testInfo);
});

test('Data view from the keyboard: Apply split and Save names keep the focus (it fell to the page as they went off)', async ({ appPage: page }) => {
  await openTrainOnSample(page);
  await page.getByRole('tab', { name: 'Data' }).click();
  const split = page.getByTestId('split-controls');
  const apply = split.getByRole('button', { name: 'Apply split' });
  await split.getByLabel('Dev rows').fill('1200');
  await apply.focus();
  await page.keyboard.press('Enter');
  await expect(split).toContainText('now: train 8,800 · dev 1,200');
  await expect(apply).toBeFocused();
  await split.getByLabel('Dev rows').fill('1000');
  await apply.press('Enter');
  await expect(split).toContainText('now: train 9,000 · dev 1,000');
  await expect(apply).toBeFocused();

  await page.getByRole('button', { name: 'Edit class names' }).click();
  await page.getByLabel('Name of class 0').fill('nought');
  const save = page.getByRole('button', { name: 'Save names' });
  await save.focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('section', { has: page.getByRole('heading', { name: 'Mean image per class' }) })).toContainText('nought');
  await expect(save).toBeDisabled(); // nothing left to save
  await expect(save).toBeFocused();
  // The digits again (the specs share the server).
  await page.getByRole('button', { name: 'Digits' }).click();
  await expect(page.getByLabel('Name of class 0')).toHaveValue('0');
  await page.getByRole('button', { name: 'Hide class names' }).click();
});
