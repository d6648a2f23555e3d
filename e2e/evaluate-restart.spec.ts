// Evaluate after a restart of the app (browser mode: the server stopped and started again on the same data
// folder): runs trained on a dropped file whose data is no longer open say so when a matrix cell is clicked,
// naming the run as the run list and the picker show it — two runs of the same settings told apart by seed.
import { dropFile, tenBarsCsv } from './drop';
import { expect, screenshot, test, withRestartableApp } from './fixtures';
import { chooseInTrain, trainStandard } from './runs';

test('after a restart, a cell whose data is not open names the run as shown (with its seed)', async ({ playwright }, testInfo) => {
  test.skip(testInfo.project.name !== 'browser', 'browser mode only: the test restarts the server');
  test.setTimeout(120_000);
  await withRestartableApp(playwright, async ({ page, restart }) => {
    await page.getByRole('tab', { name: 'Data' }).click();
    await dropFile(page, 'bars.csv', tenBarsCsv(300));
    await expect(page.getByTestId('dataset-name')).toHaveText('bars.csv', { timeout: 30_000 });
    await chooseInTrain(page, 'bars.csv');
    await trainStandard(page, 1, 1);
    await trainStandard(page, 1, 2);
    const own = (await page.getByTestId('run-row').first().locator('.name').textContent())!.trim().replace(/ · seed \d+$/, '');

    await restart();
    await page.getByRole('tab', { name: 'Evaluate' }).click();
    await expect(page.getByTestId('evaluate-run').locator('option:checked')).toHaveText(`${own} · seed 2 — bars.csv`);
    await page.getByTestId('confusion-matrix').locator('td button').first().click();
    const examples = page.getByTestId('cell-examples');
    // The server's message named it 'adam 0.001 · 128 relu', the name both runs share.
    await expect(examples).toContainText(`the data run '${own} · seed 2' trained on, is not open`);
    await screenshot(page, 'evaluate-restart-cell-1366', testInfo);
    await page.setViewportSize({ width: 1024, height: 700 });
    await examples.scrollIntoViewIfNeeded();
    await screenshot(page, 'evaluate-restart-cell-1024', testInfo);
  });
});
