import { test, expect } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { checkStatus } from '@digitalbazaar/vc-bitstring-status-list';
import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { DEMO, checkA11y, nav, ready, signIn, signOut, submit, visit } from './helpers';

// Erik Holm's F-gas category III certificate.
const NUMBER = '10012';
const TITLE = 'F-Gaser - Personcertifikat f-gas kat III';

/** 1EdTech's JSON Schema of the Open Badges 3.0 credential (vendored, see schema/README.md). */
async function schemaChecks() {
  const schema = JSON.parse(await readFile(join(__dirname, '..', 'schema', 'ob_v3p0_achievementcredential.json'), 'utf8'));
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(schema);
  return {
    credential: ajv.getSchema(schema.$id)!,
    status: ajv.getSchema(`${schema.$id}#/$defs/CredentialStatus`)!,
  };
}

/**
 * The credential checked by independent verifiers: its signature by `jose` against the key the
 * portal publishes, its shape against 1EdTech's schema, and its revocation and suspension bits
 * by `@digitalbazaar/vc-bitstring-status-list` from the signed status lists.
 */
async function verifyCredential(base: string, jwt: string) {
  const keys: JWTVerifyGetKey = createRemoteJWKSet(new URL('/.well-known/jwks.json', base));
  const { payload, protectedHeader } = await jwtVerify(jwt, keys, { algorithms: ['ES256'], issuer: `${base}/issuer` });
  // The header's key id is a URL that answers with the key itself.
  const jwk = await (await fetch(protectedHeader.kid!)).json();
  expect(jwk.kid).toBe(protectedHeader.kid);
  const checks = await schemaChecks();
  const { credentialStatus, ...rest } = payload as Record<string, any>;
  expect(checks.credential(rest), JSON.stringify(checks.credential.errors)).toBe(true);
  for (const entry of credentialStatus) {
    expect(checks.status(entry), JSON.stringify(checks.status.errors)).toBe(true);
  }
  const documentLoader = async (url: string) => {
    const listJwt = await (await fetch(url)).text();
    const { payload: list } = await jwtVerify(listJwt, keys, { algorithms: ['ES256'] });
    return { document: list };
  };
  const status = await checkStatus({ credential: payload, documentLoader, verifyBitstringStatusListCredential: false });
  expect(status.verified, String(status.error)).toBe(true);
  const bit = (purpose: string) => status.results[credentialStatus.findIndex((e: any) => e.statusPurpose === purpose)].status;
  return { payload, revoked: bit('revocation'), suspended: bit('suspension') };
}

test('anyone verifies a certificate and its PDF; staff suspend, lift and revoke it', async ({ page, context }, testInfo) => {
  await context.clearCookies();
  await signIn(page, testInfo, DEMO.holder);
  await nav(page, testInfo, 'Mina sidor');
  await page.getByRole('link', { name: TITLE }).click();
  await ready(page, testInfo);
  const certificate = new URL(page.url()).pathname;

  // "Publicerad": the holder chooses that the public pages show their name.
  await expect(page.getByTestId('published')).toContainText('Nej');
  await submit(page, testInfo, 'Publicera mitt namn');
  await expect(page.getByTestId('published')).toContainText('Ja');
  await checkA11y(page, testInfo);

  // The signed PDF, as "Ladda ned certifikat" gives it.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Ladda ned certifikat' }).click(),
  ]);
  const pdf = await readFile((await download.path())!);
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

  // The Open Badges credential: signed, of the right shape, neither revoked nor suspended.
  const base = new URL(page.url()).origin;
  const [badge] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('badge').click(),
  ]);
  const jwt = (await readFile((await badge.path())!, 'utf8')).trim();
  let verified = await verifyCredential(base, jwt);
  expect(verified.payload.credentialSubject).toMatchObject({ licenseNumber: NUMBER });
  expect(JSON.stringify(verified.payload)).not.toContain('19900412');
  expect(verified).toMatchObject({ revoked: false, suspended: false });
  const [head, body, signature] = jwt.split('.');
  const mid = Math.floor(body.length / 2);
  const tampered = [head, body.slice(0, mid) + (body[mid] === 'A' ? 'B' : 'A') + body.slice(mid + 1), signature].join('.');
  await expect(verifyCredential(base, tampered)).rejects.toThrow();

  // "Lägg till på LinkedIn", prefilled, and the fields to copy.
  const linkedin = await page.getByTestId('linkedin').getAttribute('href');
  expect(linkedin).toContain('startTask=CERTIFICATION_NAME');
  expect(linkedin).toContain(`certId=${NUMBER}`);
  await expect(page.getByTestId('linkedin-fields')).toContainText(`/verify/${NUMBER}`);

  // Without scanning: the certificate's link to its verification page.
  await page.getByTestId('verify-link').click();
  await ready(page, testInfo);
  await checkA11y(page, testInfo);
  expect(new URL(page.url()).pathname).toBe(`/verify/${NUMBER}`);
  await expect(page.getByTestId('verify-status')).toHaveText('Aktivt');
  await expect(page.getByTestId('verify-facts')).toContainText('Erik Holm');
  await expect(page.getByTestId('verify-card')).not.toContainText('19900412');

  // "Kontrollera en PDF": the downloaded one is genuine; one changed byte is found.
  await page.getByLabel(/PDF-fil/).setInputFiles({ name: 'certifikat.pdf', mimeType: 'application/pdf', buffer: pdf });
  await submit(page, testInfo, 'Kontrollera PDF');
  await expect(page.getByTestId('pdf-verdict')).toHaveAttribute('data-verdict', 'genuine');
  await expect(page.getByTestId('pdf-verdict')).toContainText(`för certifikat ${NUMBER}`);
  await checkA11y(page, testInfo);
  const edited = Buffer.from(pdf);
  edited[edited.indexOf('Erik Holm')] = 'F'.charCodeAt(0);
  await page.getByLabel(/PDF-fil/).setInputFiles({ name: 'certifikat.pdf', mimeType: 'application/pdf', buffer: edited });
  await submit(page, testInfo, 'Kontrollera PDF');
  await expect(page.getByTestId('pdf-verdict')).toHaveAttribute('data-verdict', 'altered');
  await expect(page.getByTestId('pdf-verdict')).toContainText('har ändrats');
  await signOut(page, testInfo);

  // Staff suspend it, with a reason: the public page says so.
  await signIn(page, testInfo, DEMO.handler);
  await visit(page, testInfo, certificate);
  await page.getByLabel('Skäl').fill('Utredning av klagomål');
  await submit(page, testInfo, 'Stäng av certifikatet');
  await expect(page.getByTestId('done')).toContainText('Avstängt');
  await visit(page, testInfo, `/verify/${NUMBER}`);
  await expect(page.getByTestId('verify-status')).toHaveText('Avstängt');
  await expect(page.getByTestId('verify-reason')).toContainText('Utredning av klagomål');
  verified = await verifyCredential(base, jwt);
  expect(verified).toMatchObject({ revoked: false, suspended: true });

  // The register finds a published holder, and not the unpublished.
  await visit(page, testInfo, '/register');
  await page.getByTestId('register-q').fill('Anja');
  await submit(page, testInfo, 'Sök');
  await expect(page.getByTestId('register')).toContainText('Anja Berg');
  await page.getByTestId('register-q').fill('Lars');
  await submit(page, testInfo, 'Sök');
  await expect(page.getByTestId('register-empty')).toBeVisible();

  // They lift it: valid again.
  await visit(page, testInfo, certificate);
  await page.getByLabel('Skäl').fill('Utredningen är klar');
  await submit(page, testInfo, 'Häv avstängningen');
  await expect(page.getByTestId('done')).toContainText('Aktivt');
  verified = await verifyCredential(base, jwt);
  expect(verified).toMatchObject({ revoked: false, suspended: false });

  // A revocation is confirmed, or nothing happens; then it is final.
  await page.getByLabel('Skäl').fill('Utfärdat felaktigt');
  await submit(page, testInfo, 'Återkalla certifikatet');
  await expect(page.getByTestId('error-summary')).toContainText('Bekräfta');
  await expect(page.getByLabel('Skäl')).toHaveValue('Utfärdat felaktigt');
  await page.getByLabel('Jag förstår att en återkallelse inte kan ångras.').check();
  await submit(page, testInfo, 'Återkalla certifikatet');
  await expect(page.getByTestId('done')).toContainText('Återkallat');
  await expect(page.getByRole('button', { name: 'Återkalla certifikatet' })).toHaveCount(0);
  await checkA11y(page, testInfo);

  // The page and the API say it, with the reason and the history.
  await visit(page, testInfo, `/verify/${NUMBER}`);
  await expect(page.getByTestId('verify-status')).toHaveText('Återkallat');
  await expect(page.getByTestId('verify-reason')).toContainText('Utfärdat felaktigt');
  await expect(page.getByTestId('verify-history')).toContainText('Avstängningen hävdes');
  const api = await page.request.get(`/api/v1/certificates/${NUMBER}`);
  expect(api.status()).toBe(200);
  const json = await api.json();
  expect(json.status).toBe('revoked');
  expect(json.valid_now).toBe(false);
  expect(json.reason).toBe('Utfärdat felaktigt');
  expect(json.holder).toBe('Erik Holm');
  verified = await verifyCredential(base, jwt);
  expect(verified).toMatchObject({ revoked: true, suspended: false });

  // Someone looks up a number that does not exist.
  await visit(page, testInfo, '/verify');
  await page.getByTestId('verify-number').fill('99999');
  await submit(page, testInfo, 'Kontrollera');
  await expect(page.getByTestId('verify-not-found')).toContainText('99999');
});
