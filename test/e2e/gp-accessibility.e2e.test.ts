/**
 * Accessibility of the GP's follow-up pages: axe (WCAG 2.1 A/AA, serious and critical = 0) on the
 * worklist, a patient page, the recommend dialog, the invitation letter, a follow-up card, the
 * module manual, the module as the patient sees it, the practice and caseload pages and the public
 * /invitasjon page; and the follow-up card at 360 px without horizontal scrolling. Jonas Vik (on
 * the list, no account yet) is recommended here; pasient11 (mid-program) gives the card.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GpFollowUpCardPage } from './pages/GpFollowUpCardPage.js';
import { GpPatientListPage } from './pages/GpPatientListPage.js';
import { GpPatientPage } from './pages/GpPatientPage.js';
import { GpWorklistPage } from './pages/GpWorklistPage.js';
import { InvitationPage } from './pages/InvitationPage.js';
import { LoginPage } from './pages/LoginPage.js';
import { launchBrowser, newSession, seriousAxeViolations } from './support/browser.js';

async function scrollWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.scrollingElement?.scrollWidth ?? Number.POSITIVE_INFINITY);
}

async function openPatient(page: Page, name: string): Promise<GpPatientPage> {
  const list = await new GpPatientListPage(page).open();
  await list.row(name).getByRole('link', { name }).click();
  const patient = new GpPatientPage(page);
  await patient.status.waitFor();
  return patient;
}

describe('Accessibility of the GP follow-up pages', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('worklist, patient page, recommend dialog and invitation letter', async () => {
    const session = await newSession(browser);
    const { page } = session;
    try {
      await (await new LoginPage(page).open()).loginAs('lege.berg');
      const worklist = new GpWorklistPage(page);
      await worklist.attentionItems.first().waitFor();
      expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
      expect(await seriousAxeViolations(page, 'GP worklist')).toEqual([]);

      const patient = await openPatient(page, 'Jonas Vik'); // on the list, no account yet
      // A new patient has nothing in the timeline yet: wait for the loaded (empty) timeline.
      await page.getByTestId('timeline-empty').waitFor();
      await patient.account.waitFor();
      expect(await seriousAxeViolations(page, 'GP patient page')).toEqual([]);

      await patient.openRecommendDialog();
      expect(await seriousAxeViolations(page, 'recommend dialog')).toEqual([]);
      // Keyboard: Escape closes the dialog, and it opens again
      await page.keyboard.press('Escape');
      await patient.dialog.waitFor({ state: 'hidden' });
      await patient.openRecommendDialog();
      await patient.recommend();
      expect(await seriousAxeViolations(page, 'invitation letter')).toEqual([]);
      expect(session.problems).toEqual([]);
    } finally {
      await session.close();
    }
  });

  it('follow-up card (also at 360 px), manual, module as the patient sees it, practice and caseload', async () => {
    const session = await newSession(browser);
    const { page } = session;
    try {
      await (await new LoginPage(page).open()).loginAs('lege.berg');
      const patient = await openPatient(page, 'Kari Aasen'); // pasient11
      await patient.planRows.first().waitFor();
      const statuses = await patient.planRows.evaluateAll((rows) =>
        rows.map((r) => r.getAttribute('data-status'))
      );
      const next = statuses.indexOf('planned');
      expect(next).toBeGreaterThanOrEqual(0);
      await patient.cardLink(next).click();
      const card = await new GpFollowUpCardPage(page).waitUntilLoaded();
      await card.chart.waitFor();
      expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
      expect(await seriousAxeViolations(page, 'follow-up card')).toEqual([]);
      const cardUrl = page.url();

      // A 20-minute talk on a 1366×900 laptop: agenda, item 9, change since last time and the
      // note are on screen together, without scrolling.
      await page.setViewportSize({ width: 1366, height: 900 });
      await page.evaluate(() => window.scrollTo(0, 0));
      for (const id of ['card-agenda', 'card-alerts', 'card-since', 'card-note']) {
        const box = await page.getByTestId(id).boundingBox();
        expect(box, id).not.toBeNull();
        expect(box!.y, id).toBeLessThan(900 - 40);
      }
      await page.setViewportSize({ width: 1280, height: 900 });

      await card.manualLink.click();
      await page.getByRole('heading', { level: 1, name: /^Veileder: Modul \d/ }).waitFor();
      await page.getByRole('heading', { name: 'Vanlige vansker og hvordan du kan hjelpe' }).waitFor();
      expect(await seriousAxeViolations(page, 'GP manual')).toEqual([]);

      await page.getByRole('link', { name: /^Åpne modul \d slik pasienten ser den$/ }).click();
      await page.getByRole('navigation', { name: 'Innhold i modulen' }).waitFor();
      expect(await page.locator('input, textarea, select').count()).toBe(0);
      expect(await seriousAxeViolations(page, 'module as the patient sees it')).toEqual([]);

      await page.goto('/gp/practice');
      await page.getByTestId('practice-gps').waitFor();
      expect(await seriousAxeViolations(page, 'practice page')).toEqual([]);

      await page.goto('/gp/caseload');
      await page.getByTestId('caseload-figures').waitFor();
      expect(await seriousAxeViolations(page, 'caseload page')).toEqual([]);

      await page.goto('/gp/fee-codes');
      await page.getByTestId('fee-code-table').waitFor();
      expect(await seriousAxeViolations(page, 'fee codes page')).toEqual([]);

      // The card on a small phone: no horizontal scrolling, the chart and the note still there
      await page.setViewportSize({ width: 360, height: 740 });
      await page.goto(cardUrl);
      await card.waitUntilLoaded();
      await card.chart.waitFor();
      expect(await scrollWidth(page)).toBeLessThanOrEqual(360);
      await card.field('Hva dere snakket om').fill('Søvn og morgener.');
      await expect.poll(() => card.text(card.preview)).toContain('Søvn og morgener.');
      expect(await scrollWidth(page)).toBeLessThanOrEqual(360);
      expect(session.problems).toEqual([]);
    } finally {
      await session.close();
    }
  });

  it('the public invitation page', async () => {
    const session = await newSession(browser);
    const { page } = session;
    try {
      const invitation = await new InvitationPage(page).open();
      expect(await invitation.heading.textContent()).toBe('Start nettbehandlingen');
      expect(await seriousAxeViolations(page, 'invitation page')).toEqual([]);
      // A wrong code is refused with a message on the field, and the page stays usable
      await invitation.code.fill('AAAA-BBBB-CC');
      await invitation.password.fill('et-langt-passord-her');
      await invitation.repeat.fill('et-langt-passord-her');
      await invitation.submit.click();
      await page.getByText('Koden er ikke gyldig, eller den har gått ut.').waitFor();
      expect(await invitation.code.getAttribute('aria-invalid')).toBe('true');
      expect(await seriousAxeViolations(page, 'invitation page with an error')).toEqual([]);
      await page.setViewportSize({ width: 360, height: 740 });
      expect(await scrollWidth(page)).toBeLessThanOrEqual(360);
      expect(session.problems).toEqual([]);
    } finally {
      await session.close();
    }
  });
});
