import { test, expect } from '@playwright/test';
import { DEMO, checkA11y, ready, readMail, signIn, submit, visit } from './helpers';

// The demo data has a yearly attestation due in four weeks (Erik's 10011) and a certificate
// ending in four weeks (Oskar's 10013, who asked for letters): the daily job the server runs
// when it starts sends their reminders.

test('a reminder comes as a message and an email with its calendar file', async ({ page, context }, testInfo) => {
  await context.clearCookies();
  const mail = await readMail('erik.holm@example.se', 0, 'Förlängningspåminnelse');
  expect(mail.subject).toBe('Förlängningspåminnelse: Personcertifikat f-gas kat II');
  expect(mail.text).toContain('10011');
  const ics = mail.attachments.find((a) => a.filename === 'sista-dag.ics');
  expect(ics?.contentType).toBe('text/calendar');
  const calendar = ics?.content.toString('utf-8') ?? '';
  expect(calendar).toContain('BEGIN:VEVENT');
  expect(calendar).toMatch(/DTSTART;VALUE=DATE:\d{8}/);

  await signIn(page, testInfo, DEMO.holder);
  await visit(page, testInfo, '/my/messages');
  const message = page.getByTestId('message').filter({ hasText: 'Förlängningspåminnelse' });
  await expect(message).toHaveCount(1);
  await expect(message).toContainText('10011');
  await checkA11y(page, testInfo);
});

test('staff post the letters of those who asked for letters, once', async ({ page, context }, testInfo) => {
  await context.clearCookies();
  await signIn(page, testInfo, DEMO.handler);
  await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Brev' }).click();
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Brev att posta');
  const letter = page.getByTestId('letter').filter({ hasText: '10013' });
  await expect(letter).toContainText('Förnyelsepåminnelse');
  await expect(letter).toContainText('Oskar');
  await expect(letter).toContainText('Exempelgatan 1');
  // The letter's text, in Oskar's language, for staff to print.
  await letter.getByText('Brevets text').click();
  await expect(letter.getByTestId('letter-text')).toContainText('10013, gäller till');
  await checkA11y(page, testInfo);

  await letter.getByRole('button', { name: 'Markera som postat' }).click();
  await ready(page, testInfo);
  await expect(page.getByRole('status')).toHaveText('Brevet är markerat som postat.');
  await expect(page.getByTestId('letter').filter({ hasText: '10013' })).toHaveCount(0);

  await page.getByRole('link', { name: 'Postade' }).click();
  await ready(page, testInfo);
  await expect(page.getByTestId('letter').filter({ hasText: '10013' })).toContainText('Postat');
});

test('a body administrator keeps a scheme reminder rules; a handler reads them', async ({ page, context }, testInfo) => {
  await context.clearCookies();
  await signIn(page, testInfo, DEMO.admin);
  await visit(page, testInfo, '/staff/schemes');
  await page.getByRole('link', { name: 'F-Gaser - Personcertifikat f-gas kat I', exact: true }).click();
  await ready(page, testInfo);
  await page.getByTestId('reminders-link').click();
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Påminnelser');
  await expect(page.getByTestId('defaults')).toBeVisible();
  const renewal = page.getByLabel('Förnyelsepåminnelse');
  await expect(renewal).toHaveValue('6, 3, 1');

  await renewal.fill('6, 3, 99');
  await submit(page, testInfo, 'Spara');
  await expect(page.getByTestId('error-summary')).toContainText('Förnyelsepåminnelse: ange hela tal från 1 till 24');
  await expect(page.getByLabel('Förnyelsepåminnelse')).toHaveValue('6, 3, 99');
  await checkA11y(page, testInfo);

  await page.getByLabel('Förnyelsepåminnelse').fill('1 4 2');
  await submit(page, testInfo, 'Spara');
  await expect(page.getByRole('status')).toHaveText('Påminnelserna är sparade.');
  await expect(page.getByLabel('Förnyelsepåminnelse')).toHaveValue('4, 2, 1');
  await expect(page.getByTestId('defaults')).toHaveCount(0);
  const address = page.url();

  await context.clearCookies();
  await signIn(page, testInfo, DEMO.handler);
  await visit(page, testInfo, new URL(address).pathname);
  await expect(page.getByTestId('reminder-rules')).toContainText('4, 2, 1 månader');
  await expect(page.getByRole('button', { name: 'Spara' })).toHaveCount(0);
});
