import { test, expect } from '@playwright/test';
import { DEMO, checkA11y, ready, readMail, signIn, visit } from './helpers';

test('a handler creates an account, which activates through the emailed link', async ({ page, context }, testInfo) => {
  await context.clearCookies();
  const started = Date.now() - 1000;
  const username = `karin.${testInfo.project.name}`;
  const email = `${username}@exempel.se`;
  await signIn(page, testInfo, DEMO.handler);
  await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Konton' }).click();
  await ready(page, testInfo);
  await checkA11y(page, testInfo);
  await page.getByRole('link', { name: 'Nytt konto' }).click();
  await ready(page, testInfo);
  await checkA11y(page, testInfo);

  // Bad input: a message per field, nothing created.
  await page.getByLabel('Användarnamn').fill('två ord');
  await page.getByLabel('E-postadress').fill('inte-en-adress');
  await page.getByRole('button', { name: 'Skapa konto och skicka e-post' }).click();
  await ready(page, testInfo);
  const summary = page.getByTestId('error-summary');
  await expect(summary).toContainText('Användarnamnet ska vara 1–64 tecken utan mellanslag');
  await expect(summary).toContainText('Ange ett namn');
  await expect(summary).toContainText('Ange en e-postadress i rätt format');
  // What was typed is still there, with and without JavaScript.
  await expect(page.getByLabel('Användarnamn')).toHaveValue('två ord');
  await expect(page.getByLabel('E-postadress')).toHaveValue('inte-en-adress');
  // A handler is not offered the staff roles.
  await expect(page.getByLabel('Roll').locator('option')).toHaveText([
    'Certifierad person', 'Företagsadministratör', 'Utbildningsleverantör',
  ]);

  await page.getByLabel('Användarnamn').fill(username);
  await page.getByLabel('Namn', { exact: true }).fill('Karin Berg');
  await page.getByLabel('E-postadress').fill(email);
  await page.getByLabel('Roll').selectOption('holder');
  await page.getByRole('button', { name: 'Skapa konto och skicka e-post' }).click();
  await ready(page, testInfo);
  await expect(page.getByTestId('account-created')).toContainText(username);

  const mail = await readMail(email, started);
  expect(mail.subject).toBe('Aktivera ditt konto i Certportal');
  const link = mail.text?.match(/https?:\/\/\S+\/reset-password\?token=\S+/)?.[0];
  expect(link, mail.text).toBeTruthy();

  await context.clearCookies();
  await visit(page, testInfo, new URL(link!).pathname + new URL(link!).search);
  await page.getByLabel('Nytt lösenord', { exact: true }).fill('Skärgård-Måsar-Flyger-71');
  await page.getByLabel('Bekräfta nytt lösenord').fill('Skärgård-Måsar-Flyger-71');
  await page.getByRole('button', { name: 'Spara nytt lösenord' }).click();
  await ready(page, testInfo);
  await expect(page.getByTestId('reset-done')).toBeVisible();
  await signIn(page, testInfo, { username, password: 'Skärgård-Måsar-Flyger-71', name: 'Karin Berg' });
});
