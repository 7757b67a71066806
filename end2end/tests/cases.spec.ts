import { test, expect, type Page, type TestInfo } from '@playwright/test';
import { DEMO, checkA11y, nav, ready, signIn, submit } from './helpers';

// The demo holder holds F-gas categories I–IV; category V is theirs to apply for.
const SCHEME = 'F-Gaser - Personcertifikat f-gas kat V';
const DOCUMENTS = ['Avgångsbetyg/Examen', 'Provintyg', 'Tjänstgöringsintyg'];

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

  // "MEDDELA OSS" before anything is sent names what is missing.
  await submit(page, testInfo, 'MEDDELA OSS');
  await expect(page.getByTestId('error-summary')).toContainText(DOCUMENTS.join(', '));

  for (const [i, name] of DOCUMENTS.entries()) {
    await rows.filter({ hasText: name }).getByRole('link', { name: 'Ladda upp/meddela' }).click();
    await ready(page, testInfo);
    await expect(page.getByText('Erik Holm, 19900412-9814')).toBeVisible();
    if (i === 0) {
      // An empty reason is refused at its field.
      await submit(page, testInfo, 'Överför');
      await expect(page.locator('#reason-error')).toContainText('Skriv varför dokumentet inte kan laddas upp');
      await checkA11y(page, testInfo);
    }
    await page.getByLabel('Meddela varför dokument ej kan laddas upp').fill(`Skickas per post, nummer ${i + 1}.`);
    await submit(page, testInfo, 'Överför');
    await expect(page.getByTestId('done')).toContainText('Ditt meddelande är sparat');
    await expect(rows.filter({ hasText: name })).toContainText(`Meddelat: Skickas per post, nummer ${i + 1}.`);
  }

  await submit(page, testInfo, 'MEDDELA OSS');
  await expect(page.getByTestId('done')).toContainText('Tack! Vi ser nu att ditt ärende är klart att handläggas.');
  await expect(page.getByTestId('sent-at')).toContainText('Du meddelade oss');
  // Pressed again (or the form sent again): nothing changes, and the page says so.
  await submit(page, testInfo, 'MEDDELA OSS');
  await expect(page.getByTestId('done')).toContainText('Ditt ärende är redan anmält som klart att handläggas. Inget har ändrats');

  // Applying again for the same scheme opens nothing: it leads to the open case.
  await apply(page, testInfo);
  await expect(page.getByTestId('done')).toContainText('Du har redan ett öppet ärende');
  expect(new URL(page.url()).pathname).toBe(caseUrl);
  await expect(page.getByTestId('case-menu').getByRole('link', { name: 'Personcertifikat f-gas kat V' })).toHaveCount(1);

  // On a phone the list of cases comes first, then the case.
  await page.setViewportSize({ width: 390, height: 844 });
  const menu = await page.getByTestId('case-menu').boundingBox();
  const info = await panel.boundingBox();
  expect(menu && info && menu.y < info.y).toBeTruthy();
  await checkA11y(page, testInfo);
});
