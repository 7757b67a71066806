import { test, expect, type Page } from '@playwright/test';
import { DEMO, checkA11y, jsEnabled, nav, ready, readMail, signIn, signOut, submit } from './helpers';

const row = (page: Page, number: string) =>
  page.getByTestId('certificate-row').filter({ has: page.getByRole('cell', { name: number, exact: true }) });

const nextYear = (date: string) => `${Number(date.slice(0, 4)) + 1}${date.slice(4)}`;
// Today in Sweden, as the portal dates its attestations (sv-SE writes dates as YYYY-MM-DD).
const today = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });

async function employeesCertificates(page: Page, testInfo: Parameters<typeof ready>[1]) {
  await nav(page, testInfo, 'Företag');
  await page.getByRole('link', { name: 'Kylteknik i Karlskrona AB' }).click();
  await ready(page, testInfo);
  await page.getByTestId('tab-employee_certificates').click();
  await ready(page, testInfo);
}

test('a company admin attests three employees\u2019 certificates once; a double submission moves them once', async ({ page, context }, testInfo) => {
  await context.clearCookies();
  const started = Date.now() - 1000;
  await signIn(page, testInfo, DEMO.companyAdmin);
  await employeesCertificates(page, testInfo);
  await checkA11y(page, testInfo);

  // The admin's own certificate cannot be ticked, and says why.
  await expect(row(page, '10001').getByRole('checkbox')).toBeDisabled();
  await expect(row(page, '10001').getByTestId('blocked')).toContainText('Man kan inte intyga sin egen yrkesaktivitet');

  const chosen = ['10003', '10004', '10006'];
  const before: Record<string, string> = {};
  for (const n of chosen) {
    before[n] = (await row(page, n).locator('td').nth(6).innerText()).trim();
    await row(page, n).getByRole('checkbox').check();
  }
  await submit(page, testInfo, 'Intyga yrkesaktivitet');
  // The confirmation lists them, each with the date it moves to.
  await expect(page.getByRole('heading', { name: 'Intyga yrkesaktivitet' })).toBeVisible();
  const confirm = page.getByTestId('confirm-list');
  for (const n of chosen) await expect(confirm).toContainText(n);
  await expect(confirm.getByRole('row', { name: /10004/ })).toContainText(nextYear(before['10004']));
  await checkA11y(page, testInfo);

  // A double click sends the form twice: the second changes nothing.
  await page.getByTestId('confirm-attest').dblclick();
  await ready(page, testInfo);
  await employeesCertificates(page, testInfo);
  for (const n of ['10004', '10006']) {
    await expect(row(page, n).locator('td').nth(6)).toHaveText(nextYear(before[n]));
  }
  // Long overdue (inactive), it moves a year from today; active again.
  await expect(row(page, '10003')).toContainText('Aktivt');
  // Now attested this period: it cannot be ticked again, and says when it was.
  await expect(row(page, '10004').getByRole('checkbox')).toBeDisabled();
  await expect(row(page, '10004').getByTestId('blocked')).toContainText(`Redan intygad ${today()}`);

  // Sent again by hand (back, and the form once more): refused with the reason, nothing moves.
  await page.goto(`${page.url().split('?')[0]}/attest?id=${encodeURIComponent(await row(page, '10004').getByRole('checkbox').getAttribute('value') ?? '')}`);
  await ready(page, testInfo);
  await expect(page.getByTestId('error-summary')).toContainText(`Redan intygad ${today()}`);
  await expect(page.getByTestId('confirm-attest')).toHaveCount(0);

  const mail = await readMail('erik.holm@example.se', started);
  expect(mail.subject).toBe('Din yrkesaktivitet är intygad');
  expect(mail.text).toContain('10003');

  // The holder sees the new date, the event in words and a message.
  await signOut(page, testInfo);
  await signIn(page, testInfo, DEMO.holder);
  await expect(page.getByTestId('my-certificates')).toBeVisible();
  await page.getByRole('link', { name: 'F-Gaser - Personcertifikat f-gas kat IV', exact: true }).click();
  await ready(page, testInfo);
  await expect(page.getByTestId('event-log')).toContainText('Yrkesaktivitet intygad');
  await expect(page.getByTestId('event-log')).toContainText('Intygad av Kylteknik i Karlskrona AB: förläng senast flyttat från');
  await expect(page.getByTestId('event-log')).not.toContainText('company:');
  await checkA11y(page, testInfo);
  await page.goto('/my/messages');
  await ready(page, testInfo);
  await expect(page.getByTestId('message').first()).toContainText('Kylteknik i Karlskrona AB har intygat din yrkesaktivitet');
});

test('the admin asks chosen employees to have their activity attested by someone else', async ({ page, context }, testInfo) => {
  await context.clearCookies();
  const started = Date.now() - 1000;
  await signIn(page, testInfo, DEMO.companyAdmin);
  await employeesCertificates(page, testInfo);
  await row(page, '10005').getByRole('checkbox').check();
  await page.getByTestId('ask').click();
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { name: 'Be om intygande' })).toBeVisible();
  await expect(page.getByTestId('confirm-list')).toContainText('Maria Sund');
  await checkA11y(page, testInfo);
  await page.getByTestId('confirm-ask').click();
  await ready(page, testInfo);
  await expect(page.getByTestId('done')).toContainText('Förfrågan är skickad för 1 certifikat');
  await expect(page.getByTestId('done')).toContainText('10005, Maria Sund');
  const mail = await readMail('maria.sund@example.se', started);
  expect(mail.subject).toBe('Din arbetsgivare ber dig ordna intygande av yrkesaktivitet');
  // The company's log says what was done, as a sentence.
  await page.getByTestId('tab-events').click();
  await ready(page, testInfo);
  await expect(page.getByTestId('event-log')).toContainText('Anställda ombedda att ordna intygande');
});

test('“Markera alla” ticks every certificate that can be attested, and only those', async ({ page, context }, testInfo) => {
  await context.clearCookies();
  await signIn(page, testInfo, DEMO.companyAdmin);
  await employeesCertificates(page, testInfo);
  if (jsEnabled(testInfo)) {
    // With JavaScript the box in the table's header does it in place.
    await page.getByRole('columnheader').getByRole('checkbox', { name: 'Markera alla' }).check();
  } else {
    // Without, the link reloads the list with every box ticked.
    await page.getByTestId('select-all').click();
    await ready(page, testInfo);
  }
  const boxes = page.getByTestId('certificate-row').getByRole('checkbox');
  const count = await boxes.count();
  expect(count).toBeGreaterThan(1);
  for (let i = 0; i < count; i++) {
    const box = boxes.nth(i);
    if (await box.isDisabled()) await expect(box).not.toBeChecked();
    else await expect(box).toBeChecked();
  }
  await expect(row(page, '10001').getByRole('checkbox')).not.toBeChecked();
});
