// Fixtures shared by every spec: `appPage` is the app's window, either a browser-mode page in Debian's
// Chromium (project 'browser') or the real Electron window (project 'electron', skipped without a binary).
import { test as base, _electron, type ElectronApplication, type Page, type PlaywrightWorkerArgs, type TestInfo } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronBinary } from '../scripts/electron-binary.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Debian's Chromium here and in .ci/run; elsewhere (e.g. GitHub runners) Playwright's own build. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];

export interface WebServerHandle {
  url: string;
  origin: string;
  dataDir: string;
  output: () => string;
}

/** Starts `node out/main/web.js` on a free port with a fresh data folder (removed when it stops), or with the
 *  given one (kept: a restart of the app); resolves once it prints its URL. */
export async function startWebServer(keptDataDir?: string): Promise<WebServerHandle & { stop: (signal?: NodeJS.Signals) => Promise<void> }> {
  const dataDir = keptDataDir ?? mkdtempSync(join(tmpdir(), 'mlp-e2e-'));
  const child: ChildProcess = spawn(process.execPath, [join(root, 'out/main/web.js'), '--port', '0', '--data-dir', dataDir], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, MLP_EXIT_WITH_PARENT: '1' },
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`web server did not start:\n${output}`)), 20_000);
    const check = () => {
      const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[0]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => reject(new Error(`web server exited with ${code}:\n${output}`)));
  });
  return {
    url,
    origin: new URL(url).origin,
    dataDir,
    output: () => output,
    /** Ends the server with `signal` (a quit: SIGTERM; a closed terminal: SIGHUP) and waits for it to exit. */
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill(signal);
        await exited;
      }
      if (!keptDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface RestartableApp {
  page: Page;
  dataDir: string;
  /** The server running now. */
  server: () => WebServerHandle;
  /** Stops the server and starts it again on the same data folder; the page goes to its new address. */
  restart: () => Promise<void>;
}

/** Runs `body` with a page (1366×768) on a browser-mode server of its own that it can restart (an app restarted
 *  on the same data folder); the browser, the server and the folder go afterwards. */
export async function withRestartableApp(playwright: PlaywrightWorkerArgs['playwright'], body: (app: RestartableApp) => Promise<void>): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mlp-e2e-restart-'));
  const browser = await playwright.chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  let server = await startWebServer(dataDir);
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(server.url);
    const restart = async () => {
      await server.stop();
      server = await startWebServer(dataDir);
      await page.goto(server.url);
    };
    await body({ page, dataDir, server: () => server, restart });
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

interface Fixtures {
  appPage: Page;
}
interface WorkerFixtures {
  server: WebServerHandle;
}

export const test = base.extend<Fixtures, WorkerFixtures>({
  server: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const server = await startWebServer();
      await use(server);
      await server.stop();
    },
    { scope: 'worker' },
  ],
  appPage: async ({ playwright, server }, use, testInfo) => {
    if (testInfo.project.name === 'electron') {
      const binary = findElectronBinary();
      test.skip('missing' in binary, `Electron e2e skipped: ${'missing' in binary ? binary.missing : ''}. These specs run against real Electron where its binary exists (a user's machine, online CI).`);
      if (!('path' in binary)) return;
      const dataDir = mkdtempSync(join(tmpdir(), 'mlp-e2e-electron-'));
      const app: ElectronApplication = await _electron.launch({
        executablePath: binary.path,
        args: [...(process.platform === 'linux' ? ['--no-sandbox'] : []), root, `--user-data-dir=${dataDir}`],
        env: { ...process.env, MLP_STUDIO_E2E: '1' },
      });
      const window = await app.firstWindow();
      await use(window);
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
      return;
    }
    const browser = await playwright.chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(server.url);
    await use(page);
    await context.close();
    await browser.close();
    if (errors.length) throw new Error(`uncaught errors in the page:\n${errors.join('\n')}`);
  },
});

export { expect } from '@playwright/test';

/** Saves a screenshot under test-results/screenshots/ (kept as a CI artifact) and attaches it to the report. */
export async function screenshot(page: Page, name: string, testInfo: TestInfo): Promise<string> {
  const path = join(root, 'test-results', 'screenshots', `${name}-${testInfo.project.name}.png`);
  await page.screenshot({ path, fullPage: false });
  await testInfo.attach(name, { path, contentType: 'image/png' });
  return path;
}
