// Browser mode's uploads across a restart (the server stopped and started again on the same data folder): the
// upload a run trained on is kept, and its name under Recent opens it again without uploading it; the
// upload nothing needs is removed at the start, which says so.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { dropFile, tenBarsCsv } from './drop';
import { expect, test, withRestartableApp } from './fixtures';
import { chooseInTrain, trainStandard } from './runs';

test("after a restart, a run's uploaded data opens again from Recent; an upload nothing needs is gone", async ({ playwright }, testInfo) => {
  test.skip(testInfo.project.name !== 'browser', 'browser mode only: the test restarts the server');
  test.setTimeout(120_000);
  await withRestartableApp(playwright, async ({ page, dataDir, server, restart }) => {
    const uploads = () => readdirSync(join(dataDir, 'uploads')).filter((n) => /^[0-9a-f]{64}$/.test(n));
    await page.getByRole('tab', { name: 'Data' }).click();
    await dropFile(page, 'bars.csv', tenBarsCsv(300));
    await expect(page.getByTestId('dataset-name')).toHaveText('bars.csv', { timeout: 30_000 });
    await dropFile(page, 'unused.csv', tenBarsCsv(200));
    await expect(page.getByTestId('dataset-name')).toHaveText('unused.csv', { timeout: 30_000 });
    await chooseInTrain(page, 'bars.csv');
    await trainStandard(page, 1, 1);
    expect(uploads()).toHaveLength(2); // both open

    await restart();
    await expect.poll(() => server().output()).toMatch(/uploads: removed 1 file no saved run needs \([\d.]+ kB freed\)/);
    expect(server().output()).toMatch(/uploads: kept 1 file \([\d.]+ kB\): the data of saved runs/);
    expect(uploads()).toHaveLength(1);

    await page.getByRole('tab', { name: 'Data' }).click();
    const recent = page.locator('section.recent');
    await expect(recent.getByText('unused.csv', { exact: true })).toBeVisible(); // listed, no longer stored
    await expect(recent.getByRole('button', { name: 'unused.csv', exact: true })).toHaveCount(0);
    await recent.getByRole('button', { name: 'bars.csv', exact: true }).click();
    await expect(page.getByTestId('dataset-name')).toHaveText('bars.csv', { timeout: 30_000 });
    await page.getByRole('tab', { name: 'Evaluate' }).click();
    await page.getByTestId('confusion-matrix').locator('td button').first().click();
    await expect(page.getByTestId('cell-examples')).not.toContainText('is not open');
    await expect(page.getByTestId('cell-examples').locator('canvas, img').first()).toBeVisible();
  });
});
