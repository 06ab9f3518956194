/**
 * Journey: the patient's agenda before a follow-up. lege.berg moves pasient15's next follow-up to
 * tomorrow on the patient page; pasient15's home page then asks for the PHQ-9 and the two short
 * answers ("what I want to talk about", "one thing I tried"); lege.berg's follow-up card opens with
 * them, as text.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GpFollowUpCardPage } from './pages/GpFollowUpCardPage.js';
import { GpPatientListPage } from './pages/GpPatientListPage.js';
import { GpPatientPage } from './pages/GpPatientPage.js';
import { LoginPage } from './pages/LoginPage.js';
import { launchBrowser, newSession } from './support/browser.js';

const PATIENT = 'Oda Nygård'; // pasient15: mid-program, on lege.berg's list
const TALK_ABOUT = 'Jeg sover dårlig, og <b>morgenene</b> er tunge.';
const TRIED = 'Gikk tur med naboen to ganger.';

function tomorrow(): string {
  const date = new Date();
  date.setDate(date.getDate() + 1);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

describe('The patient agenda before a follow-up', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('pasient15 answers the two questions before a talk tomorrow, and the card opens with them', async () => {
    const gp = await newSession(browser);
    const patient = await newSession(browser);
    try {
      // Step 1: lege.berg moves the next follow-up to tomorrow at 10:00
      await (await new LoginPage(gp.page).open()).loginAs('lege.berg');
      const list = await new GpPatientListPage(gp.page).open();
      await list.row(PATIENT).getByRole('link', { name: PATIENT }).click();
      const patientPage = new GpPatientPage(gp.page);
      await patientPage.planRows.first().waitFor();
      const row = patientPage.planRows.and(gp.page.locator('[data-status="planned"]')).first();
      await row.getByText(/^Flytt, gi videre eller avlys/).click();
      await row.getByLabel('Dato').fill(tomorrow());
      await row.getByLabel('Klokkeslett').fill('10:00');
      await row.getByRole('button', { name: 'Lagre ny tid' }).click();
      await gp.page.getByTestId('gp-message').filter({ hasText: 'Oppfølgingen er flyttet til' }).waitFor();

      // Step 2: the patient's home page asks for the PHQ-9 and the agenda
      await (await new LoginPage(patient.page).open()).loginAs('pasient15');
      const agenda = patient.page.getByTestId('agenda-card');
      await agenda.waitFor();
      expect(await agenda.textContent()).toContain('kl. 10:00');
      expect(await agenda.getByRole('link', { name: 'Svar på PHQ-9' }).getAttribute('href')).toBe('#phq9');
      await agenda.getByLabel('Hva vil du snakke om?').fill(TALK_ABOUT);
      await agenda.getByLabel('Én ting jeg har prøvd siden sist').fill(TRIED);
      await agenda.getByRole('button', { name: 'Send til fastlegen' }).click();
      await agenda
        .getByRole('status')
        .filter({ hasText: /^Sendt / })
        .waitFor();

      // Step 3: the card opens with the patient's own words, shown as text
      await patientPage.open(patientPage.patientId());
      const index = (
        await patientPage.planRows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')))
      ).indexOf('planned');
      await patientPage.cardLink(index).click();
      const card = await new GpFollowUpCardPage(gp.page).waitUntilLoaded();
      const words = await card.agenda.locator('dd').allTextContents();
      expect(words).toEqual([TALK_ABOUT, TRIED]);
      expect(await card.agenda.locator('b').count()).toBe(0);
      expect(await card.text(card.preview)).toContain(`Pasientens tema: ${TALK_ABOUT}`);
      expect(gp.problems).toEqual([]);
      expect(patient.problems).toEqual([]);
    } finally {
      await gp.close();
      await patient.close();
    }
  });
});
