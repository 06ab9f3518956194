/**
 * Journey 5: axe-core WCAG 2.1 A/AA scan of every page, as each role sees it. Serious and critical
 * violations fail the test (and are printed). The patient page is scanned with the crisis panel
 * and the "missing answers" summary showing, since those are the states that matter most.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminUsersPage } from './pages/AdminUsersPage.js';
import { GpPatientListPage } from './pages/GpPatientListPage.js';
import { LoginPage } from './pages/LoginPage.js';
import { PatientHomePage } from './pages/PatientHomePage.js';
import { ResearchPage } from './pages/ResearchPage.js';
import { launchBrowser, newSession, seriousAxeViolations } from './support/browser.js';

describe('Accessibility (axe, WCAG 2.1 AA)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('login page, in both languages', async () => {
    const session = await newSession(browser);
    try {
      const login = await new LoginPage(session.page).open();
      expect(await seriousAxeViolations(session.page, 'login (nb)')).toEqual([]);
      // The error state too
      await login.username.fill('pasient31');
      await login.password.fill('wrong-password');
      await login.submit.click();
      await login.error.waitFor();
      expect(await seriousAxeViolations(session.page, 'login with error')).toEqual([]);
      await login.header.switchToEnglish();
      await expect.poll(() => login.heading.textContent()).toBe('Log in');
      expect(await seriousAxeViolations(session.page, 'login (en)')).toEqual([]);
    } finally {
      await session.close();
    }
  });

  it('patient home, with the crisis panel and the missing-answers summary visible', async () => {
    const session = await newSession(browser);
    try {
      await (await new LoginPage(session.page).open()).loginAs('pasient08');
      const home = new PatientHomePage(session.page);
      await home.history.or(session.page.getByText('Du har ikke fylt ut PHQ-9 ennå.')).waitFor();
      expect(await seriousAxeViolations(session.page, 'patient home')).toEqual([]);
      // pasient08 answered a PHQ-9 three days ago: the page says from when, instead of the form.
      await session.page.getByTestId('phq9-not-yet').waitFor();

      // pasient09's last PHQ-9 was a month ago: the form, with the crisis panel and the summary
      await home.header.logout();
      await (await new LoginPage(session.page).open()).loginAs('pasient09');
      await home.answerItem(8, 2);
      await home.crisisPanel.waitFor({ state: 'visible' });
      await home.submit(); // items 1-8 and 10 unanswered → summary of what is missing
      await session.page.getByText('Du har ikke svart på alt ennå').waitFor();
      expect(await seriousAxeViolations(session.page, 'patient home with crisis panel')).toEqual([]);
    } finally {
      await session.close();
    }
  });

  it('GP patient list (with urgent rows)', async () => {
    const session = await newSession(browser);
    try {
      await (await new LoginPage(session.page).open()).loginAs('lege.berg');
      const gp = new GpPatientListPage(session.page);
      await gp.open();
      expect(await seriousAxeViolations(session.page, 'GP patient list')).toEqual([]);
    } finally {
      await session.close();
    }
  });

  it('researcher home', async () => {
    const session = await newSession(browser);
    try {
      await (await new LoginPage(session.page).open()).loginAs('forsker');
      const research = new ResearchPage(session.page);
      await research.totals.waitFor();
      expect(await session.page.getByText('ser du aldri opplysninger om enkeltpersoner').count()).toBe(1);
      expect(await seriousAxeViolations(session.page, 'research home')).toEqual([]);
    } finally {
      await session.close();
    }
  });

  it('admin users page, including the audit check result', async () => {
    const session = await newSession(browser);
    try {
      await (await new LoginPage(session.page).open()).loginAs('admin');
      const admin = new AdminUsersPage(session.page);
      await admin.usersTable.waitFor();
      await admin.verifyButton.click();
      await admin.auditResult.waitFor();
      expect(await admin.auditResult.textContent()).toContain('Revisjonsloggen er intakt');
      expect(await seriousAxeViolations(session.page, 'admin users')).toEqual([]);
    } finally {
      await session.close();
    }
  });
});
