/**
 * Journey 1: a patient fills in PHQ-9 at home and the GP sees the result on the patient list.
 * Answer pattern 2,2,2,2,2,2,1,1,0 = 14 ("moderate"), item 9 = 0 (no crisis panel, no alert).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GpPatientListPage } from './pages/GpPatientListPage.js';
import { LoginPage } from './pages/LoginPage.js';
import { PatientHomePage } from './pages/PatientHomePage.js';
import { launchBrowser, newSession } from './support/browser.js';

const ANSWERS = [2, 2, 2, 2, 2, 2, 1, 1, 0] as const;

describe('PHQ-9 journey: patient submits, GP follows up', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('pasient05 submits a PHQ-9 totalling 14 and lege.berg sees 14 on that row', async () => {
    const session = await newSession(browser);
    const { page } = session;
    try {
      // Step 1: the patient logs in and lands on the patient home page
      const login = await new LoginPage(page).open();
      await login.loginAs('pasient05');
      expect(page.url()).toMatch(/\/patient$/);
      const home = new PatientHomePage(page);
      const patientName = await home.header.userName();
      expect(patientName).not.toBe('');
      expect(await home.heading.textContent()).toContain(patientName);

      // Step 2: answer all nine items (and item 10), no item-9 answer above 0 → no crisis panel
      await home.answerAll(ANSWERS, 2);
      expect(await home.crisisPanel.count()).toBe(0);

      // Step 3: submit and read the server's score and severity in words
      await home.submit();
      await home.result.waitFor();
      expect(await home.resultScore()).toBe('14 av 27');
      expect((await home.resultSeverity()).toLowerCase()).toContain('moderate');
      expect(await home.crisisPanel.count()).toBe(0);

      // Step 4: the history table lists the new response
      await home.history.waitFor();
      await expect
        .poll(async () => (await home.history.getByRole('row').nth(1).textContent()) ?? '')
        .toContain('14');

      // Step 5: log out; the app returns to the login page
      await home.header.logout();
      expect(page.url()).toMatch(/\/login$/);

      // Step 6: the GP logs in and finds 14 on the patient's row
      await login.loginAs('lege.berg');
      const gp = new GpPatientListPage(page);
      await gp.open();
      expect(await gp.heading.textContent()).toContain('Ingrid Berg');
      const row = await gp.rowText(patientName);
      expect(row).toContain('14 – Moderate plager');
      expect(await gp.urgentTag(patientName).count()).toBe(0);

      expect(session.problems).toEqual([]);
    } finally {
      await session.close();
    }
  });

  it('an anonymous visitor to a patient page is sent to the login page', async () => {
    const session = await newSession(browser);
    try {
      await session.page.goto('/patient');
      await session.page.waitForURL(/\/login$/);
      expect(await new LoginPage(session.page).heading.textContent()).toBe('Logg inn');
    } finally {
      await session.close();
    }
  });

  it('a wrong password shows one error message in an alert', async () => {
    const session = await newSession(browser);
    try {
      const login = await new LoginPage(session.page).open();
      await login.username.fill('pasient30');
      await login.password.fill('not-the-password');
      await login.submit.click();
      await login.error.waitFor();
      expect(await login.error.textContent()).toContain('Feil brukernavn eller passord.');
      expect(session.page.url()).toMatch(/\/login$/);
    } finally {
      await session.close();
    }
  });
});
