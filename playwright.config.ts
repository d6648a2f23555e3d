import { defineConfig } from '@playwright/test';

// Two projects run the same specs: 'browser' drives browser mode (`npm run web`) in Debian's Chromium;
// 'electron' drives the real app through _electron.launch and skips itself where no Electron binary exists.
export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'reports/e2e.json' }]],
  projects: [{ name: 'browser' }, { name: 'electron' }],
});
