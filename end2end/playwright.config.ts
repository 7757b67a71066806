import { defineConfig } from '@playwright/test';

// Every spec runs twice: with JavaScript (the hydrated app) and without (plain HTML forms).
// The server is the release build on a fresh database; run.sh starts it and sets BASE_URL.
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
  ],
};

export default defineConfig({
  testDir: './tests',
  // Specs that move the portal's time (`*.clock.spec.ts`) run on a server of their own, started
  // with the test clock (run.sh sets E2E_CLOCK for that run); the others never meet them.
  testMatch: process.env.E2E_CLOCK ? '**/*.clock.spec.ts' : '**/*.spec.ts',
  testIgnore: process.env.E2E_CLOCK ? [] : ['**/*.clock.spec.ts'],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: process.env.BASE_URL ?? 'http://127.0.0.1:3000',
    launchOptions: chromium,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'js', use: { javaScriptEnabled: true } },
    { name: 'no-js', use: { javaScriptEnabled: false } },
  ],
});
