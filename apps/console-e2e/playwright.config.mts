import { defineConfig } from '@playwright/test';

/**
 * Browser tests of the console against the real API. The API (serving the built console at /)
 * is started by the global setup in src/support when present; BASE_URL points elsewhere.
 * Debian's Chromium only: never a browser download.
 */
const baseURL = process.env['BASE_URL'] ?? 'http://127.0.0.1:8080';
const executablePath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: './src',
  globalSetup: './src/support/global-setup.ts',
  testMatch: '**/*.spec.ts',
  outputDir: '../../dist/.playwright/apps/console-e2e/test-output',
  fullyParallel: false,
  workers: 1,
  // no retries: a test that needs one is flaky, and a retry would hide it
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL,
    headless: true,
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});
