/**
 * Issue 16 in Chromium: a patient logs in through ID-porten. The server runs as `npm start` runs
 * it, configured with IDPORTEN_* against a local stand-in (oidc-provider as ID-porten, see
 * test/support/id-porten-provider.ts); the browser follows every redirect itself. First a person
 * who is nobody's patient is sent back to the login page with the reason in words; then the demo
 * patient whose fødselsnummer the FHIR API gives lands on their home page without a password.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Patient } from 'fhir/r4.js';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIdPortenStandIn, type IdPortenStandIn } from '../support/id-porten-provider.js';
import { freePort, loginOverHttp, startServer, type ServerProcess } from '../support/server-process.js';
import { launchBrowser, seriousAxeViolations } from './support/browser.js';

const WEB_ROOT = fileURLToPath(new URL('../../dist/web', import.meta.url));

describe('ID-porten login in the browser', () => {
  let browser: Browser;
  let provider: IdPortenStandIn;
  let server: ServerProcess;

  beforeAll(async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    provider = await startIdPortenStandIn({ redirectUri: `${url}/api/auth/idporten/callback` });
    server = await startServer(
      {
        DATA_DIR: mkdtempSync(join(tmpdir(), 'gpdep-idporten-')),
        WEB_ROOT,
        PUBLIC_URL: url,
        IDPORTEN_ISSUER: provider.issuer,
        IDPORTEN_CLIENT_ID: provider.clientId,
        IDPORTEN_CLIENT_SECRET: provider.clientSecret,
        IDPORTEN_ALLOW_INSECURE_HTTP: '1',
      },
      { port }
    );
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    server?.child.kill('SIGTERM');
    await server?.exited;
    await provider?.close();
  });

  it('refuses a person who is not a patient here, then logs the patient in', async () => {
    // pasient07's fødselsnummer, as the FHIR API gives it to them.
    const own = await loginOverHttp(server.url, 'pasient07');
    const patient = (await (
      await fetch(`${server.url}/fhir/R4/Patient/${own.patientId}`, { headers: { cookie: own.cookie } })
    ).json()) as Patient;
    const pid = patient.identifier![0]!.value!;

    const context = await browser.newContext({ baseURL: server.url, locale: 'nb-NO' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    try {
      provider.nextLogin = { pid: '01018012345', acr: 'idporten-loa-substantial' };
      await page.goto('/login');
      await page.getByRole('link', { name: 'Logg inn med ID-porten' }).click();
      await page.waitForURL(/\/login\?idporten=/);
      // 01018012345 has wrong check digits: ID-porten would never send it; the platform says so.
      await page.getByText('ID-porten sendte ikke et gyldig fødselsnummer.').waitFor();
      expect(await seriousAxeViolations(page, 'login with an ID-porten refusal')).toEqual([]);

      // Another person at the same browser: the provider's single sign-on session is gone.
      await context.clearCookies();
      provider.nextLogin = { pid, acr: 'idporten-loa-high' };
      await page.getByRole('link', { name: 'Logg inn med ID-porten' }).click();
      await page.waitForURL(/\/patient$/);
      await page.getByRole('heading', { level: 1 }).waitFor();
      const session = (await (await page.request.get('/api/auth/session')).json()) as {
        user: { patientId: string };
      };
      expect(session.user.patientId).toBe(own.patientId);
    } finally {
      await context.close();
    }
  });
});
