import { test, expect, type Page, type TestInfo } from '@playwright/test';
import { DEMO, PDF, checkA11y, nav, ready, readMail, signIn, signOut, submit, transfer } from './helpers';

// The demo holder holds F-gas categories I–IV; category V is theirs to apply for.
const SCHEME = 'F-Gaser - Personcertifikat f-gas kat V';
const DOCUMENTS = ['Avgångsbetyg/Examen', 'Provintyg', 'Tjänstgöringsintyg'];
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(1022)]);

/** From the holder's certificates: "+ Ansök om nytt certifikat" → the scheme → "Skicka ansökan". */
async function apply(page: Page, testInfo: TestInfo) {
  await nav(page, testInfo, 'Mina sidor');
  await page.getByTestId('apply').click();
  await ready(page, testInfo);
  // A scheme the holder already holds cannot be chosen.
  await expect(page.getByLabel('F-Gaser - Personcertifikat f-gas kat I', { exact: true })).toBeDisabled();
  await page.getByLabel(SCHEME).check();
  await submit(page, testInfo, 'Fortsätt');
  await expect(page.getByTestId('applicant')).toContainText('19900412-9814');
  await expect(page.getByTestId('applicant')).toContainText('Erik Holm');
  await checkA11y(page, testInfo);
  await submit(page, testInfo, 'Skicka ansökan');
}

test('a holder applies, explains what cannot be uploaded, and notifies us once', async ({ page, context }, testInfo) => {
  await context.clearCookies();
  await signIn(page, testInfo, DEMO.holder);

  // "Mina certifieringar" opens the demo case: the information panel and "Ladda upp intyg".
  await nav(page, testInfo, 'Mina sidor');
  await page.getByTestId('tab-cases').click();
  await ready(page, testInfo);
  const panel = page.getByTestId('info-panel');
  await expect(panel).toContainText('Brunnsborrare');
  await expect(panel).toContainText('Väntar på handläggare');
  await expect(panel).toContainText('Saknar giltighetsdatum');
  await expect(panel).toContainText('Ansvarig AB');
  await expect(page.getByTestId('requirement').filter({ hasText: 'Heta arbeten' })).toContainText('Meddelat: Kursen är bokad');
  await expect(page.getByTestId('requirement').filter({ hasText: 'Projektlista/Uppdragslista' }).getByRole('link', { name: 'Hämta' })).toBeVisible();
  await checkA11y(page, testInfo);

  // Applying opens a case with an order number and the scheme's documents.
  await apply(page, testInfo);
  await expect(page.getByTestId('done')).toContainText('Din ansökan är skickad');
  await expect(panel).toContainText(/FX\d{6}/);
  await expect(panel).toContainText('Personcertifikat f-gas kat V');
  const caseUrl = new URL(page.url()).pathname;
  const rows = page.getByTestId('requirement');
  await expect(rows).toHaveCount(DOCUMENTS.length);
  await checkA11y(page, testInfo);

  // The school certificate sent with the holder's F-gas kat I case is shared by every
  // certificate: it answers this case too.
  await expect(rows.filter({ hasText: 'Avgångsbetyg/Examen' })).toContainText(/Dokument Avgångsbetyg_Examen_C\w+_\d{6}_\d{6}\.pdf är uppladdat/);

  // "MEDDELA OSS" before everything is sent names what is missing.
  await submit(page, testInfo, 'MEDDELA OSS');
  await expect(page.getByTestId('error-summary')).toContainText('Provintyg, Tjänstgöringsintyg');

  // Provintyg: a program named .pdf is refused in words, the note kept; then the real PDF.
  await rows.filter({ hasText: 'Provintyg' }).getByRole('link', { name: 'Ladda upp/meddela' }).click();
  await ready(page, testInfo);
  await expect(page.getByText('Erik Holm, 19900412-9814')).toBeVisible();
  await expect(page.getByText(/^Provintyg_C\w+_ååmmdd_ttmmss$/)).toBeVisible();
  await checkA11y(page, testInfo);
  await page.getByLabel('Fil att bifoga').setInputFiles({ name: 'provintyg.pdf', mimeType: 'application/pdf', buffer: EXE });
  await page.getByLabel('Notering').fill('Provintyg från 2026');
  await transfer(page, testInfo);
  await expect(page.locator('#file-error')).toContainText('Filen är inte en PDF- eller Word- eller Excelfil');
  await expect(page.getByLabel('Notering')).toHaveValue('Provintyg från 2026');
  await checkA11y(page, testInfo);
  await page.getByLabel('Fil att bifoga').setInputFiles({ name: 'provintyg.pdf', mimeType: 'application/pdf', buffer: PDF });
  await transfer(page, testInfo);
  await expect(page.getByTestId('done')).toContainText(/Din fil "Provintyg_C\w+_\d{6}_\d{6}\.pdf" har laddats upp till dokumentbiblioteket/);
  await expect(rows.filter({ hasText: 'Provintyg' })).toContainText(/Dokument Provintyg_C\w+_\d{6}_\d{6}\.pdf är uppladdat/);

  // Tjänstgöringsintyg cannot be sent yet: the reason, refused empty first.
  await rows.filter({ hasText: 'Tjänstgöringsintyg' }).getByRole('link', { name: 'Ladda upp/meddela' }).click();
  await ready(page, testInfo);
  await page.getByTestId('explain').locator('summary').click();
  await page.getByTestId('transfer').click();
  await ready(page, testInfo);
  await expect(page.locator('#reason-error')).toContainText('Skriv varför dokumentet inte kan laddas upp');
  await page.getByLabel('Meddela varför dokument ej kan laddas upp').fill('Skickas per post.');
  await page.getByTestId('transfer').click();
  await ready(page, testInfo);
  await expect(page.getByTestId('done')).toContainText('Ditt meddelande är sparat');
  await expect(rows.filter({ hasText: 'Tjänstgöringsintyg' })).toContainText('Meddelat: Skickas per post.');

  await submit(page, testInfo, 'MEDDELA OSS');
  await expect(page.getByTestId('done')).toContainText('Tack! Vi ser nu att ditt ärende är klart att handläggas.');
  await expect(page.getByTestId('sent-at')).toContainText('Du meddelade oss');
  // Pressed again (or the form sent again): nothing changes, and the page says so.
  await submit(page, testInfo, 'MEDDELA OSS');
  await expect(page.getByTestId('done')).toContainText('Ditt ärende är redan anmält som klart att handläggas. Inget har ändrats');

  // Applying again for the same scheme opens nothing: it leads to the open case.
  await apply(page, testInfo);
  await expect(page.getByTestId('done')).toContainText('Du har redan ett öppet ärende');
  await archive(page, testInfo);
  expect(new URL(page.url()).pathname).toBe(caseUrl);
  await expect(page.getByTestId('case-menu').getByRole('link', { name: 'Personcertifikat f-gas kat V' })).toHaveCount(1);

  // On a phone the list of cases comes first, then the case.
  await page.setViewportSize({ width: 390, height: 844 });
  const menu = await page.getByTestId('case-menu').boundingBox();
  const info = await panel.boundingBox();
  expect(menu && info && menu.y < info.y).toBeTruthy();
  await checkA11y(page, testInfo);
});

/** "Arkiv" of the open case: the PDF sent and the shared school certificate; sorted by a heading
 *  (again: the other way), filtered by type, and downloaded by its person. */
async function archive(page: Page, testInfo: TestInfo) {
  await page.getByRole('link', { name: 'Arkiv' }).click();
  await ready(page, testInfo);
  const lines = page.getByTestId('archive-row');
  await expect(lines).toHaveCount(2);
  await checkA11y(page, testInfo);
  await page.getByRole('link', { name: 'Sortera efter Dokumentnamn' }).click();
  await ready(page, testInfo);
  await expect(lines.first()).toContainText('Avgångsbetyg_Examen_C');
  await page.getByRole('link', { name: 'Sortera efter Dokumentnamn' }).click();
  await ready(page, testInfo);
  await expect(lines.first()).toContainText('Provintyg_C');
  await expect(lines.first()).toContainText('Betyg/Intyg');
  await page.getByLabel('Dokumenttyp som ska visas').selectOption({ label: 'Betyg/Intyg' });
  await submit(page, testInfo, 'Visa');
  await expect(lines).toHaveCount(2);
  await expect(lines.first()).toContainText('Provintyg_C');
  const href = await lines.first().getByRole('link').getAttribute('href');
  const file = await page.request.get(href!);
  expect(file.status()).toBe(200);
  expect(file.headers()['content-type']).toBe('application/pdf');
  expect((await file.body()).subarray(0, 5).toString()).toBe('%PDF-');
}

test('a handler takes a case from the queue, reviews a document, uploads one that came by post and adds one from the archive', async ({ page, context }, testInfo) => {
  await context.clearCookies();
  await signIn(page, testInfo, DEMO.handler);

  // The queue opens on the cases waiting for a handler, oldest first, with counts.
  await nav(page, testInfo, 'Ärenden');
  await expect(page.getByTestId('queue-waiting')).toHaveAttribute('aria-current', 'page');
  const rows = page.getByTestId('queue-row');
  const lars = rows.filter({ hasText: 'Lars Ek' });
  await expect(lars).toContainText('Brunnsborrare');
  await expect(lars).toContainText('Väntar på handläggare');
  await expect(rows.filter({ hasText: 'Johan Berg' })).toHaveCount(0);
  // "Mina ärenden": the demo handler's case; "Hos sökanden": the one not yet sent.
  await page.getByTestId('queue-mine').click();
  await ready(page, testInfo);
  await expect(rows.filter({ hasText: 'Maria Sund' })).toContainText('Komplettering begärd');
  await page.getByTestId('queue-with_applicant').click();
  await ready(page, testInfo);
  await expect(rows.filter({ hasText: 'Johan Berg' })).toContainText('Ej inskickat');
  // Waiting, for the drilling scheme, at least 7 days: Lars Ek's (12 days), not the newer ones.
  await page.getByTestId('queue-waiting').click();
  await ready(page, testInfo);
  await page.getByLabel('Certifieringstyp').selectOption({ label: 'Brunnsborrning - Brunnsborrare' });
  await page.getByLabel('Ålder').selectOption({ label: 'Minst 7 dagar' });
  await submit(page, testInfo, 'Visa');
  await expect(rows).toHaveCount(1);
  await expect(lars).toContainText('12');
  await checkA11y(page, testInfo);

  // Lars Ek's case: nobody handles it; "Ta ärendet".
  await lars.getByRole('link').click();
  await ready(page, testInfo);
  await expect(page.getByTestId('info-panel')).toContainText('Lars Ek');
  await expect(page.getByTestId('handler')).toContainText('Ingen handläggare ännu');
  await expect(page.getByText('Ta ärendet för att granska dokumenten.')).toBeVisible();
  await checkA11y(page, testInfo);
  await submit(page, testInfo, 'Ta ärendet');
  await expect(page.getByTestId('done')).toContainText('Du handlägger nu ärendet.');
  await expect(page.getByTestId('handler')).toContainText('Du handlägger ärendet.');
  await expect(page.getByTestId('info-panel')).toContainText('Håkan Jarnvall');
  await expect(page.getByRole('button', { name: 'Ta ärendet' })).toHaveCount(0);

  // "Svetsprov" needs a supplement: refused without a comment, then saved; the same again
  // changes nothing and says so.
  const weld = page.getByTestId('review-item').filter({ hasText: 'Svetsprov' });
  await expect(weld).toContainText('Sökanden meddelade');
  await weld.locator('summary').click();
  await weld.getByLabel('Behöver komplettering').check();
  await weld.getByRole('button', { name: 'Spara' }).click();
  await ready(page, testInfo);
  await expect(page.getByTestId('review-item').filter({ hasText: 'Svetsprov' }).locator('.error-message')).toContainText('Skriv vad som saknas eller behöver rättas');
  await expect(page.getByTestId('review-refused')).toContainText('Bedömningen är inte sparad.');
  await expect(page.getByTestId('review-item').filter({ hasText: 'Svetsprov' }).getByLabel('Behöver komplettering')).toBeChecked();
  const again = page.getByTestId('review-item').filter({ hasText: 'Svetsprov' });
  await again.getByLabel('Kommentar').fill('Provintyget saknar examinatorns underskrift.');
  await again.getByRole('button', { name: 'Spara' }).click();
  await ready(page, testInfo);
  await expect(page.getByTestId('done')).toContainText('Bedömningen är sparad.');
  await expect(weld.getByTestId('verdict')).toContainText('Behöver komplettering');
  await expect(weld).toContainText('Provintyget saknar examinatorns underskrift.');
  await weld.locator('summary').click();
  await weld.getByRole('button', { name: 'Spara' }).click();
  await ready(page, testInfo);
  await expect(page.getByTestId('done')).toContainText('Bedömningen var redan sparad så. Inget har ändrats.');

  // The welding test came by post: the handler uploads it for Lars.
  await weld.getByRole('link', { name: 'Ladda upp åt sökanden' }).click();
  await ready(page, testInfo);
  await expect(page.getByText(/^Lars Ek, 19780223-9827$/)).toBeVisible();
  await checkA11y(page, testInfo);
  await page.getByLabel('Fil att bifoga').setInputFiles({ name: 'svetsprov.pdf', mimeType: 'application/pdf', buffer: PDF });
  await transfer(page, testInfo);
  await expect(page.getByTestId('done')).toContainText('Filen är uppladdad åt sökanden.');
  await expect(weld.getByTestId('document-link')).toContainText(/^Svetsprov_C\w+_\d{6}_\d{6}\.pdf$/);
  const log = page.getByTestId('event-log');
  await expect(log).toContainText('Ärendet togs');
  await expect(log).toContainText('Dokument uppladdat');
  await expect(log).toContainText('Meddela oss');
  await expect(log).toContainText('Dokument behöver kompletteras');

  // Erik Holm's drilling case: his Provintyg from the decided F-gas case answers "Heta arbeten"
  // without his sending it again.
  await nav(page, testInfo, 'Ärenden');
  await page.getByTestId('queue-with_applicant').click();
  await ready(page, testInfo);
  await rows.filter({ hasText: 'Erik Holm' }).filter({ hasText: 'Brunnsborrare' }).getByRole('link').click();
  await ready(page, testInfo);
  await submit(page, testInfo, 'Ta ärendet');
  const archived = page.getByTestId('attachable').filter({ hasText: 'FX216494' });
  await expect(archived).toContainText(/Provintyg_C\w+/);
  await archived.getByLabel('Lägg till som').selectOption({ label: 'Heta arbeten' });
  await archived.getByRole('button', { name: 'Lägg till i ärendet' }).click();
  await ready(page, testInfo);
  await expect(page.getByTestId('done')).toContainText('Dokumentet är tillagt i ärendet.');
  await expect(page.getByTestId('review-item').filter({ hasText: 'Heta arbeten' }).getByTestId('document-link')).toContainText(/^Provintyg_C/);
  await checkA11y(page, testInfo);

  // On a phone, the queue's rows stack and the filters stay reachable.
  await page.setViewportSize({ width: 390, height: 844 });
  await nav(page, testInfo, 'Ärenden');
  await expect(page.getByTestId('queue-waiting')).toBeVisible();
  await checkA11y(page, testInfo);
});

test('a holder writes to the handler, keeps a draft, and reads the answer, which an email announces', async ({ page, context }, testInfo) => {
  await context.clearCookies();
  await signIn(page, testInfo, DEMO.holder);
  await nav(page, testInfo, 'Mina sidor');
  await page.getByTestId('tab-cases').click();
  await ready(page, testInfo);
  await page.getByTestId('case-menu').getByRole('link', { name: 'Brunnsborrare' }).click();
  await ready(page, testInfo);
  await page.getByRole('navigation', { name: 'Arbetsfält' }).getByTestId('tab-messages').click();
  await ready(page, testInfo);
  const messages = page.getByTestId('case-messages');
  await expect(messages).toContainText('Inga meddelanden i ärendet ännu.');

  // "Nytt meddelande": "Notering" is chosen; an empty message is refused; a draft survives
  // leaving the page.
  await messages.getByTestId('new-message').click();
  await ready(page, testInfo);
  await expect(page.getByLabel('Meddelandetyp')).toHaveValue('note');
  await checkA11y(page, testInfo);
  await page.getByTestId('send-message').click();
  await ready(page, testInfo);
  await expect(page.getByTestId('message-form').locator('.error-message')).toContainText('Skriv ett meddelande');
  await page.getByLabel('Meddelande', { exact: true }).fill('Hej! Räcker ett svetsprov från 2023?');
  await page.getByTestId('save-draft').click();
  await ready(page, testInfo);
  await expect(page.getByTestId('done')).toContainText('Utkastet är sparat.');
  await page.goto('/my/cases');
  await ready(page, testInfo);
  await page.getByTestId('case-menu').getByRole('link', { name: 'Brunnsborrare' }).click();
  await ready(page, testInfo);
  await page.getByRole('navigation', { name: 'Arbetsfält' }).getByTestId('tab-messages').click();
  await ready(page, testInfo);
  await expect(page.getByLabel('Meddelande', { exact: true })).toHaveValue('Hej! Räcker ett svetsprov från 2023?');
  await page.getByTestId('send-message').click();
  await ready(page, testInfo);
  await expect(page.getByTestId('done')).toContainText('Ditt meddelande är skickat.');
  const thread = page.getByTestId('thread').first();
  await expect(thread).toContainText('Notering');
  await expect(page.getByTestId('message').first()).toContainText('Räcker ett svetsprov från 2023?');
  await signOut(page, testInfo);

  // The handler (who took the case in the walk above) sees it unread, opens it and answers.
  await signIn(page, testInfo, DEMO.handler);
  await nav(page, testInfo, 'Ärenden');
  await page.getByTestId('queue-mine').click();
  await ready(page, testInfo);
  const erik = page.getByTestId('queue-row').filter({ hasText: 'Erik Holm' }).filter({ hasText: 'Brunnsborrare' });
  await expect(erik.getByTestId('queue-unread')).toContainText('Nytt meddelande');
  await erik.getByRole('link').click();
  await ready(page, testInfo);
  const staffThread = page.getByTestId('thread').first();
  await expect(staffThread).toContainText('Nytt');
  await staffThread.getByTestId('reply').click();
  await ready(page, testInfo);
  await expect(page.getByTestId('message').first()).toContainText('Räcker ett svetsprov från 2023?');
  await expect(page.getByTestId('thread').first()).not.toContainText('Nytt');
  const started = Date.now() - 1000;
  await page.getByLabel('Meddelande', { exact: true }).fill('Ja, om det är högst tre år gammalt.');
  await page.getByTestId('send-message').click();
  await ready(page, testInfo);
  await expect(page.getByTestId('done')).toContainText('Ditt meddelande är skickat.');
  await checkA11y(page, testInfo);
  const mail = await readMail('erik.holm@example.se', started);
  expect(mail.subject).toMatch(/^Nytt meddelande i ärende FX\d{6}$/);
  expect(mail.text).not.toContain('tre år');
  await signOut(page, testInfo);

  // The holder reads the answer, marked new.
  await signIn(page, testInfo, DEMO.holder);
  await page.goto('/my/cases');
  await ready(page, testInfo);
  await page.getByTestId('case-menu').getByRole('link', { name: 'Brunnsborrare' }).click();
  await ready(page, testInfo);
  await page.getByRole('navigation', { name: 'Arbetsfält' }).getByTestId('tab-messages').click();
  await ready(page, testInfo);
  await expect(page.getByTestId('thread').first()).toContainText('Nytt');
  await page.getByTestId('thread').first().locator('.thread-toggle').click();
  await ready(page, testInfo);
  await expect(page.getByTestId('message').first()).toContainText('Ja, om det är högst tre år gammalt.');
  await page.setViewportSize({ width: 390, height: 844 });
  await checkA11y(page, testInfo);
});

test('the handler asks for a supplement, the holder answers it, and the handler approves: a new certificate and its letter', async ({ page, context }, testInfo) => {
  // Erik Holm's F-gas kat V case, sent in the first walk above.
  await context.clearCookies();
  await signIn(page, testInfo, DEMO.handler);
  await nav(page, testInfo, 'Ärenden');
  const rows = page.getByTestId('queue-row');
  await rows.filter({ hasText: 'Erik Holm' }).filter({ hasText: 'kat V' }).getByRole('link').click();
  await ready(page, testInfo);
  await submit(page, testInfo, 'Ta ärendet');
  await expect(page.getByTestId('done')).toContainText('Du handlägger nu ärendet.');

  // "Begär komplettering": the text is required; then the letter, the message and the email.
  const form = page.getByTestId('supplement-form');
  await form.getByLabel('Tjänstgöringsintyg').check();
  await form.getByRole('button', { name: 'Begär komplettering' }).click();
  await ready(page, testInfo);
  await expect(page.getByTestId('error-summary').first()).toContainText('Skriv vad som behöver kompletteras.');
  await checkA11y(page, testInfo);
  const started = Date.now() - 1000;
  await page.getByTestId('supplement-form').getByLabel('Tjänstgöringsintyg').check();
  await page.getByLabel('Meddelande till sökanden').fill('Skicka tjänstgöringsintyget som PDF, inte per post.');
  await page.getByTestId('request-supplement').click();
  await ready(page, testInfo);
  await expect(page.getByTestId('done')).toContainText('Kompletteringen är begärd');
  await expect(page.getByTestId('info-panel')).toContainText('Komplettering begärd');
  await expect(page.getByTestId('supplement-waiting')).toBeVisible();
  await expect(page.getByTestId('thread').first()).toContainText('Komplettering');
  const mail = await readMail('erik.holm@example.se', started);
  expect(mail.subject).toMatch(/^Begäran om komplettering i ärende FX\d{6}$/);
  expect(mail.text).not.toContain('tjänstgöringsintyget');
  await signOut(page, testInfo);

  // The holder reads it, keeps a draft of a reply, comes back and sends it.
  await signIn(page, testInfo, DEMO.holder);
  const openCase = async () => {
    await page.goto('/my/cases');
    await ready(page, testInfo);
    await page.getByTestId('case-menu').getByRole('link', { name: 'Personcertifikat f-gas kat V' }).click();
    await ready(page, testInfo);
  };
  await openCase();
  await expect(page.getByTestId('supplement-asked')).toContainText('Vi begärde komplettering');
  const service = page.getByTestId('requirement').filter({ hasText: 'Tjänstgöringsintyg' });
  await expect(service.getByTestId('asked')).toContainText('Komplettering begärd');
  await checkA11y(page, testInfo);
  const tabs = page.getByRole('navigation', { name: 'Arbetsfält' });
  await tabs.getByTestId('tab-messages').click();
  await ready(page, testInfo);
  const thread = page.getByTestId('thread').filter({ hasText: 'Komplettering' }).first();
  await expect(thread).toContainText('Nytt');
  await thread.getByTestId('reply').click();
  await ready(page, testInfo);
  await expect(page.getByTestId('message').first()).toContainText('Skicka tjänstgöringsintyget som PDF');
  await page.getByLabel('Meddelande', { exact: true }).fill('Jag laddar upp intyget i dag.');
  await page.getByTestId('save-draft').click();
  await ready(page, testInfo);
  await expect(page.getByTestId('done')).toContainText('Utkastet är sparat.');
  await openCase();
  await tabs.getByTestId('tab-messages').click();
  await ready(page, testInfo);
  await expect(page.getByLabel('Meddelande', { exact: true })).toHaveValue('Jag laddar upp intyget i dag.');
  await page.getByTestId('send-message').click();
  await ready(page, testInfo);
  await expect(page.getByTestId('done')).toContainText('Ditt meddelande är skickat.');

  // The missing document, then "MEDDELA OSS": the case goes back to the handler.
  await tabs.getByTestId('tab-upload').click();
  await ready(page, testInfo);
  await service.getByRole('link', { name: 'Ladda upp/meddela' }).click();
  await ready(page, testInfo);
  await page.getByLabel('Fil att bifoga').setInputFiles({ name: 'tjanstgoring.pdf', mimeType: 'application/pdf', buffer: PDF });
  await transfer(page, testInfo);
  await expect(page.getByTestId('done')).toContainText(/Din fil "Tjänstgöringsintyg_C\w+_\d{6}_\d{6}\.pdf" har laddats upp/);
  await submit(page, testInfo, 'MEDDELA OSS');
  await expect(page.getByTestId('done')).toContainText('Tack! Vi ser nu att ditt ärende är klart att handläggas.');
  await expect(page.getByTestId('info-panel')).toContainText('Komplettering inkommen');
  // The supplement letter is in "Arkiv".
  await tabs.getByTestId('tab-archive').click();
  await ready(page, testInfo);
  await expect(page.getByTestId('archive-row').filter({ hasText: 'Kompletteringsbrev' })).toContainText(/Kompletteringsbrev_NyCert_FX\d{6}_\d{4}-\d{2}-\d{2}\.pdf/);
  await signOut(page, testInfo);

  // The handler finds it under "Komplettering inkommen", records the exam and approves.
  await signIn(page, testInfo, DEMO.handler);
  await nav(page, testInfo, 'Ärenden');
  await page.getByTestId('queue-answered').click();
  await ready(page, testInfo);
  await rows.filter({ hasText: 'Erik Holm' }).filter({ hasText: 'kat V' }).getByRole('link').click();
  await ready(page, testInfo);
  const exams = page.locator('#exams');
  await exams.locator('summary').click();
  const day = new Date(Date.now() - 3 * 86400_000).toISOString().slice(0, 10);
  await exams.getByLabel('Datum').fill(day);
  await exams.getByLabel('Prov', { exact: true }).fill('Teoriprov kategori V');
  await exams.getByLabel('Godkänd').check();
  await exams.getByLabel('Poäng').fill('41 p');
  await exams.getByRole('button', { name: 'Registrera provresultat' }).click();
  await ready(page, testInfo);
  await expect(page.getByTestId('done')).toContainText('Provresultatet är registrerat.');
  await expect(page.getByTestId('info-panel')).toContainText('Teoriprov kategori V');
  const decision = page.locator('#decision-section');
  await decision.getByLabel('Bevilja').check();
  await decision.getByRole('button', { name: 'Fatta beslut' }).click();
  await ready(page, testInfo);
  await expect(page.getByTestId('error-summary').first()).toContainText('Bekräfta att beslutet är slutgiltigt.');
  await page.locator('#decision-section').getByLabel('Bevilja').check();
  await page.locator('#decision-section').getByLabel('Jag har granskat ärendet. Beslutet är slutgiltigt.').check();
  await checkA11y(page, testInfo);
  await page.getByTestId('decide').click();
  await ready(page, testInfo);
  await expect(page.getByTestId('done')).toContainText('Ansökan är beviljad och certifikatet utfärdat.');
  await expect(page.getByTestId('decision')).toContainText('ansökan är beviljad');
  await expect(page.getByTestId('info-panel')).toContainText('FGAS-5-00001');
  await expect(page.getByTestId('decide')).toHaveCount(0);
  await signOut(page, testInfo);

  // The holder sees the new certificate, the decision, the exam and the letter.
  await signIn(page, testInfo, DEMO.holder);
  await page.goto('/my/certificates');
  await ready(page, testInfo);
  await expect(page.getByText('FGAS-5-00001')).toBeVisible();
  await openCase();
  await expect(page.getByTestId('decision')).toContainText('ansökan är beviljad');
  await tabs.getByTestId('tab-exams').click();
  await ready(page, testInfo);
  await expect(page.getByTestId('exam-row')).toContainText('Teoriprov kategori V');
  await tabs.getByTestId('tab-archive').click();
  await ready(page, testInfo);
  await expect(page.getByTestId('archive-row').filter({ hasText: 'Beslut' })).toContainText(/Beslut_NyCert_FX\d{6}_\d{4}-\d{2}-\d{2}\.pdf/);
  await page.setViewportSize({ width: 390, height: 844 });
  await checkA11y(page, testInfo);
});
