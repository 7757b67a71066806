import { test, expect } from '@playwright/test';
import { DEMO, checkA11y, jsEnabled, nav, signIn, submit, visit } from './helpers';

test('a company admin adds an employee, refused first for bad input', async ({ page, context }, testInfo) => {
  await context.clearCookies();
  const pnr = jsEnabled(testInfo) ? '19910227-9826' : '19930918-9836';
  const first = jsEnabled(testInfo) ? 'Petra' : 'Ivar';
  await signIn(page, testInfo, DEMO.companyAdmin);
  await nav(page, testInfo, 'Företag');
  // A company admin sees only their own company.
  await expect(page.getByTestId('companies').locator('tbody tr')).toHaveCount(1);
  await page.getByRole('link', { name: 'Kylteknik i Karlskrona AB' }).click();
  await checkA11y(page, testInfo);
  await expect(page.getByText('556016-0680')).toBeVisible();
  await expect(page.getByTestId('tab-notes')).toHaveCount(0);

  await page.getByTestId('tab-employees').click();
  await checkA11y(page, testInfo);
  await expect(page.getByTestId('employees')).toContainText('Maria Sund');

  await page.getByLabel('Personnummer').fill('19910227-982');
  await page.getByLabel('Befattning').fill('Kyltekniker');
  await page.getByLabel('Startdatum').fill('2026-03-01');
  await submit(page, testInfo, 'Lägg till anställd');
  await expect(page.locator('#pnr-error')).toContainText('Ange ett giltigt personnummer');
  await expect(page.getByLabel('Befattning')).toHaveValue('Kyltekniker');
  // A name is always asked for: asking only for unknown people told who was registered.
  await expect(page.locator('#first_name-error')).toContainText('Fyll i förnamn');
  await checkA11y(page, testInfo);

  await page.getByLabel('Personnummer').fill(pnr);
  await page.getByLabel('Förnamn').fill(first);
  await page.getByLabel('Efternamn').fill('Wallin');
  await submit(page, testInfo, 'Lägg till anställd');
  await expect(page.getByTestId('done')).toContainText('Anställningen väntar på bekräftelse');
  await expect(page.getByTestId('employees')).toContainText(`${first} Wallin`);
  await expect(page.getByTestId('employees')).toContainText(pnr);
  await expect(page.getByTestId('employees')).toContainText('Väntar på bekräftelse');

  await page.getByTestId('tab-events').click();
  await expect(page.getByTestId('event-log')).toContainText('Anställd tillagd');
  await checkA11y(page, testInfo);
});

test('staff register a company; bad and taken org numbers are refused at the field', async ({ page, context }, testInfo) => {
  await context.clearCookies();
  const orgnr = jsEnabled(testInfo) ? '556612-3450' : '556698-7656';
  await signIn(page, testInfo, DEMO.admin);
  await nav(page, testInfo, 'Företag');
  await page.getByRole('link', { name: 'Nytt företag' }).click();
  await checkA11y(page, testInfo);

  await page.getByLabel('Organisationsnummer').fill('556016-0681');
  await page.getByLabel('Företagsnamn', { exact: true }).fill('x'.repeat(201));
  await submit(page, testInfo, 'Spara');
  await expect(page.locator('#orgnr-error')).toContainText('Ange ett giltigt organisationsnummer');
  await expect(page.locator('#name-error')).toContainText('Texten får vara högst 200 tecken');
  await checkA11y(page, testInfo);

  await page.getByLabel('Organisationsnummer').fill('5560160680');
  await page.getByLabel('Företagsnamn', { exact: true }).fill('Kopia AB');
  await submit(page, testInfo, 'Spara');
  await expect(page.locator('#orgnr-error')).toContainText('Det finns redan ett företag med det organisationsnumret');

  await page.getByLabel('Organisationsnummer').fill(orgnr);
  await page.getByLabel('Företagsnamn', { exact: true }).fill(`Testkyla ${testInfo.project.name} AB`);
  await submit(page, testInfo, 'Spara');
  await expect(page.getByTestId('done')).toContainText('Företaget är registrerat');
  await expect(page.getByRole('heading', { name: `Testkyla ${testInfo.project.name} AB` })).toBeVisible();
  await page.getByTestId('tab-notes').click();
  await page.getByLabel('Anteckning', { exact: true }).fill('Nytt kundföretag, ring i januari.');
  await submit(page, testInfo, 'Spara anteckning');
  await expect(page.getByText('Nytt kundföretag, ring i januari.')).toBeVisible();
  await checkA11y(page, testInfo);
  await visit(page, testInfo, `/companies?q=${orgnr}`);
  await expect(page.getByTestId('companies').locator('tbody tr')).toHaveCount(1);
});
