import { test, expect } from '@playwright/test';
import { DEMO, checkA11y, ready, signIn, visit } from './helpers';

test('signing in, a wrong password, and signing out', async ({ page, context }, testInfo) => {
  await context.clearCookies();
  await visit(page, testInfo, '/login');
  await page.getByLabel('Användarnamn eller e-postadress').fill(DEMO.admin.username);
  await page.getByLabel('Lösenord', { exact: true }).fill('fel-lösenord');
  await page.getByRole('button', { name: 'Logga in' }).click();
  await ready(page, testInfo);
  await expect(page.getByTestId('error-summary')).toContainText('Fel användarnamn eller lösenord');
  await checkA11y(page, testInfo);

  await signIn(page, testInfo, DEMO.admin);
  await expect(page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Utkorg' })).toBeVisible();

  await page.getByTestId('logout').click();
  await ready(page, testInfo);
  await expect(page.getByTestId('login-link')).toBeVisible();
  await expect(page.getByTestId('account-link')).toHaveCount(0);
});

test('a weak new password is refused with a message for each rule', async ({ page, context }, testInfo) => {
  await context.clearCookies();
  await signIn(page, testInfo, DEMO.handler);
  await visit(page, testInfo, '/account');
  await page.getByLabel('Nuvarande lösenord').fill(DEMO.handler.password);
  await page.getByLabel('Nytt lösenord', { exact: true }).fill('kort');
  await page.getByLabel('Bekräfta nytt lösenord').fill('kort');
  await page.getByRole('button', { name: 'Ändra lösenord' }).click();
  await ready(page, testInfo);
  const summary = page.getByTestId('error-summary');
  await expect(summary).toContainText('Lösenordet måste bestå av minst 12 tecken');
  await expect(summary).toContainText('Lösenordet måste innehålla minst en stor bokstav');
  await expect(summary).toContainText('Lösenordet måste innehålla minst en siffra eller ett specialtecken');
  await expect(summary).not.toContainText('minst en liten bokstav');
  await checkA11y(page, testInfo);

  // Reusing the current password breaks the history rule.
  await page.getByLabel('Nuvarande lösenord').fill(DEMO.handler.password);
  await page.getByLabel('Nytt lösenord', { exact: true }).fill(DEMO.handler.password);
  await page.getByLabel('Bekräfta nytt lösenord').fill(DEMO.handler.password);
  await page.getByRole('button', { name: 'Ändra lösenord' }).click();
  await ready(page, testInfo);
  await expect(page.getByTestId('error-summary')).toContainText('de sju senaste gångerna');
});
