// Dropping a file on the window, as the specs do, and the small CSV most of them drop.
import type { Page } from '@playwright/test';
import { expect } from './fixtures';

/** Drops a file on the window the way a user's drag does (dragenter, then drop), seeing the overlay come and go. */
export async function dropFile(page: Page, name: string, text: string): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ({ name, text }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], name, { type: 'text/csv' }));
      return dt;
    },
    { name, text },
  );
  await page.dispatchEvent('main', 'dragenter', { dataTransfer });
  await expect(page.getByTestId('drop-overlay')).toBeVisible();
  await page.dispatchEvent('main', 'drop', { dataTransfer });
  await expect(page.getByTestId('drop-overlay')).toBeHidden();
}

/** `rows` 28×28 images in 10 classes, class k a bar at column 4 + 2k, as CSV text with a header (a file named
 *  like Fashion-MNIST's gets its class names). */
export function tenBarsCsv(rows: number): string {
  const header = ['label'];
  for (let r = 1; r <= 28; r++) for (let c = 1; c <= 28; c++) header.push(`${r}x${c}`);
  const lines = [header.join(',')];
  for (let i = 0; i < rows; i++) {
    const label = i % 10;
    const px = new Array<number>(784).fill(0);
    for (let r = 4; r < 24; r++) for (let c = 4 + label * 2; c < 8 + label * 2; c++) px[r * 28 + c] = 120 + ((i * 7 + r) % 130);
    lines.push([label, ...px].join(','));
  }
  return lines.join('\n') + '\n';
}
