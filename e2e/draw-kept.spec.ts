// The Draw view as the user left it: a drawing, and the framing chosen for a run, stay while another view is shown
// (a look at Evaluate's mistakes between two tries). Each view is made anew when shown, and the pad came back
// blank, its answer gone and the framing back to the run's default.
import type { Page } from '@playwright/test';
import { expect, screenshot, test } from './fixtures';
import { removeRun, stroke, trainOnSample } from './runs';

/** How many of the pad's pixels hold ink (darker than mid-grey). */
const inkedPixels = (page: Page) =>
  page.getByTestId('draw-pad').evaluate((canvas: HTMLCanvasElement) => {
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let k = 0; k < data.length; k += 4) if (data[k] < 128) n++;
    return n;
  });

test('a drawing and the framing chosen stay while another view is shown', async ({ appPage: page }, testInfo) => {
  const row = await trainOnSample(page, 1, 11);
  const draw = page.getByRole('tab', { name: 'Draw' });
  await draw.click();
  await stroke(page, 0.5, 0.15, 0.5, 0.85);
  await page.getByLabel('Item (Fashion-MNIST)').check();
  const verdict = page.getByTestId('draw-verdict');
  await expect(verdict).toHaveText(/^It looks like/);
  const answer = await verdict.textContent();
  const ink = await inkedPixels(page);
  expect(ink).toBeGreaterThan(1000);

  await page.getByRole('tab', { name: 'Evaluate' }).click();
  await expect(page.getByTestId('confusion-matrix')).toBeVisible();
  await draw.click();
  await expect(page.getByTestId('draw-framing')).toHaveAttribute('data-value', 'item');
  await expect(verdict).toHaveText(answer!);
  expect(await inkedPixels(page)).toBe(ink);
  await expect(page.getByTestId('draw-clear')).toBeEnabled();
  await screenshot(page, 'draw-kept', testInfo);

  // Clear empties it, and it stays empty when shown again.
  await page.getByTestId('draw-clear').click();
  await page.getByRole('tab', { name: 'Data' }).click();
  await draw.click();
  await expect(page.getByTestId('draw-clear')).toBeDisabled();
  expect(await inkedPixels(page)).toBe(0);
  await expect(verdict).toBeHidden();
  await removeRun(page, row);
});
