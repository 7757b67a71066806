import { test, expect, type Page, type TestInfo } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO, PDF, checkA11y, nav, readMail, ready, signIn, signOut, submit, visit } from './helpers';

const PROVIDER = DEMO.provider;
const COURSE = 'Kylmaskiner och säkerhet';
const CERT = 'Intyg kylmaskiner';

/** The provider's booking of Erik Holm on the walk's course. */
async function openBooking(page: Page, testInfo: TestInfo) {
  await nav(page, testInfo, 'Utbildningar');
  await page.getByTestId('booking-row').filter({ hasText: COURSE }).getByRole('link', { name: 'Erik Holm' }).click();
  await ready(page, testInfo);
}

async function changeStatus(page: Page, testInfo: TestInfo, status: string, label: string) {
  await page.getByTestId('status-select').selectOption(status);
  await submit(page, testInfo, 'Ändra');
  await expect(page.getByTestId('done')).toContainText('Deltagandestatusen är ändrad');
  await expect(page.getByTestId('booking-status').first()).toHaveText(label);
}

test('a course from booking to a withdrawn certificate: provider, employer and participant', async ({ page, context }, testInfo) => {
  await context.clearCookies();
  // The provider adds a course and its graded certification.
  await signIn(page, testInfo, PROVIDER);
  await nav(page, testInfo, 'Utbildningar');
  await page.getByTestId('new-course').click();
  await page.getByTestId('course-form').getByLabel('Utbildning', { exact: true }).fill(COURSE);
  await page.getByLabel('Pris').fill('tusen');
  await submit(page, testInfo, 'Spara utbildningen');
  await expect(page.getByText('Ange priset i hela kronor').first()).toBeVisible();
  await page.getByLabel('Pris').fill('8900');
  await submit(page, testInfo, 'Spara utbildningen');
  await expect(page.getByTestId('done')).toContainText('Utbildningen är sparad');
  await page.getByLabel('Certifikatets namn').fill(CERT);
  await page.getByLabel('Certifikatet visar betyg eller poäng').check();
  await submit(page, testInfo, 'Lägg till en certifiering');
  await expect(page.getByTestId('done')).toContainText('Certifieringen är sparad');
  await checkA11y(page, testInfo);
  await signOut(page, testInfo);

  // The company admin books Erik Holm; the same form again changes nothing.
  await signIn(page, testInfo, DEMO.companyAdmin);
  await nav(page, testInfo, 'Företag');
  await page.getByRole('link', { name: 'Kylteknik i Karlskrona AB' }).click();
  await ready(page, testInfo);
  await page.getByTestId('company-training').click();
  await ready(page, testInfo);
  await checkA11y(page, testInfo);
  await submit(page, testInfo, 'Boka');
  await expect(page.getByText('Välj en anställd').first()).toBeVisible();
  await page.getByTestId('book-employee').selectOption({ label: 'Erik Holm' });
  const option = page.getByTestId('book-course').locator('option', { hasText: COURSE });
  await page.getByTestId('book-course').selectOption((await option.getAttribute('value'))!);
  await submit(page, testInfo, 'Boka');
  await expect(page.getByTestId('done')).toContainText('status Okänt');
  const row = () => page.getByTestId('company-bookings').getByTestId('booking-row').filter({ hasText: COURSE });
  await expect(row()).toContainText('Okänt');
  await page.getByTestId('book-employee').selectOption({ label: 'Erik Holm' });
  await page.getByTestId('book-course').selectOption((await option.getAttribute('value'))!);
  await submit(page, testInfo, 'Boka');
  await expect(page.getByTestId('done')).toContainText('redan bokad');
  await expect(row()).toHaveCount(1);
  await signOut(page, testInfo);

  // The provider accepts (Anmäld), then Startat, Fullföljd, and uploads the certificate.
  await signIn(page, testInfo, PROVIDER);
  await expect(page.getByTestId('waiting')).toBeVisible();
  await openBooking(page, testInfo);
  await expect(page.getByTestId('booking-status').first()).toHaveText('Okänt');
  await expect(page.getByTestId('certificate-waiting')).toBeVisible();
  await changeStatus(page, testInfo, 'registered', 'Anmäld');
  await changeStatus(page, testInfo, 'started', 'Startat');
  await changeStatus(page, testInfo, 'completed', 'Fullföljd');
  await page.getByTestId('upload-certificate').click();
  await page.getByTestId('file').setInputFiles({ name: 'kursintyg.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.getByTestId('upload').click();
  await page.waitForURL(/done=uploaded/);
  await ready(page, testInfo);
  await expect(page.getByTestId('done')).toContainText('Certifikatet är uppladdat');
  await expect(page.getByTestId('certificate')).toContainText(CERT);
  await checkA11y(page, testInfo);
  const bookingUrl = page.url().split('?')[0];
  await signOut(page, testInfo);

  // Graded: the employer does not see it yet.
  await signIn(page, testInfo, DEMO.companyAdmin);
  await visit(page, testInfo, bookingUrl);
  await expect(page.getByTestId('certificate-hidden')).toBeVisible();
  await signOut(page, testInfo);

  // The participant consents, reviews, and is offered LinkedIn.
  await signIn(page, testInfo, DEMO.holder);
  await visit(page, testInfo, '/my/training');
  const card = page.getByTestId('my-booking').filter({ hasText: COURSE });
  await expect(card.getByTestId('booking-status')).toHaveText('Fullföljd');
  await card.getByTestId('consent-button').click();
  await ready(page, testInfo);
  await expect(page.getByTestId('done')).toContainText('Arbetsgivaren kan nu se certifikatet');
  // Without a rating: told so, the text kept.
  await card.getByLabel('Din recension').fill('Bra kurs med mycket praktik.');
  await card.getByRole('button', { name: 'Skicka recension' }).click();
  await ready(page, testInfo);
  await expect(card.getByText('Välj ett betyg från 1 till 5').first()).toBeVisible();
  await expect(card.getByLabel('Din recension')).toHaveValue('Bra kurs med mycket praktik.');
  await card.getByLabel('★★★★☆ (4)').check();
  await card.getByRole('button', { name: 'Skicka recension' }).click();
  await ready(page, testInfo);
  await expect(page.getByTestId('done')).toContainText('Tack för din recension');
  const linkedin = card.getByTestId('linkedin');
  const href = (await linkedin.getAttribute('href'))!;
  const url = new URL(href);
  expect(url.origin + url.pathname).toBe('https://www.linkedin.com/profile/add');
  expect(url.searchParams.get('startTask')).toBe('CERTIFICATION_NAME');
  expect(url.searchParams.get('name')).toBe(CERT);
  expect(url.searchParams.get('organizationName')).toBe('Kylakademin Sverige AB');
  const certUrl = url.searchParams.get('certUrl')!;
  expect(certUrl).toMatch(/\/verify\/course\/K-/);
  expect(url.searchParams.get('certId')).toBe(certUrl.split('/').pop());
  // The portal's signed statement of it, and the QR code to its page.
  await expect(card.getByRole('img', { name: /QR-kod/ })).toBeVisible();
  const signed = await page.request.get((await card.getByTestId('signed-certificate').getAttribute('href'))!);
  expect(signed.status()).toBe(200);
  const statement = await signed.body();
  expect(statement.subarray(0, 5).toString()).toBe('%PDF-');
  await checkA11y(page, testInfo);
  // One person, two issuers: the course certificate beside the body's certificates.
  await nav(page, testInfo, 'Mina sidor');
  await expect(page.getByTestId('my-certificates')).toBeVisible();
  const courseCerts = page.getByTestId('course-certificates');
  await expect(courseCerts.getByRole('row').filter({ hasText: CERT })).toContainText('Kylakademin Sverige AB');
  await expect(courseCerts.getByRole('row').filter({ hasText: CERT })).toContainText('Giltigt');
  await signOut(page, testInfo);

  // Now the employer sees it, and the review is on the provider's profile.
  await signIn(page, testInfo, DEMO.companyAdmin);
  await visit(page, testInfo, bookingUrl);
  await expect(page.getByTestId('certificate')).toContainText(CERT);
  await expect(page.getByTestId('status-form')).toHaveCount(0);
  await signOut(page, testInfo);
  // Anyone may check the signed statement: "Kontrollera en PDF" knows it and leads to its page.
  await visit(page, testInfo, '/verify');
  await page.getByLabel(/PDF-fil/).setInputFiles({ name: 'kursintyg.pdf', mimeType: 'application/pdf', buffer: statement });
  await page.getByTestId('pdf-check').click();
  await page.waitForURL(/\/verify\/course\/K-.*checked=/);
  await ready(page, testInfo);
  await expect(page.getByTestId('pdf-verdict')).toHaveAttribute('data-verdict', 'course_statement');
  await expect(page.getByTestId('pdf-verdict')).toContainText('Certifikatet gäller');
  await visit(page, testInfo, new URL(certUrl).pathname);
  await expect(page.getByTestId('course-verdict')).toContainText('Giltigt');
  await page.getByRole('link', { name: 'Kylakademin Sverige AB' }).click();
  await ready(page, testInfo);
  await expect(page.getByTestId('reviews')).toContainText('Bra kurs med mycket praktik.');

  // The provider withdraws it; its page says so.
  await signIn(page, testInfo, PROVIDER);
  await visit(page, testInfo, bookingUrl);
  await page.getByTestId('withdraw-open').click();
  await page.getByTestId('withdraw').click();
  await ready(page, testInfo);
  await expect(page.getByText('Fyll i fältet').first()).toBeVisible();
  // The refused form stays open (with JavaScript it never closed; without, it comes back open).
  await expect(page.getByLabel('Skäl')).toBeVisible();
  await page.getByLabel('Skäl').fill('Utfärdat felaktigt');
  await page.getByTestId('withdraw').click();
  await ready(page, testInfo);
  await expect(page.getByTestId('done')).toContainText('Certifikatet är tillbakadraget');
  await signOut(page, testInfo);
  // The public page is kept a few seconds for anyone without a session: it says so within them.
  await visit(page, testInfo, new URL(certUrl).pathname);
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('course-verdict')).toContainText('Tillbakadraget', { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByTestId('course-verdict')).toContainText('Utfärdat felaktigt');
});

test('a course without a certification explains how to add one', async ({ page, context }, testInfo) => {
  await context.clearCookies();
  await signIn(page, testInfo, PROVIDER);
  await nav(page, testInfo, 'Utbildningar');
  // Karin Ström's booking on "Brandskydd för kyltekniker" (Utebliven närvaro).
  await page.getByTestId('booking-row').filter({ hasText: 'Brandskydd' }).getByRole('link', { name: 'Karin Ström' }).click();
  await ready(page, testInfo);
  await expect(page.getByTestId('no-certification')).toContainText('Lägg till en certifiering längst ner på produktsidan');
  await expect(page.getByTestId('certificate-form')).toHaveCount(0);
  await checkA11y(page, testInfo);
});

test('a participant invited by email accepts signed in; the provider sees the answer', async ({ page, context }, testInfo) => {
  await context.clearCookies();
  const email = 'erik.holm.privat@exempel.se';
  const course = 'Läcksökning i praktiken';
  const sent = Date.now() - 1_000;
  await signIn(page, testInfo, PROVIDER);
  await nav(page, testInfo, 'Utbildningar');
  await page.getByTestId('new-invite').click();
  await submit(page, testInfo, 'Skicka inbjudan');
  // Every missing field is told at once.
  await expect(page.getByText('Välj en utbildning').first()).toBeVisible();
  await expect(page.getByText('Ange en e-postadress').first()).toBeVisible();
  const option = page.getByTestId('invite-course').locator('option', { hasText: course });
  await page.getByTestId('invite-course').selectOption((await option.getAttribute('value'))!);
  await page.getByLabel('Deltagarens namn').fill('Erik Holm');
  await page.getByLabel('E-postadress').fill(email);
  await submit(page, testInfo, 'Skicka inbjudan');
  await expect(page.getByTestId('done')).toContainText('Inbjudan är skickad');
  const row = page.getByTestId('invite-row').filter({ hasText: email });
  await expect(row.getByTestId('invite-status')).toHaveText('Väntar på svar');
  await checkA11y(page, testInfo);
  await signOut(page, testInfo);

  // The email's link shows the course to anyone holding it; accepting asks to sign in first.
  const mail = await readMail(email, sent, 'Kylakademin Sverige AB bjuder in dig');
  const link = new URL(mail.text!.match(/https?:\/\/\S+\/training\/invite\/\S+/)![0]).pathname;
  await visit(page, testInfo, link);
  await expect(page.getByTestId('invite-lead')).toContainText(course);
  await checkA11y(page, testInfo);
  await page.getByTestId('invite-sign-in').click();
  await ready(page, testInfo);
  await page.getByLabel('Användarnamn eller e-postadress').fill(DEMO.holder.username);
  await page.getByLabel('Lösenord', { exact: true }).fill(DEMO.holder.password);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.waitForURL(/\/training\/invite\//);
  await ready(page, testInfo);
  await expect(page.getByTestId('invite-as')).toContainText('Erik Holm');
  await page.getByTestId('invite-employer').selectOption({ label: 'Kylteknik i Karlskrona AB' });
  await submit(page, testInfo, 'Tacka ja');
  await expect(page.getByTestId('done')).toContainText('Du har tackat ja');
  const card = page.getByTestId('my-booking').filter({ hasText: course });
  await expect(card.getByTestId('booking-status')).toHaveText('Anmäld');
  // The link again: accepted already, nothing new.
  await visit(page, testInfo, link);
  await expect(page.getByTestId('invite-accepted')).toBeVisible();
  await signOut(page, testInfo);

  await signIn(page, testInfo, PROVIDER);
  await nav(page, testInfo, 'Utbildningar');
  const answered = page.getByTestId('invite-row').filter({ hasText: email });
  await expect(answered.getByTestId('invite-status')).toHaveText('Tackat ja');
  await expect(page.getByTestId('booking-row').filter({ hasText: course }).filter({ hasText: 'Erik Holm' })).toContainText('Anmäld');
  await answered.getByTestId('invite-booking').click();
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Erik Holm');
});

test('the provider sets its logo, a picture judged by its content', async ({ page, context }, testInfo) => {
  await context.clearCookies();
  await signIn(page, testInfo, PROVIDER);
  await nav(page, testInfo, 'Utbildningar');
  // A PDF named like a picture is refused in words.
  await page.getByTestId('logo-file').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: PDF });
  await page.getByTestId('upload-logo').click();
  await page.waitForURL(/__err=/);
  await ready(page, testInfo);
  await expect(page.locator('#logo-error')).toContainText('ingen PNG- eller JPEG-bild');
  const png = readFileSync(join(__dirname, '..', '..', 'server', 'assets', 'demo-logo.png'));
  // Another file than the demo's logo (bytes after the picture's end are read past).
  const logo = Buffer.concat([png, Buffer.from('certportal')]);
  await page.getByTestId('logo-file').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: logo });
  await page.getByTestId('upload-logo').click();
  await page.waitForURL(/done=/);
  await ready(page, testInfo);
  await expect(page.getByTestId('done')).toContainText(/Logotypen är sparad|redan logotypen/);
  await page.getByTestId('profile-link').click();
  await ready(page, testInfo);
  const img = page.getByTestId('logo');
  await expect(img).toBeVisible();
  expect(await img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBe(240);
});
