import { test, expect, type Page, type TestInfo } from '@playwright/test';
import {
  DEMO, PDF, checkA11y, daysBetween, nav, plusMonths, readMail, ready, signIn, signOut, submit,
  transfer, travel, visit,
} from './helpers';

// On the test clock's server (see reminders.clock.spec.ts, which runs first): the yearly report
// of Erik's Kontrollansvarig certificate 10014 (a scheme extended by a report, not by an
// attestation), and the renewal of his F-gas certificate 10002, whose first application left
// its documents in his archive. Dates are read from the pages, wherever the clock stands.

/** The facts of one of the holder's certificates, by their labels on its page. */
async function facts(page: Page, testInfo: TestInfo, number: string): Promise<Record<string, string>> {
  await visit(page, testInfo, '/my/certificates');
  await page.getByRole('row').filter({ hasText: number }).getByRole('link').first().click();
  await ready(page, testInfo);
  const out: Record<string, string> = {};
  for (const row of await page.getByTestId('certificate-facts').locator('.summary-list__row').all()) {
    out[(await row.locator('dt').innerText()).trim()] = (await row.locator('dd').innerText()).trim();
  }
  return out;
}

/** The handler takes Erik's case of `scheme` from the queue and approves it. */
async function approve(page: Page, testInfo: TestInfo, scheme: string, notice: string) {
  await signIn(page, testInfo, DEMO.handler);
  await nav(page, testInfo, 'Ärenden');
  await page.getByTestId('queue-row').filter({ hasText: 'Erik Holm' }).filter({ hasText: scheme }).getByRole('link').click();
  await ready(page, testInfo);
  await submit(page, testInfo, 'Ta ärendet');
  const decision = page.locator('#decision-section');
  await decision.getByLabel('Bevilja').check();
  await decision.getByLabel('Jag har granskat ärendet. Beslutet är slutgiltigt.').check();
  await page.getByTestId('decide').click();
  await ready(page, testInfo);
  await expect(page.getByTestId('done')).toContainText(notice);
  await checkA11y(page, testInfo);
  await signOut(page, testInfo);
}

/** In the open case: sends a PDF for the required document `name`. */
async function upload(page: Page, testInfo: TestInfo, name: string) {
  const row = page.getByTestId('requirement').filter({ hasText: name });
  await row.getByRole('link', { name: 'Ladda upp/meddela' }).click();
  await ready(page, testInfo);
  await page.getByLabel('Fil att bifoga').setInputFiles({ name: 'dokument.pdf', mimeType: 'application/pdf', buffer: PDF });
  await transfer(page, testInfo);
  await expect(page.getByTestId('done')).toContainText('har laddats upp');
}

test('the yearly report: its row and reminder 45 days before, sent, approved, a year on', async ({ page, context }, testInfo) => {
  await context.clearCookies();
  const started = Date.now();
  await signIn(page, testInfo, DEMO.holder);
  const due = (await facts(page, testInfo, '10014'))['Förläng senast'];
  // Attestation is not how it is extended.
  await expect(page.getByTestId('not-now')).toContainText('förlängs genom en årsrapport');
  const today = await travel(page, 0);
  // The day before the report's day: no report yet.
  await travel(page, daysBetween(today, due) - 46);
  await context.clearCookies();
  await signIn(page, testInfo, DEMO.holder);
  await visit(page, testInfo, '/my/cases');
  await expect(page.getByTestId('case-menu')).not.toContainText('Årsrapport');

  // Its day: "Årsrapportpåminnelse" by email, and the report's row in "Ladda upp intyg".
  await travel(page, 1);
  const mail = await readMail('erik.holm@example.se', started - 1_000, 'Årsrapportpåminnelse');
  expect(mail.text).toContain('10014');
  expect(mail.text).toContain(due);
  await context.clearCookies();
  await signIn(page, testInfo, DEMO.holder);
  await visit(page, testInfo, '/my/cases');
  const menu = page.getByTestId('case-menu');
  const report = menu.locator('li').filter({ hasText: 'Årsrapport' });
  await expect(report).toContainText('Kontrollansvarig');
  await report.getByRole('link').click();
  await ready(page, testInfo);
  await expect(page.getByTestId('case-lead')).toContainText(`Årsrapport för certifikat 10014: skicka in den senast ${due}`);
  await expect(page.getByTestId('requirement')).toHaveCount(1);
  await expect(page.getByTestId('requirement')).toContainText('Årsrapport');
  await checkA11y(page, testInfo);
  await upload(page, testInfo, 'Årsrapport');
  await submit(page, testInfo, 'MEDDELA OSS');
  await expect(page.getByTestId('done')).toContainText('Tack! Vi ser nu att ditt ärende är klart att handläggas.');
  await signOut(page, testInfo);

  // The handler approves: "Förläng senast" a year on.
  await approve(page, testInfo, 'Kontrollansvarig', 'Årsrapporten är godkänd');
  await signIn(page, testInfo, DEMO.holder);
  expect((await facts(page, testInfo, '10014'))['Förläng senast']).toBe(plusMonths(due, 12));
  await page.setViewportSize({ width: 390, height: 844 });
  await checkA11y(page, testInfo);
});

test('renewal: reminded six months before, applied for with the archive counted, the next period issued', async ({ page, context }, testInfo) => {
  await context.clearCookies();
  const started = Date.now();
  await signIn(page, testInfo, DEMO.holder);
  const validUntil = (await facts(page, testInfo, '10002'))['Giltigt till'];
  // Not yet: no "Ansök om förnyelse" years before the end of validity.
  await expect(page.getByTestId('renew')).toHaveCount(0);
  const today = await travel(page, 0);
  // The renewal reminder's day: six months before "Giltigt till".
  const reminderDay = plusMonths(validUntil, -6);
  await travel(page, daysBetween(today, reminderDay));
  const mail = await readMail('erik.holm@example.se', started - 1_000, 'Förnyelsepåminnelse: Personcertifikat f-gas kat I');
  expect(mail.text).toContain('10002');
  expect(mail.text).toContain(validUntil);

  // "Ansök om förnyelse" on the certificate: what the archive already holds counts.
  await context.clearCookies();
  await signIn(page, testInfo, DEMO.holder);
  await facts(page, testInfo, '10002');
  await page.getByTestId('renew').click();
  await ready(page, testInfo);
  const reused = page.getByTestId('renewal-reused');
  await expect(reused).toContainText('Provintyg');
  await expect(reused).toContainText('Avgångsbetyg/Examen');
  await checkA11y(page, testInfo);
  await page.getByTestId('send-renewal').click();
  await ready(page, testInfo);
  await expect(page.getByTestId('done')).toContainText('Din ansökan är skickad.');
  await expect(page.getByTestId('case-lead')).toContainText(`Förnyelse av certifikat 10002, giltigt till ${validUntil}`);
  // The exam certificate comes from the archive: only the certificate of employment is new.
  const requirement = (name: string) => page.getByTestId('requirement').filter({ hasText: name });
  await expect(requirement('Provintyg')).toContainText('Provintyg_C');
  await upload(page, testInfo, 'Tjänstgöringsintyg');
  await submit(page, testInfo, 'MEDDELA OSS');
  await expect(page.getByTestId('done')).toContainText('Tack! Vi ser nu att ditt ärende är klart att handläggas.');
  // Sent again from the renewal page (back and resubmit): the same case, nothing new.
  await visit(page, testInfo, '/my/cases');
  await expect(page.getByTestId('case-menu').locator('li').filter({ hasText: 'Förnyelse' })).toHaveCount(1);
  await signOut(page, testInfo);

  // The handler approves: the next period's certificate follows on from the old one's end.
  await approve(page, testInfo, 'kat I', 'Ansökan är beviljad och certifikatet utfärdat.');
  await signIn(page, testInfo, DEMO.holder);
  const next = await facts(page, testInfo, 'FGAS-1-00001');
  expect(next['Giltigt till']).toBe(plusMonths(validUntil, 60));
  // The old one says it is renewed, on its public page too.
  await visit(page, testInfo, '/verify/10002');
  await expect(page.locator('main')).toContainText('Förnyat: ersatt av certifikat FGAS-1-00001');
  await page.setViewportSize({ width: 390, height: 844 });
  await checkA11y(page, testInfo);
});
