/**
 * Journey: a patient has lost their password. The GP cannot take the account over with an
 * invitation code (issue 10, item 1); instead lege.berg resets the access of pasient17: the
 * patient's open session ends at once, a one-time code is shown to the GP, the patient chooses a
 * new password with it, and their home page says who reset the access and when.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GpPatientListPage } from './pages/GpPatientListPage.js';
import { GpPatientPage } from './pages/GpPatientPage.js';
import { InvitationPage } from './pages/InvitationPage.js';
import { LoginPage } from './pages/LoginPage.js';
import { PatientHomePage } from './pages/PatientHomePage.js';
import { apiFromPage } from './support/program.js';
import { launchBrowser, newSession, seriousAxeViolations } from './support/browser.js';

const PATIENT = 'Ragnhild Dahl'; // pasient17, on lege.berg's list
const NEW_PASSWORD = 'nordlys-over-byen-2026';

describe('Account recovery: the GP resets access, the patient is told', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('ends the patient’s sessions, gives a one-time code, and shows the reset on the patient’s home page', async () => {
    const gp = await newSession(browser);
    const patient = await newSession(browser);
    try {
      await (await new LoginPage(patient.page).open()).loginAs('pasient17');
      await new PatientHomePage(patient.page).header.userName();

      await (await new LoginPage(gp.page).open()).loginAs('lege.berg');
      const list = await new GpPatientListPage(gp.page).open();
      await list.row(PATIENT).getByRole('link', { name: PATIENT }).click();
      const page = new GpPatientPage(gp.page);
      await page.account.waitFor();
      expect(await page.account.textContent()).toContain('Pasienten logger inn med egen bruker');
      const code = await page.resetAccess();
      expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{2}$/);
      expect(await seriousAxeViolations(gp.page, 'account reset')).toEqual([]);

      // The patient's open session is gone: the next API call is refused.
      const status = await apiFromPage(patient.page, 'GET', '/api/auth/session');
      expect(status.body).toMatchObject({ user: null });

      const invitation = await new InvitationPage(patient.page).open();
      await invitation.redeem(code, NEW_PASSWORD);
      const recovered = patient.page.getByTestId('account-recovered');
      await recovered.waitFor();
      expect(await recovered.textContent()).toContain('Ingrid Berg (lege, demo) tilbakestilte tilgangen din');
      expect(await seriousAxeViolations(patient.page, 'patient home after a reset')).toEqual([]);
      expect(gp.problems).toEqual([]);
      expect(patient.problems).toEqual([]);
    } finally {
      await gp.close();
      await patient.close();
    }
  });
});
