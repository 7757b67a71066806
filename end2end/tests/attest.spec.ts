import { test, expect, type Page } from '@playwright/test';
import { DEMO, checkA11y, nav, ready, readMail, signIn, signOut, submit } from './helpers';

const row = (page: Page, number: string) =>
  page.getByTestId('certificate-row').filter({ has: page.getByRole('cell', { name: number, exact: true }) });

const nextYear = (date: string) => `${Number(date.slice(0, 4)) + 1}${date.slice(4)}`;

test('a company admin attests three employees\u2019 certificates; their dates move one year', async ({ page, context }, testInfo) => {
  await context.clearCookies();
  const started = Date.now() - 1000;
  await signIn(page, testInfo, DEMO.companyAdmin);
  await nav(page, testInfo, 'Företag');
  await page.getByRole('link', { name: 'Kylteknik i Karlskrona AB' }).click();
  await ready(page, testInfo);
  await page.getByTestId('tab-employee_certificates').click();
  await ready(page, testInfo);
  await checkA11y(page, testInfo);

  // The admin's own certificate cannot be ticked, and says why.
  await expect(row(page, '10001').getByRole('checkbox')).toBeDisabled();
  await expect(row(page, '10001').getByTestId('blocked')).toContainText('Man kan inte intyga sin egen yrkesaktivitet');

  const chosen = ['10002', '10004', '10006'];
  const before: Record<string, string> = {};
  for (const n of chosen) {
    before[n] = (await row(page, n).locator('td').nth(6).innerText()).trim();
    await row(page, n).getByRole('checkbox').check();
  }
  await submit(page, testInfo, 'Intyga yrkesaktivitet');
  // The confirmation lists them.
  await expect(page.getByRole('heading', { name: 'Intyga yrkesaktivitet' })).toBeVisible();
  for (const n of chosen) await expect(page.getByTestId('confirm-list')).toContainText(n);
  await checkA11y(page, testInfo);
  await page.getByTestId('confirm-attest').click();
  await ready(page, testInfo);
  await expect(page.getByTestId('done')).toContainText('Yrkesaktiviteten är intygad för 3 certifikat');
  for (const n of chosen) {
    await expect(row(page, n).locator('td').nth(6)).toHaveText(nextYear(before[n]));
  }
  await checkA11y(page, testInfo);

  const mail = await readMail('certifierad@certportal.localhost', started);
  expect(mail.subject).toBe('Din yrkesaktivitet är intygad');
  expect(mail.text).toContain('10002');

  // The holder sees the new date and the event on the certificate.
  await signOut(page, testInfo);
  await signIn(page, testInfo, DEMO.holder);
  await nav(page, testInfo, 'Mina sidor');
  await expect(page.getByTestId('my-certificates')).toContainText(nextYear(before['10002']));
  await page.getByRole('link', { name: 'F-Gaser - Personcertifikat f-gas kat I', exact: true }).click();
  await ready(page, testInfo);
  await expect(page.getByTestId('certificate-facts')).toContainText(nextYear(before['10002']));
  await expect(page.getByTestId('event-log')).toContainText('Yrkesaktivitet intygad');
  await checkA11y(page, testInfo);
});
