// The Train form in a small window: the data-set menu shows the chosen data set's name whole at 1024 px (it read
// 'Built-in MNIST sample · 10,000', its 'rows' cut off); the name and size in full are its tooltip.
import type { Locator } from '@playwright/test';
import { expect, screenshot, test } from './fixtures';
import { openTrainOnSample } from './runs';

/** The width the menu's chosen text takes, and the width the menu has for it (its box less padding and arrow). */
const fit = (select: Locator) =>
  select.evaluate((el: HTMLSelectElement) => {
    const style = getComputedStyle(el);
    const ctx = document.createElement('canvas').getContext('2d')!;
    ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const text = el.selectedOptions[0]?.text ?? '';
    const arrow = 20; // Chromium's drop-down arrow, inside the padding box
    return { text, needed: Math.ceil(ctx.measureText(text).width), room: el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - arrow };
  });

test('the data-set menu shows the built-in sample’s name whole at 1024 px, with its size in the tooltip', async ({ appPage: page }, testInfo) => {
  await openTrainOnSample(page);
  const select = page.getByTestId('dataset-select');
  for (const [width, height] of [[1024, 700], [1366, 768]]) {
    await page.setViewportSize({ width, height });
    const { text, needed, room } = await fit(select);
    expect(text).toContain('Built-in MNIST sample');
    expect(needed, `'${text}' at ${width} px`).toBeLessThanOrEqual(room);
    await expect(select).toHaveAttribute('title', 'Built-in MNIST sample · 10,000 rows');
    await screenshot(page, `train-dataset-menu-${width}`, testInfo);
  }
  await page.setViewportSize({ width: 1280, height: 820 });
});
