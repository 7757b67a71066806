import { test, expect } from '@playwright/test';
import { DEMO, checkA11y, ready, signIn, visit } from './helpers';

test('a test email is validated, queued and delivered to the built-in mailbox', async ({ page, context }, testInfo) => {
  await context.clearCookies();
  await signIn(page, testInfo, DEMO.handler);
  await visit(page, testInfo, '/outbox');
  const email = page.getByLabel('E-postadress');

  await email.fill('inte-en-adress');
  await page.getByRole('button', { name: 'Skicka testmeddelande' }).click();
  await ready(page, testInfo);
  const summary = page.getByTestId('error-summary');
  await expect(summary).toContainText('Det finns ett problem');
  await expect(summary).toContainText('Ange en e-postadress i rätt format');
  await expect(page.getByLabel('E-postadress')).toHaveValue('inte-en-adress');
  await checkA11y(page, testInfo);

  const to = `${testInfo.project.name}.${Date.now()}@exempel.se`;
  await page.getByLabel('E-postadress').fill(to);
  await page.getByRole('button', { name: 'Skicka testmeddelande' }).click();
  await ready(page, testInfo);
  await expect(page.getByRole('row', { name: new RegExp(to.replace(/\./g, '\\.')) })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Testmeddelandet har lagts i utkorgen.' })).toBeVisible();

  // The worker delivers it to the built-in mailbox within a few seconds.
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole('row', { name: new RegExp(to.replace(/\./g, '\\.')) })).toContainText('Skickat');
  }).toPass({ timeout: 20_000 });

  await page.getByRole('row', { name: new RegExp(to.replace(/\./g, '\\.')) }).getByRole('link').click();
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Testmeddelande från Certportal');
  await expect(page.getByTestId('email-text')).toContainText('Hej,', { useInnerText: false });
  await checkA11y(page, testInfo);
});

test('the outbox is for staff: a visitor is asked to sign in', async ({ page, context }, testInfo) => {
  await context.clearCookies();
  const response = await visit(page, testInfo, '/outbox');
  expect(response?.status()).toBe(401);
  await expect(page.getByText('Du behöver logga in.')).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Utkorg' })).toHaveCount(0);
});
