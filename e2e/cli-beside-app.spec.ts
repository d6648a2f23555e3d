// The app and the command line on one data folder: a run the CLI starts while the app is open is listed in the
// app within seconds (it was not until a restart), saying which process trains it; once the CLI has stopped it,
// Continue in the app lists it again from its record and goes on from there.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, test, withRestartableApp } from './fixtures';
import { openTrain } from './runs';

test('a run the CLI starts beside the app is listed there, and continued there once the CLI has stopped it', async ({ playwright }, testInfo) => {
  test.skip(testInfo.project.name !== 'browser', 'browser mode only: the test runs the CLI on the server\'s data folder');
  test.setTimeout(120_000);
  await withRestartableApp(playwright, async ({ page, dataDir }) => {
    await openTrain(page);
    const cli = spawn(process.execPath, [join('out', 'main', 'cli.js'), 'train', '--iterations', '2000000', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    cli.stdout.on('data', (d: Buffer) => (output += d.toString()));
    cli.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const ended = new Promise((resolve) => cli.once('exit', resolve));
    try {
      const row = page.getByTestId('run-row').first();
      await expect(row).toBeVisible({ timeout: 30_000 });
      await expect(row).toContainText(`being trained by another MLP Studio process (the command line, pid ${cli.pid})`);
      await expect.poll(() => /epoch|step/.test(output), { timeout: 30_000 }).toBe(true); // it trains
      cli.kill('SIGINT'); // stopped after its current step, and saved
      await ended;
      await row.getByTestId('run-continue').click();
      await expect(row).toHaveAttribute('data-status', 'running', { timeout: 30_000 });
      await expect(row).not.toContainText('being trained by another');
      await row.getByTestId('run-stop').click();
      await expect(row).toHaveAttribute('data-status', 'stopped', { timeout: 30_000 });
    } finally {
      cli.kill('SIGKILL');
    }
  });
});
