import { test, expect, type Page, type TestInfo } from '@playwright/test';
import { DEMO, checkA11y, nav, ready, signIn, signOut, submit } from './helpers';

/** The company page's tab, as Nordisk Värme & Kyla's admin. */
async function vvsTab(page: Page, testInfo: TestInfo, tab: string) {
  await nav(page, testInfo, 'Företag');
  await page.getByRole('link', { name: 'Nordisk Värme & Kyla AB' }).click();
  await ready(page, testInfo);
  await page.getByTestId(`tab-${tab}`).click();
  await ready(page, testInfo);
}

async function addEmployee(page: Page, testInfo: TestInfo, pnr: string, first: string, last: string) {
  await page.getByLabel('Personnummer').fill(pnr);
  await page.getByLabel('Förnamn').fill(first);
  await page.getByLabel('Efternamn').fill(last);
  await page.getByLabel('Befattning').fill('Kyltekniker');
  await page.getByLabel('Startdatum').fill('2026-01-01');
  await submit(page, testInfo, 'Lägg till anställd');
}

test('a company sees a registered person\u2019s certificates only after the person confirms the employment', async ({ page, context }, testInfo) => {
  await context.clearCookies();
  await signIn(page, testInfo, DEMO.vvsAdmin);
  await vvsTab(page, testInfo, 'employees');

  // Erik Holm is registered, with certificates; someone else's number is not. Same answer.
  await addEmployee(page, testInfo, '19900412-9814', 'Erik', 'Holm');
  await expect(page.getByTestId('done')).toContainText('Anställningen väntar på bekräftelse');
  await addEmployee(page, testInfo, '19770303-1232', 'Okänd', 'Person');
  await expect(page.getByTestId('done')).toContainText('Anställningen väntar på bekräftelse');
  const employees = page.getByTestId('employees');
  await expect(employees.getByRole('row', { name: /Erik Holm/ })).toContainText('Väntar på bekräftelse');
  await expect(employees.getByRole('row', { name: /Okänd Person/ })).toContainText('Väntar på bekräftelse');
  await checkA11y(page, testInfo);

  // Until Erik confirms, none of his certificates shows.
  await page.getByTestId('tab-employee_certificates').click();
  await ready(page, testInfo);
  await expect(page.getByText('10002', { exact: true })).toHaveCount(0);
  await signOut(page, testInfo);

  // Erik confirms on his own pages.
  await signIn(page, testInfo, DEMO.holder);
  await page.getByRole('link', { name: 'Anställningar' }).click();
  await ready(page, testInfo);
  const pending = page.getByTestId('employments').getByRole('row', { name: /Nordisk Värme & Kyla AB/ });
  await expect(pending).toContainText('Väntar på bekräftelse');
  await checkA11y(page, testInfo);
  await pending.getByTestId('confirm-employment').click();
  await ready(page, testInfo);
  await expect(page.getByTestId('employment-done')).toContainText('Anställningen är bekräftad');
  await expect(page.getByTestId('employments').getByRole('row', { name: /Nordisk Värme & Kyla AB/ })).not.toContainText('Väntar på bekräftelse');
  await signOut(page, testInfo);

  // Now the company sees them.
  await signIn(page, testInfo, DEMO.vvsAdmin);
  await vvsTab(page, testInfo, 'employee_certificates');
  await expect(page.getByTestId('employee-certificates')).toContainText('10002');
  await expect(page.getByTestId('employee-certificates')).toContainText('Erik Holm');
  await checkA11y(page, testInfo);
});
