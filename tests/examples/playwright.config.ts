import { defineConfig, devices, type ReporterDescription } from '@playwright/test';

const PORT = Number(process.env.SHOP_PORT ?? 4173);

// PW_REPORTERS=list,json,junit picks reporters; json/junit write to
// PLAYWRIGHT_JSON_OUTPUT_NAME / PLAYWRIGHT_JUNIT_OUTPUT_NAME (stdout if unset).
const reporter = (process.env.PW_REPORTERS ?? 'list')
  .split(',')
  .filter(Boolean)
  .map((name) => [name.trim()] as ReporterDescription);

export default defineConfig({
  testDir: './playwright',
  timeout: 15_000,
  expect: { timeout: 2_000 },
  retries: 1,
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  reporter,
  use: {
    ...devices['Desktop Chrome'],
    baseURL: `http://127.0.0.1:${PORT}`,
    actionTimeout: 2_000,
    navigationTimeout: 5_000,
    trace: 'off',
    launchOptions: {
      // Debian's Chromium; Playwright never downloads a browser here.
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `python3 shop_server.py --port ${PORT}`,
    url: `http://127.0.0.1:${PORT}/index.html`,
    // A fresh server each run: its stock cache must start cold (see shop_server.py).
    reuseExistingServer: false,
    timeout: 10_000,
  },
});
