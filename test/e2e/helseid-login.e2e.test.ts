/**
 * Issue 16 in Chromium: a GP logs in through HelseID and out again. The server runs as `npm start`
 * runs it, configured with HELSEID_* against a local stand-in (oidc-provider as HelseID:
 * private_key_jwt, DPoP, the HPR claim; see test/support/helseid-provider.ts), with the stand-in's
 * back-channel logout pointed at the real server; the browser follows every redirect itself.
 * First a health worker whose HPR number belongs to no GP here is sent back to the login page with
 * the reason in words; then the demo GP Ingrid Berg (HPR 990000001) lands on her worklist without
 * a password, and logging out takes the browser through HelseID's end-session page back to login.
 * Last, logging out at HelseID itself ends the platform session through the back channel.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHelseIdStandIn, type HelseIdStandIn } from '../support/helseid-provider.js';
import { freePort, startServer, type ServerProcess } from '../support/server-process.js';
import { GpWorklistPage } from './pages/GpWorklistPage.js';
import { launchBrowser, seriousAxeViolations } from './support/browser.js';

const WEB_ROOT = fileURLToPath(new URL('../../dist/web', import.meta.url));

describe('HelseID login in the browser', () => {
  let browser: Browser;
  let provider: HelseIdStandIn;
  let server: ServerProcess;

  beforeAll(async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    provider = await startHelseIdStandIn({
      platformUrl: url,
      backchannelLogoutUri: `${url}/api/auth/helseid/backchannel-logout`,
    });
    server = await startServer(
      {
        DATA_DIR: mkdtempSync(join(tmpdir(), 'gpdep-helseid-')),
        WEB_ROOT,
        PUBLIC_URL: url,
        HELSEID_ISSUER: provider.issuer,
        HELSEID_CLIENT_ID: provider.clientId,
        HELSEID_CLIENT_JWK: JSON.stringify(provider.clientPrivateJwk),
        HELSEID_ALLOW_INSECURE_HTTP: '1',
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

  it('refuses an HPR number with no GP, then logs the GP in to the worklist, and out through HelseID', async () => {
    const context = await browser.newContext({ baseURL: server.url, locale: 'nb-NO' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    try {
      provider.nextLogin = { hprNumber: '123456789', securityLevel: '4' };
      await page.goto('/login');
      await page.getByRole('link', { name: 'Logg inn med HelseID' }).click();
      await page.waitForURL(/\/login\?helseid=no_gp$/);
      await page
        .getByText('HPR-nummeret ditt hører ikke til en fastlege i GP-DEP.', { exact: false })
        .waitFor();
      expect(await seriousAxeViolations(page, 'login with a HelseID refusal')).toEqual([]);

      // The right GP, in a browser without HelseID's single sign-on session.
      await context.clearCookies();
      provider.nextLogin = { hprNumber: '990000001', securityLevel: '4' };
      await page.getByRole('link', { name: 'Logg inn med HelseID' }).click();
      await page.waitForURL(/\/gp$/);
      const worklist = new GpWorklistPage(page);
      await worklist.heading.waitFor();
      expect(await worklist.header.userName()).toBe('Ingrid Berg (lege, demo)');
      expect(await seriousAxeViolations(page, 'GP worklist after HelseID login')).toEqual([]);

      // Logout ends the platform session and HelseID's: through its end-session page, back to login.
      await page.getByRole('banner').getByRole('button', { name: 'Logg ut' }).click();
      await page.waitForURL((u) => u.href.startsWith(provider.issuer), { waitUntil: 'commit' });
      await page.waitForURL(/\/login$/);
      await page.getByRole('link', { name: 'Logg inn med HelseID' }).waitFor();
      const session = (await (await page.request.get('/api/auth/session')).json()) as { user: unknown };
      expect(session.user).toBeNull();

      // Logged in again, then logged out at HelseID itself (as from another application there):
      // HelseID's back-channel logout token reaches the server, which revokes the session.
      await page.getByRole('link', { name: 'Logg inn med HelseID' }).click();
      await page.waitForURL(/\/gp$/);
      await worklist.heading.waitFor();
      const before = (await (await page.request.get('/api/auth/session')).json()) as { user: unknown };
      expect(before.user).not.toBeNull();
      await page.goto(`${provider.issuer}/session/end`);
      await page.getByText('Sign-out Success', { exact: false }).waitFor();
      const after = (await (await page.request.get('/api/auth/session')).json()) as { user: unknown };
      expect(after.user).toBeNull();
    } finally {
      await context.close();
    }
  });
});
