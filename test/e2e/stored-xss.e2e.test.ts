/**
 * Journey 3: stored XSS through the UI. Text written by one user and shown to another is rendered
 * as text, never as HTML: (a) a patient's message to the GP on the GP's list, (b) a display name
 * an admin types, shown in the admin table and in the new user's own header.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminUsersPage } from './pages/AdminUsersPage.js';
import { GpPatientListPage } from './pages/GpPatientListPage.js';
import { LoginPage } from './pages/LoginPage.js';
import { PatientHomePage } from './pages/PatientHomePage.js';
import { launchBrowser, newSession, seriousAxeViolations } from './support/browser.js';

const PAYLOAD = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`;

async function xssFired(page: Page): Promise<unknown> {
  return page.evaluate(() => (window as Window & { __xss?: unknown }).__xss);
}

describe('Stored XSS is rendered as text', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("a patient's message with HTML shows as literal text on the GP's list", async () => {
    const session = await newSession(browser);
    const { page } = session;
    try {
      // Step 1: pasient37 submits PHQ-9 (all 0) with the payload as message to the GP
      const login = await new LoginPage(page).open();
      await login.loginAs('pasient37');
      const home = new PatientHomePage(page);
      const patientName = await home.header.userName();
      await home.answerAll([0, 0, 0, 0, 0, 0, 0, 0, 0]);
      await home.noteField.fill(PAYLOAD);
      await home.submit();
      await home.result.waitFor();
      await home.header.logout();

      // Step 2: lege.haugen opens the message on that patient's row
      await login.loginAs('lege.haugen');
      const gp = new GpPatientListPage(page);
      await gp.open();
      const row = gp.row(patientName);
      await row.getByText('Melding fra pasienten').click();
      const note = row.getByTestId('patient-note');
      await note.waitFor({ state: 'visible' });

      // Step 3: the exact characters are shown; no element was created; nothing ran
      expect(await note.textContent()).toBe(PAYLOAD);
      expect(await note.locator('img, script').count()).toBe(0);

      // Step 4: the message stays in front of the GP until read: on the worklist, and on the
      // patient page as literal text, until the GP marks it read
      await page.goto('/gp');
      const worklistItem = page.locator('[data-reason="patient_message"]').filter({ hasText: patientName });
      await worklistItem.first().waitFor();
      await gp.open();
      await gp.row(patientName).getByRole('link', { name: patientName }).click();
      const messages = page.getByTestId('patient-messages');
      await messages.waitFor();
      const text = messages.getByTestId('patient-message-text').first();
      expect(await text.textContent()).toBe(PAYLOAD);
      expect(await messages.locator('img, script').count()).toBe(0);
      expect(await seriousAxeViolations(page, 'patient messages')).toEqual([]);
      await messages.getByRole('button', { name: 'Marker som lest' }).first().click();
      await messages
        .getByText(/^Lest av /)
        .first()
        .waitFor();
      await page.goto('/gp');
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.waitForLoadState('networkidle');
      expect(
        await page.locator('[data-reason="patient_message"]').filter({ hasText: patientName }).count()
      ).toBe(0);
      await page.waitForTimeout(300);
      expect(await xssFired(page)).toBeUndefined();
      expect(session.problems).toEqual([]);
    } finally {
      await session.close();
    }
  });

  it('a display name with HTML shows as literal text in the admin table and the header', async () => {
    const session = await newSession(browser);
    const { page } = session;
    const username = `xss.${Date.now().toString(36)}`;
    const password = 'correct-horse-battery-staple';
    try {
      // Step 1: the admin creates a researcher whose display name is the payload
      const login = await new LoginPage(page).open();
      await login.loginAs('admin');
      const admin = new AdminUsersPage(page);
      await admin.usersTable.waitFor();
      await admin.createUser({ username, displayName: PAYLOAD, role: 'Forsker', password });
      await admin.message.waitFor();
      expect(await admin.message.textContent()).toContain(PAYLOAD);

      // Step 2: the users table shows the literal text
      const row = admin.row(username);
      await row.waitFor();
      expect(await row.getByRole('cell').first().textContent()).toBe(PAYLOAD);
      expect(await admin.usersTable.locator('img, script').count()).toBe(0);
      expect(await xssFired(page)).toBeUndefined();
      await admin.header.logout();

      // Step 3: the new user's own header shows the literal text
      await login.loginAs(username, password);
      expect(await new AdminUsersPage(page).header.userName()).toBe(PAYLOAD);
      expect(await page.getByRole('banner').locator('img, script').count()).toBe(0);
      expect(await xssFired(page)).toBeUndefined();
      expect(session.problems).toEqual([]);
    } finally {
      await session.close();
    }
  });
});
