import { test, expect } from '@playwright/test';
import { checkA11y, ready, readMail, visit } from './helpers';

// run.sh creates the account `glomsk` for this spec; each project resets its password.
test('a forgotten password is reset through the emailed link, which then is spent', async ({ page, context }, testInfo) => {
  await context.clearCookies();
  const started = Date.now() - 1000;
  await visit(page, testInfo, '/login');
  await page.getByRole('link', { name: 'Jag har glömt mitt lösenord' }).click();
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Glömt lösenord');
  await checkA11y(page, testInfo);
  await page.getByLabel('Användarnamn eller e-postadress').fill('glomsk');
  await page.getByRole('button', { name: 'Skicka länk' }).click();
  await ready(page, testInfo);
  await expect(page.getByTestId('forgot-sent')).toBeVisible();

  const mail = await readMail('glomsk@exempel.se', started);
  expect(mail.subject).toBe('Välj ett nytt lösenord för Certportal');
  const link = mail.text?.match(/https?:\/\/\S+\/reset-password\?token=\S+/)?.[0];
  expect(link, mail.text).toBeTruthy();
  expect(mail.html).toContain('Välj ett nytt lösenord');

  const path = new URL(link!).pathname + new URL(link!).search;
  await visit(page, testInfo, path);
  await page.getByLabel('Nytt lösenord', { exact: true }).fill('kort');
  await page.getByLabel('Bekräfta nytt lösenord').fill('kort');
  await page.getByRole('button', { name: 'Spara nytt lösenord' }).click();
  await ready(page, testInfo);
  await expect(page.getByTestId('error-summary')).toContainText('Lösenordet måste bestå av minst 12 tecken');

  const fresh = `Nytt-${testInfo.project.name}-Lösenord-2026`;
  await page.getByLabel('Nytt lösenord', { exact: true }).fill(fresh);
  await page.getByLabel('Bekräfta nytt lösenord').fill(fresh);
  await page.getByRole('button', { name: 'Spara nytt lösenord' }).click();
  await ready(page, testInfo);
  await expect(page).toHaveURL(/\/login\?reset=1$/);
  await expect(page.getByTestId('reset-done')).toBeVisible();
  await checkA11y(page, testInfo);

  // The new password signs in.
  await page.getByLabel('Användarnamn eller e-postadress').fill('glomsk');
  await page.getByLabel('Lösenord', { exact: true }).fill(fresh);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page.getByTestId('account-link')).toContainText('Greta Glömsk');

  // The link is spent.
  await visit(page, testInfo, path);
  await page.getByLabel('Nytt lösenord', { exact: true }).fill('Ett-Annat-Lösenord-1');
  await page.getByLabel('Bekräfta nytt lösenord').fill('Ett-Annat-Lösenord-1');
  await page.getByRole('button', { name: 'Spara nytt lösenord' }).click();
  await ready(page, testInfo);
  await expect(page.getByTestId('error-summary')).toContainText('Länken är ogiltig eller har redan använts');

  // Signed in, she changes it once more on her account page, and the page says so.
  await visit(page, testInfo, '/account');
  await page.getByLabel('Nuvarande lösenord').fill(fresh);
  await page.getByLabel('Nytt lösenord', { exact: true }).fill(`${fresh}-Tre`);
  await page.getByLabel('Bekräfta nytt lösenord').fill(`${fresh}-Tre`);
  await page.getByRole('button', { name: 'Ändra lösenord' }).click();
  await ready(page, testInfo);
  await expect(page.getByRole('status').filter({ hasText: 'Ditt lösenord är ändrat' })).toBeVisible();
});
