import { expect, type Page, type TestInfo } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { simpleParser, type ParsedMail } from 'mailparser';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const jsEnabled = (testInfo: TestInfo) => testInfo.project.name === 'js';

/** Waits until the page has hydrated (with JavaScript), so clicks reach the app. */
export async function ready(page: Page, testInfo: TestInfo) {
  await page.waitForLoadState('load');
  if (jsEnabled(testInfo)) {
    await page.waitForFunction(() => (window as any).__certportal_hydrated === true, null, { timeout: 15_000 });
  }
}

/**
 * Fails on any accessibility violation axe-core finds on the page as it is now. axe-core is a
 * script, so for a page shown without JavaScript it checks a copy of the page's HTML (scripts
 * removed, same styles, same viewport) in a page that may run it.
 */
export async function checkA11y(page: Page, testInfo: TestInfo) {
  let target = page;
  const browser = page.context().browser();
  const scratch = jsEnabled(testInfo) || !browser ? undefined
    : await browser.newContext({ javaScriptEnabled: true, viewport: page.viewportSize() });
  if (scratch) {
    const html = (await page.content())
      .replace(/<script\b[\s\S]*?<\/script>/gi, '')
      .replace(/<head>/i, `<head><base href="${new URL(page.url()).origin}/">`);
    target = await scratch.newPage();
    await target.setContent(html, { waitUntil: 'load' });
  }
  try {
    // An email shown in the outbox is the email's own document, sandboxed: not ours to check.
    const results = await new AxeBuilder({ page: target }).exclude('.email-frame').analyze();
    const summary = results.violations.map(
      (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
    );
    expect(summary, `axe-core violations on ${page.url()}`).toEqual([]);
  } finally {
    await scratch?.close();
  }
}

/** Opens a page, waits for it, and checks its accessibility. */
export async function visit(page: Page, testInfo: TestInfo, path: string) {
  const response = await page.goto(path);
  await ready(page, testInfo);
  await checkA11y(page, testInfo);
  return response;
}

/** The demo accounts that `seed-demo` loads (see the README). */
export const DEMO = {
  admin: { username: 'admin', password: 'Demo-admin-2026', name: 'Astrid Lindqvist' },
  handler: { username: 'handlaggare', password: 'Demo-handlaggare-2026', name: 'Håkan Jarnvall' },
  companyAdmin: { username: 'foretagsadmin', password: 'Demo-foretag-2026', name: 'Anja Berg' },
  vvsAdmin: { username: 'vvsadmin', password: 'Demo-vvsadmin-2026', name: 'Sara Nilsson' },
  holder: { username: 'certifierad', password: 'Demo-certifierad-2026', name: 'Erik Holm' },
  provider: { username: 'utbildare', password: 'Demo-utbildare-2026', name: 'Petra Kyl' },
};

/** Follows a link of the main navigation. */
export async function nav(page: Page, testInfo: TestInfo, name: string) {
  await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name, exact: true }).click();
  await ready(page, testInfo);
  await checkA11y(page, testInfo);
}

/** Submits a form by its button and checks the page that follows. */
export async function submit(page: Page, testInfo: TestInfo, button: string) {
  await page.getByRole('button', { name: button, exact: true }).click();
  await ready(page, testInfo);
}

/** Signs out through the header, so the next user can sign in. */
export async function signOut(page: Page, testInfo: TestInfo) {
  await page.getByTestId('logout').click();
  await expect(page.getByTestId('login-link')).toBeVisible();
  await ready(page, testInfo);
}

/** Signs in through the sign-in page. */
export async function signIn(page: Page, testInfo: TestInfo, who: { username: string; password: string; name: string }) {
  await visit(page, testInfo, '/login');
  await page.getByLabel('Användarnamn eller e-postadress').fill(who.username);
  await page.getByLabel('Lösenord', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page.getByTestId('account-link')).toContainText(who.name);
  await ready(page, testInfo);
}

/**
 * The newest email to `to` (whose subject starts with `subject`, if given) that the test SMTP
 * server (aiosmtpd, started by run.sh) has received, waiting for the portal's worker to
 * deliver it.
 */
export async function readMail(to: string, after = 0, subject = ''): Promise<ParsedMail> {
  const maildir = process.env.E2E_MAILDIR;
  if (!maildir) throw new Error('E2E_MAILDIR is not set: run the specs through end2end/run.sh');
  let found: ParsedMail | undefined;
  await expect(async () => {
    const dir = join(maildir, 'new');
    const names = await readdir(dir).catch(() => [] as string[]);
    const mails = await Promise.all(names.map(async (n) => simpleParser(await readFile(join(dir, n)))));
    const mine = mails
      .filter((m) => (m.to && !Array.isArray(m.to) ? m.to.text : '').includes(to))
      .filter((m) => (m.date?.getTime() ?? 0) >= after)
      .filter((m) => (m.subject ?? '').startsWith(subject))
      .sort((a, b) => (b.date?.getTime() ?? 0) - (a.date?.getTime() ?? 0));
    expect(mine.length, `an email to ${to}`).toBeGreaterThan(0);
    found = mine[0];
  }).toPass({ timeout: 20_000 });
  return found!;
}

/** A small valid PDF, as the upload forms take it. */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

/** "Överför" on the upload form: with JavaScript the island sends it and then goes where the
 *  server's answer led; without, the browser posts it. Either way a new page follows. */
export async function transfer(page: Page, testInfo: TestInfo) {
  const before = page.url();
  await page.getByTestId('upload').click();
  await page.waitForURL((url) => url.href !== before && (url.search.includes('done=') || url.search.includes('__err=')));
  await ready(page, testInfo);
}

/** On a server with the test clock: moves the portal's time `days` forward (0: where it
 *  stands) and runs that day's job; the new date. */
export async function travel(page: Page, days: number): Promise<string> {
  const res = await page.request.post('/test/clock', {
    form: { days: String(days) },
    headers: { Origin: new URL(process.env.BASE_URL ?? 'http://127.0.0.1:3000').origin },
  });
  expect(res.status()).toBe(200);
  return (await res.json()).today;
}

/** The ISO date `days` after `day`. */
export const plus = (day: string, days: number) => {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/** Whole days from `from` to `to` (ISO dates). */
export const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T12:00:00Z`) - Date.parse(`${from}T12:00:00Z`)) / 86400_000);

/** The ISO date `months` after `day` (negative: before), the last of a shorter month as the
 *  portal counts (31 August less six months is 28 or 29 February). */
export const plusMonths = (day: string, months: number) => {
  const [y, m, d] = day.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = total % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${year}-${String(month + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
};
