// The Draw view against the real services in browser mode: after a run on the built-in sample, drawing a
// stroke on the pad shows the 28×28 image the model sees and its probabilities for every class, which add
// up to 100%; a vertical stroke is a 1 to a model trained on MNIST digits.
import { expect, screenshot, test } from './fixtures';
import { removeRun, trainOnSample } from './runs';

test('draw a digit: the model’s probabilities as you draw', async ({ appPage: page }, testInfo) => {
  const row = await trainOnSample(page, 3, 5);

  await page.getByRole('tab', { name: 'Draw' }).click();
  const pad = page.getByTestId('draw-pad');
  await expect(pad).toBeVisible();
  const box = (await pad.boundingBox())!;
  // a vertical stroke down the middle
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.15);
  await page.mouse.down();
  for (let k = 1; k <= 20; k++) await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * (0.15 + 0.035 * k));
  await page.mouse.up();
  const bars = page.getByTestId('draw-bars');
  await expect(bars.locator('li')).toHaveCount(10);
  const percents = (await bars.locator('.pct').allTextContents()).map((t) => Number.parseFloat(t));
  expect(percents.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 0);
  await expect(page.getByTestId('draw-verdict')).toContainText('class 1');
  await screenshot(page, 'draw', testInfo);

  await page.getByTestId('draw-clear').click();
  await expect(bars).toBeHidden();

  // Leave the server's run list as it was found (the specs after this one share the server).
  await removeRun(page, row);
  await page.getByRole('tab', { name: 'Draw' }).click();
  await expect(page.getByText('No trained model to draw for yet')).toBeVisible();
});
