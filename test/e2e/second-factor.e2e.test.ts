/**
 * Issue 16 in Chromium: staff second factors. An admin enrols an authenticator app on the login
 * security page (the secret read from the page, codes computed as the app would), logs out, and
 * logs in again with the password and a code. A GP registers a passkey with Chromium's virtual
 * authenticator (WebAuthn over CDP, a platform authenticator with user verification), logs out,
 * and logs in with the password and the passkey. Every page passes the axe scan.
 *
 * The server runs as `npm start` runs it, on http://localhost (a WebAuthn relying party id must be
 * a host name, not 127.0.0.1), with its own demo data folder.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from 'otplib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startServer, type ServerProcess } from '../support/server-process.js';
import { DEMO_PASSWORD, launchBrowser, seriousAxeViolations } from './support/browser.js';
import { LoginPage } from './pages/LoginPage.js';
import { SecuritySettingsPage } from './pages/SecuritySettingsPage.js';

const WEB_ROOT = fileURLToPath(new URL('../../dist/web', import.meta.url));

describe('second factors for staff in the browser', () => {
  let browser: Browser;
  let server: ServerProcess;
  let origin: string;

  beforeAll(async () => {
    const port = await freePort();
    origin = `http://localhost:${port}`;
    server = await startServer(
      { DATA_DIR: mkdtempSync(join(tmpdir(), 'gpdep-mfa-')), WEB_ROOT, PUBLIC_URL: origin },
      { port }
    );
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    server?.child.kill('SIGTERM');
    await server?.exited;
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ baseURL: origin, locale: 'nb-NO' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    return page;
  }

  async function passwordStep(page: Page, username: string): Promise<void> {
    const login = await new LoginPage(page).open();
    await login.username.fill(username);
    await login.password.fill(DEMO_PASSWORD);
    await login.submit.click();
    await page.getByRole('heading', { level: 2, name: 'Bekreft at det er deg' }).waitFor();
  }

  async function logout(page: Page): Promise<void> {
    await page.getByRole('button', { name: 'Logg ut' }).click();
    await page.waitForURL(/\/login$/);
  }

  it('enrols an authenticator app, then logs in with the password and a code', async () => {
    const page = await newPage();
    try {
      await new LoginPage(page).open().then((login) => login.loginAs('admin'));
      const security = await new SecuritySettingsPage(page).openFromNavigation();
      expect(await seriousAxeViolations(page, 'login security, no factors')).toEqual([]);
      await security.addApp.click();
      const secret = (await security.secret.textContent())!.replace(/\s/g, '');
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(await seriousAxeViolations(page, 'login security, enrolling an app')).toEqual([]);
      const now = Math.floor(Date.now() / 1000);
      await security.appCode.fill(await generate({ secret, epoch: now }));
      await security.confirmApp.click();
      await expect.poll(() => security.recoveryCodes.count()).toBe(10);
      await page.getByText('Autentiseringsappen er lagt til.').waitFor();
      expect(await seriousAxeViolations(page, 'login security, recovery codes')).toEqual([]);

      await logout(page);
      await passwordStep(page, 'admin');
      // The session does not exist yet: the admin page is not reachable.
      expect((await page.request.get('/api/admin/users')).status()).toBe(401);
      expect(await seriousAxeViolations(page, 'login, second factor')).toEqual([]);
      // Focus moved to the second step's heading.
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Bekreft at det er deg');
      const field = page.getByLabel('Kode fra autentiseringsappen');
      // A wrong code is named on the field.
      await field.fill('000000');
      await page.getByRole('button', { name: 'Bekreft', exact: true }).click();
      await page.getByText('Koden ble ikke godtatt.', { exact: false }).first().waitFor();
      // The code of the next time step (the one used at enrolment cannot be used again).
      await field.fill(await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
      await page.getByRole('button', { name: 'Bekreft', exact: true }).click();
      await page.waitForURL(/\/admin$/);
      await page.getByRole('heading', { level: 1 }).waitFor();
    } finally {
      await page.context().close();
    }
  });

  it('registers a passkey with the virtual authenticator and logs in with it', async () => {
    const page = await newPage();
    try {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('WebAuthn.enable');
      const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: {
          protocol: 'ctap2',
          transport: 'internal',
          hasResidentKey: true,
          hasUserVerification: true,
          isUserVerified: true,
        },
      });
      await new LoginPage(page).open().then((login) => login.loginAs('lege.berg'));
      const security = await new SecuritySettingsPage(page).openFromNavigation();
      await security.passkeyName.fill('Kontor-PC');
      await security.addPasskey.click();
      await page.getByText('Passnøkkelen er lagt til.').waitFor();
      await expect.poll(() => security.recoveryCodes.count()).toBe(10);
      await page.getByRole('heading', { level: 3, name: 'Passnøkkel: Kontor-PC' }).waitFor();
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      expect(credentials).toHaveLength(1);
      expect(await seriousAxeViolations(page, 'login security, a passkey')).toEqual([]);

      await logout(page);
      await passwordStep(page, 'lege.berg');
      await page.getByRole('button', { name: 'Bruk passnøkkel' }).click();
      await page.waitForURL(/\/gp$/);
      await page.getByRole('heading', { level: 1 }).waitFor();
      const { credentials: after } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      expect(after[0]!.signCount).toBeGreaterThan(0);
    } finally {
      await page.context().close();
    }
  });
});
