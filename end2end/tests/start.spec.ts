import { test, expect } from '@playwright/test';
import { checkA11y, ready, visit } from './helpers';

test('the start page is Swedish and switches to English and back', async ({ page, context }, testInfo) => {
  await context.clearCookies();
  const response = await visit(page, testInfo, '/');
  expect(response?.status()).toBe(200);
  await expect(page.locator('html')).toHaveAttribute('lang', 'sv');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Personcertifiering, enkelt och säkert');
  await expect(page.getByRole('navigation', { name: 'Huvudmeny' })).toBeVisible();

  await page.getByTestId('lang-switch').click();
  await expect(page).toHaveURL(/\/$/);
  await ready(page, testInfo);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Personnel certification, simple and secure');
  await expect(page.getByTestId('lang-switch')).toHaveText(/På svenska/);
  await checkA11y(page, testInfo);

  // The choice sticks from page to page.
  await visit(page, testInfo, '/login');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');

  await page.getByTestId('lang-switch').click();
  await expect(page).toHaveURL(/\/login$/);
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Logga in');
});

test('an unknown address shows the not-found page', async ({ page, context }, testInfo) => {
  await context.clearCookies();
  const response = await visit(page, testInfo, '/finns-inte');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sidan kunde inte hittas');
  await page.getByRole('link', { name: 'Gå till startsidan' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Personcertifiering, enkelt och säkert');
});

test('the layout fits a 320 px wide phone', async ({ page, context }, testInfo) => {
  await context.clearCookies();
  await page.setViewportSize({ width: 320, height: 640 });
  await visit(page, testInfo, '/');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
