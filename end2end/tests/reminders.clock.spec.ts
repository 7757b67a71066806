import { test, expect } from '@playwright/test';
import { DEMO, checkA11y, plus, readMail, signIn, travel, visit } from './helpers';

// This server runs with the test clock (`CERTPORTAL_TEST_CLOCK`, refused on any address but
// this machine's): moving the time runs the day's job, as the scheduler would that day.
// Erik's certificate 10002 must be extended by 20 days from the demo's start.

test('a week before the yearly extension: the reminder, its calendar file, then inactive', async ({ page, context }, testInfo) => {
  await context.clearCookies();
  // The SMTP server's mailbox is shared by every run: only what this run sent counts (an
  // email's date is to the second).
  const started = Date.now();
  // The day before the reminder's day: nothing yet.
  await travel(page, 12);
  // Its day: "Inaktiveringspåminnelse", with the deadline in the calendar file.
  const today = await travel(page, 1);
  const deadline = plus(today, 7);
  const mail = await readMail('erik.holm@example.se', started - 1_000, 'Inaktiveringspåminnelse');
  expect(mail.text).toContain('10002');
  expect(mail.text).toContain(deadline);
  const ics = mail.attachments.find((a) => a.filename === 'sista-dag.ics');
  expect(ics?.content.toString('utf-8')).toContain(`DTSTART;VALUE=DATE:${deadline.replaceAll('-', '')}`);

  await signIn(page, testInfo, DEMO.holder);
  await visit(page, testInfo, '/my/messages');
  const reminder = page.getByTestId('message').filter({ hasText: 'Inaktiveringspåminnelse' });
  await expect(reminder).toHaveCount(1);
  await expect(reminder).toContainText(`blir inaktivt ${deadline}`);
  await checkA11y(page, testInfo);

  // The day after: the same reminder does not come again. (A session ends after 30 idle
  // minutes: after each move Erik signs in anew.)
  await travel(page, 1);
  await context.clearCookies();
  await signIn(page, testInfo, DEMO.holder);
  await visit(page, testInfo, '/my/messages');
  await expect(page.getByTestId('message').filter({ hasText: 'Inaktiveringspåminnelse' })).toHaveCount(1);

  // Past the deadline without an extension: inactive, and Erik is told.
  await travel(page, 7);
  const told = await readMail('erik.holm@example.se', started - 1_000, 'Ditt certifikat har blivit inaktivt');
  expect(told.text).toContain('10002');
  await context.clearCookies();
  await signIn(page, testInfo, DEMO.holder);
  await visit(page, testInfo, '/my/certificates');
  await expect(page.getByRole('row').filter({ hasText: '10002' })).toContainText('Inaktivt');
});
