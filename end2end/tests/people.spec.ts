import { test, expect } from '@playwright/test';
import { DEMO, checkA11y, jsEnabled, nav, readMail, ready, signIn, signOut, submit, visit } from './helpers';

test('a holder changes their address, a handler approves it, and the holder is told', async ({ page, context }, testInfo) => {
  await context.clearCookies();
  const started = Date.now() - 1000;
  const street = `Borgmästaregatan ${jsEnabled(testInfo) ? 5 : 7}`;
  const zip = jsEnabled(testInfo) ? '371 34' : '371 35';

  await signIn(page, testInfo, DEMO.holder);
  await nav(page, testInfo, 'Mina sidor');
  await page.getByTestId('tab-address').click();
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { name: 'Personuppgifter' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Företagsuppgifter' })).toBeVisible();
  // The latest employer (Erik may have confirmed another in the employment spec).
  await expect(page.getByText(/Kylteknik i Karlskrona AB|Nordisk Värme & Kyla AB/).first()).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Faktureringsuppgifter' })).toBeVisible();

  await page.getByTestId('edit-address').click();
  await checkA11y(page, testInfo);
  // Bad input: a message at each field, and what was typed stays.
  await page.getByLabel('Adress', { exact: true }).fill(street);
  await page.getByLabel('Postnummer').fill('3713');
  await page.getByLabel('Förnamn').fill('');
  await submit(page, testInfo, 'Fortsätt');
  await expect(page.getByTestId('error-summary')).toContainText('Ange postnumret med fem siffror');
  await expect(page.getByTestId('error-summary')).toContainText('Fyll i förnamn');
  await expect(page.getByLabel('Adress', { exact: true })).toHaveValue(street);
  await expect(page.getByLabel('Postnummer')).toHaveValue('3713');
  await checkA11y(page, testInfo);

  await page.getByLabel('Förnamn').fill('Erik');
  await page.getByLabel('Postnummer').fill(zip.replace(' ', ''));
  await submit(page, testInfo, 'Fortsätt');
  // The preview shows what changes; nothing is sent yet.
  await expect(page.getByRole('heading', { name: 'Kontrollera din ändring' })).toBeVisible();
  const changed = page.getByTestId('changed-fields');
  await expect(changed).toContainText(street);
  await expect(changed).toContainText(zip);
  await checkA11y(page, testInfo);
  await submit(page, testInfo, 'Spara');
  await expect(page.getByTestId('change-sent')).toContainText('väntar på handläggarens godkännande');
  await expect(page.getByTestId('change-pending')).toContainText(street);
  await checkA11y(page, testInfo);
  await signOut(page, testInfo);

  // The handler sees it and approves.
  await signIn(page, testInfo, DEMO.handler);
  await nav(page, testInfo, 'Ändringar');
  const request = page.getByTestId('change-request').filter({ hasText: street });
  await expect(request).toContainText('Erik Holm');
  await request.getByTestId('approve').click();
  await expect(page.getByTestId('change-decided')).toContainText('godkänd');
  await expect(page.getByTestId('change-request').filter({ hasText: street })).toHaveCount(0);
  await checkA11y(page, testInfo);
  await signOut(page, testInfo);

  // The holder is told by email (at their contact address) and in the portal, and the new
  // address is theirs.
  // An "Uppgiftsändring" message of Erik's latest case, which an email announces.
  const mail = await readMail('erik.holm@example.se', started);
  expect(mail.subject).toMatch(/^Nytt meddelande i ärende FX\d{6}$/);
  await signIn(page, testInfo, DEMO.holder);
  await visit(page, testInfo, '/my/address');
  await expect(page.getByText(street)).toBeVisible();
  await expect(page.getByTestId('change-decided')).toContainText('godkänd');
  await visit(page, testInfo, '/my/cases');
  await page.getByRole('navigation', { name: 'Arbetsfält' }).getByTestId('tab-messages').click();
  await ready(page, testInfo);
  const change = page.getByTestId('thread').filter({ hasText: 'Uppgiftsändring' }).first();
  await change.locator('.thread-toggle').click();
  await ready(page, testInfo);
  await expect(page.getByTestId('message').first()).toContainText('Din ändring är godkänd');
  await visit(page, testInfo, '/my/events');
  await expect(page.getByTestId('event-log')).toContainText('Ändring godkänd');
});

test('staff register a person; a malformed, long or taken entry is refused at its field', async ({ page, context }, testInfo) => {
  await context.clearCookies();
  const pnr = jsEnabled(testInfo) ? '19830312-9806' : '19870521-9817';
  await signIn(page, testInfo, DEMO.admin);
  await nav(page, testInfo, 'Personer');
  await page.getByRole('link', { name: 'Ny person' }).click();
  await checkA11y(page, testInfo);

  await page.getByLabel('Personnummer').fill('19830312-9807');
  await page.getByLabel('Efternamn').fill('Lund');
  await page.getByLabel('Ort', { exact: true }).fill('x'.repeat(101));
  await submit(page, testInfo, 'Spara');
  const summary = page.getByTestId('error-summary');
  await expect(summary).toContainText('Ange ett giltigt personnummer');
  await expect(summary).toContainText('Fyll i förnamn');
  await expect(summary).toContainText('Texten får vara högst 100 tecken');
  await expect(page.getByLabel('Personnummer')).toHaveValue('19830312-9807');
  await checkA11y(page, testInfo);

  await page.getByLabel('Personnummer').fill(pnr);
  await page.getByLabel('Förnamn').fill('Nils');
  await page.getByLabel('Ort', { exact: true }).fill('Växjö');
  await submit(page, testInfo, 'Spara');
  await expect(page.getByRole('heading', { name: 'Nils Lund' })).toBeVisible();
  await expect(page.getByTestId('event-log')).toContainText('Personuppgifter lästa av handläggare');
  await checkA11y(page, testInfo);

  // The same personnummer again, in its short form: refused at the field.
  await visit(page, testInfo, '/staff/people/new');
  await page.getByLabel('Personnummer').fill(pnr.slice(2));
  await page.getByLabel('Förnamn').fill('Nils');
  await page.getByLabel('Efternamn').fill('Lund');
  await submit(page, testInfo, 'Spara');
  await expect(page.locator('#pnr-error')).toContainText('Det finns redan en person med det personnumret');

  // Found by personnummer, with or without the dash.
  await visit(page, testInfo, `/staff/people?q=${pnr.replace('-', '')}`);
  await expect(page.getByTestId('people')).toContainText('Nils Lund');
});
