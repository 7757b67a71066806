import { test, expect, type Page, type TestInfo } from '@playwright/test';
import { DEMO, checkA11y, jsEnabled, nav, ready, readMail, signIn, submit } from './helpers';

const ATTESTER = { pnr: '19850709-9805', name: 'Anja Berg', position: 'Servicechef', email: 'chef@exempel.se' };
const HOLDER_PNR = '19900412-9814';
// Each test extends a certificate of its own: one is attested once per period.
const CERTIFICATE = 'F-Gaser - Personcertifikat f-gas kat I';
const RESENT = 'F-Gaser - Personcertifikat f-gas kat II';
const SCANNED = 'F-Gaser - Personcertifikat f-gas kat III';
const HOLDER_EMAIL = 'erik.holm@example.se';

const extendBy = async (page: Page) =>
  (await page.getByTestId('certificate-facts').locator('div', { hasText: 'Förläng senast' }).locator('dd').innerText()).trim();

/** The holder signs in and opens a certificate's page. */
async function openCertificate(page: Page, testInfo: TestInfo, name = CERTIFICATE) {
  await signIn(page, testInfo, DEMO.holder);
  await nav(page, testInfo, 'Mina sidor');
  await page.getByRole('link', { name, exact: true }).click();
  await ready(page, testInfo);
}

/** "Utför årlig förlängning" → "Förlängs av" → "Spara". */
async function invite(page: Page, testInfo: TestInfo, email: string) {
  await page.getByTestId('extend').click();
  await ready(page, testInfo);
  await page.getByLabel('Förlängs av').fill(email);
  await submit(page, testInfo, 'Spara');
}

const nextYear = (date: string) => `${Number(date.slice(0, 4)) + 1}${date.slice(4)}`;

test('the holder invites an attester, who signs with BankID on a phone; the holder sees the new date', async ({ page, context, browser }, testInfo) => {
  await context.clearCookies();
  const started = Date.now() - 1000;

  // The holder asks for the yearly extension.
  await openCertificate(page, testInfo);
  const before = await extendBy(page);
  const certificateUrl = page.url();
  await page.getByTestId('extend').click();
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { name: 'Utför årlig förlängning' })).toBeVisible();
  await expect(page.getByText('Man kan inte intyga sin egen yrkesaktivitet även om man är ett enmansföretag.')).toBeVisible();
  await checkA11y(page, testInfo);
  await page.getByLabel('Förlängs av').fill('certifierad@certportal.localhost');
  await submit(page, testInfo, 'Spara');
  await expect(page.locator('#email-error')).toContainText('Du kan inte intyga din egen yrkesaktivitet');
  await page.getByLabel('Förlängs av').fill(ATTESTER.email);
  await submit(page, testInfo, 'Spara');
  await expect(page.getByTestId('done')).toContainText('Mail kommer att skickas till den mottagare som du har angivit');
  await expect(page.getByTestId('pending-request')).toContainText(ATTESTER.email);
  await checkA11y(page, testInfo);

  // The attester opens the emailed link on a phone.
  const mail = await readMail(ATTESTER.email, started);
  expect(mail.subject).toBe('Årlig förlängning');
  expect(mail.text).toContain('Länken är giltig i 30 dagar');
  const link = mail.text!.match(/https?:\/\/\S+\/attest\/[A-Za-z0-9_-]+/)![0];
  const phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    javaScriptEnabled: jsEnabled(testInfo),
  });
  const attester = await phone.newPage();
  try {
    await attester.goto(link);
    await ready(attester, testInfo);
    await expect(attester.getByRole('heading', { name: 'Signera förlängning' })).toBeVisible();
    await expect(attester.getByTestId('attest-target')).toContainText('Personcertifikat f-gas kat I');
    await expect(attester.getByTestId('attest-target')).toContainText('Erik Holm');
    await checkA11y(attester, testInfo);

    // Their own personnummer is the holder's: refused.
    await attester.getByLabel('Intygarens personnummer').fill(HOLDER_PNR);
    await attester.getByLabel('Intygarens namn').fill(ATTESTER.name);
    await attester.getByLabel('Intygarens befattning').fill(ATTESTER.position);
    await submit(attester, testInfo, 'Spara');
    await expect(attester.locator('#pnr-error')).toContainText('Det här är certifikatsinnehavarens personnummer');
    await expect(attester.getByTestId('body-contact')).toContainText('Vid frågor, kontakta');
    await expect(attester.getByLabel('Intygarens namn')).toHaveValue(ATTESTER.name);

    await attester.getByLabel('Intygarens personnummer').fill(ATTESTER.pnr);
    await submit(attester, testInfo, 'Spara');
    await expect(attester.getByRole('heading', { name: 'Signera med BankID' })).toBeVisible();
    await expect(attester.getByTestId('bankid-message')).toHaveText('Starta BankID-appen.');
    // The QR code is animated: a new code every second (by script, or by reloading without).
    const qr = attester.getByTestId('bankid-qr');
    const firstCode = await qr.getAttribute('data-qr');
    expect(firstCode).toMatch(/^bankid\.[0-9a-f-]+\.\d+\.[0-9a-f]{64}$/);
    await expect(qr).not.toHaveAttribute('data-qr', firstCode!);
    await checkA11y(attester, testInfo);
    if (jsEnabled(testInfo)) {
      // The page follows the signing in place: a button the attester has reached keeps the focus
      // while the code changes around it.
      const cancel = attester.getByRole('button', { name: 'Avbryt' });
      await cancel.focus();
      const code = await qr.getAttribute('data-qr');
      await expect(qr).not.toHaveAttribute('data-qr', code!);
      await expect(cancel).toBeFocused();
    }

    // "Open BankID on this device": the simulator's app, where the attester signs.
    await attester.getByTestId('bankid-open').click();
    await expect(attester.getByRole('heading', { name: 'Skriv under' })).toBeVisible();
    await expect(attester.getByTestId('visible-data')).toContainText('Erik Holm');
    await attester.getByLabel('Personnummer (ditt BankID)').fill(ATTESTER.pnr.replace('-', ''));
    await attester.getByLabel('Namn').fill(ATTESTER.name);
    await attester.getByRole('button', { name: 'Skriv under' }).click();

    // Back on the portal's page, which sees the signature complete.
    await expect(attester.getByTestId('attest-done')).toContainText(nextYear(before), { timeout: 15_000 });
    await ready(attester, testInfo);
    // The simulator signs for anyone: its signature says it is a test.
    await expect(attester.getByTestId('test-signature')).toContainText('Testsignatur');
    await checkA11y(attester, testInfo);

    // The link is used now.
    await attester.goto(link);
    await ready(attester, testInfo);
    await expect(attester.getByTestId('link-closed')).toContainText('Länken är redan använd');
  } finally {
    await phone.close();
  }

  // The holder sees the new date, the event and the confirmation email.
  await page.goto(certificateUrl);
  await ready(page, testInfo);
  expect(await extendBy(page)).toBe(nextYear(before));
  await expect(page.getByTestId('event-log')).toContainText('Yrkesaktivitet intygad med BankID');
  await expect(page.getByTestId('event-log')).toContainText(`${ATTESTER.name} (${ATTESTER.position})`);
  await expect(page.getByTestId('pending-request')).toHaveCount(0);
  const done = await readMail(HOLDER_EMAIL, started);
  expect(done.subject).toBe('Årlig förlängning utförd');
  expect(done.text).toContain('Årlig förlängning av ditt certifikat har utförts.');
});

test('the holder sends a request again and cancels it after confirming', async ({ page, context }, testInfo) => {
  await context.clearCookies();
  const started = Date.now() - 1000;
  await openCertificate(page, testInfo, RESENT);
  await invite(page, testInfo, 'kund@exempel.se');
  const first = (await readMail('kund@exempel.se', started)).text!.match(/\/attest\/[A-Za-z0-9_-]+/)![0];
  await page.getByTestId('resend').click();
  await ready(page, testInfo);
  await expect(page.getByTestId('done')).toContainText('En ny länk är skickad');
  await page.getByRole('link', { name: 'Avbryt förfrågan' }).click();
  await ready(page, testInfo);
  await expect(page.getByText('Vill du avbryta förfrågan till kund@exempel.se?')).toBeVisible();
  await checkA11y(page, testInfo);
  await page.getByTestId('confirm-cancel').click();
  await ready(page, testInfo);
  await expect(page.getByTestId('done')).toContainText('Förfrågan är avbruten');
  await expect(page.getByTestId('pending-request')).toHaveCount(0);

  // The first link was replaced by the second, and the second cancelled.
  await page.goto(first);
  await ready(page, testInfo);
  await expect(page.getByTestId('link-closed')).toContainText('ersatts av en nyare');
  await page.goto('/attest/forged-token-that-was-never-sent');
  await ready(page, testInfo);
  await expect(page.getByTestId('link-closed')).toContainText('Länken är ogiltig');
  await checkA11y(page, testInfo);
});

test('on a computer the attester scans the animated QR code with the BankID app', async ({ page, context, browser }, testInfo) => {
  await context.clearCookies();
  const started = Date.now() - 1000;
  await openCertificate(page, testInfo, SCANNED);
  const before = await extendBy(page);
  await invite(page, testInfo, 'kvalitet@exempel.se');
  const link = (await readMail('kvalitet@exempel.se', started)).text!.match(/https?:\/\/\S+\/attest\/[A-Za-z0-9_-]+/)![0];

  const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: jsEnabled(testInfo) });
  const attester = await desk.newPage();
  const app = await desk.newPage();
  try {
    await attester.goto(link);
    await ready(attester, testInfo);
    await attester.getByLabel('Intygarens personnummer').fill(ATTESTER.pnr);
    await attester.getByLabel('Intygarens namn').fill(ATTESTER.name);
    await attester.getByLabel('Intygarens befattning').fill(ATTESTER.position);
    await submit(attester, testInfo, 'Spara');
    await expect(attester.getByTestId('bankid-qr')).toBeVisible();
    const simulator = new URL((await attester.getByTestId('bankid-open').getAttribute('href'))!).origin;

    // The phone's BankID app reads the code on the screen.
    const code = (await attester.getByTestId('bankid-qr').getAttribute('data-qr'))!;
    await app.goto(`${simulator}/app`);
    await app.getByLabel('QR-kodens innehåll').fill(code);
    await app.getByRole('button', { name: 'Läs av' }).click();
    await expect(app.getByRole('heading', { name: 'Skriv under' })).toBeVisible();
    await app.getByLabel('Personnummer (ditt BankID)').fill(ATTESTER.pnr.replace('-', ''));
    await app.getByLabel('Namn').fill(ATTESTER.name);
    await app.getByRole('button', { name: 'Skriv under' }).click();
    await expect(app.getByText('Underskriften är klar')).toBeVisible();

    // The page on the computer sees it by itself.
    await expect(attester.getByTestId('attest-done')).toContainText(nextYear(before), { timeout: 15_000 });
  } finally {
    await desk.close();
  }
});
