/**
 * Journey 2: item 9 safety. The crisis panel must appear the moment item 9 is answered above 0,
 * from the bundle alone (also offline); an offline submit keeps the answers and can be retried
 * with the same idempotency key; the GP and the practice get an e-mail at once (the suite's real
 * SMTP server), the GP sees the patient as urgent and closes the case with a record of what was done.
 */
import type { Browser, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GpPatientListPage } from './pages/GpPatientListPage.js';
import { LoginPage } from './pages/LoginPage.js';
import { PatientHomePage } from './pages/PatientHomePage.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { GpPatientPage } from './pages/GpPatientPage.js';
import { launchBrowser, newSession, seriousAxeViolations } from './support/browser.js';

/** The messages the suite's SMTP server has received for one address. */
function mailsTo(address: string): { to: string[]; subject: string; text: string }[] {
  const dir = inject('mailDir');
  return readdirSync(dir)
    .map(
      (f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as { to: string[]; subject: string; text: string }
    )
    .filter((m) => m.to.includes(address));
}

const CRISIS_LINKS = ['tel:113', 'tel:116117', 'tel:116123', 'tel:22400040'];
const CRISIS_NUMBERS = ['113', '116 117', '116 123', '22 40 00 40'];
const ANSWERS = [1, 1, 1, 1, 1, 1, 1, 1, 1] as const; // total 9, item 9 = 1

describe('Item 9 safety panel', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('appears as soon as item 9 is answered above 0, with the four tel: links, and goes when set back to 0', async () => {
    const session = await newSession(browser);
    const { page } = session;
    try {
      // Step 1: log in as pasient01
      await (await new LoginPage(page).open()).loginAs('pasient01');
      const home = new PatientHomePage(page);
      expect(await home.crisisPanel.count()).toBe(0);

      // Step 2: select "Flere dager" (1) on item 9 → panel appears immediately
      await home.answerItem(8, 1);
      await home.crisisPanel.waitFor({ state: 'visible' });
      expect(await home.crisisPanel.getAttribute('role')).toBe('alert');
      expect(await home.crisisTelLinks()).toEqual(CRISIS_LINKS);
      const text = (await home.crisisPanel.textContent()) ?? '';
      for (const number of CRISIS_NUMBERS) expect(text).toContain(number);
      expect(text).toContain('Kontakt fastlegen din i dag');
      expect(text.toLowerCase()).not.toMatch(/risiko|risk/);

      // Step 3: back to "Ikke i det hele tatt" (0) → panel gone
      await home.answerItem(8, 0);
      await home.crisisPanel.waitFor({ state: 'detached' });

      // Step 4: "Trenger du hjelp nå?" is on every patient page, the workbook included, with the
      // numbers and plain words about who reads the answers and when
      for (const path of [
        '/patient',
        '/patient/program',
        '/patient/program/m1',
        '/patient/workbook',
        '/patient/measure/gad7',
      ]) {
        await page.goto(path);
        const help = page.getByTestId('help-now');
        await help.waitFor();
        await help.getByText('Trenger du hjelp nå?').click();
        const links = await help.getByRole('link').evaluateAll((a) => a.map((x) => x.getAttribute('href')));
        expect(links, path).toEqual(CRISIS_LINKS);
        expect((await help.textContent()) ?? '', path).toContain('leser ingen');
      }
      expect(session.problems).toEqual([]);
    } finally {
      await session.close();
    }
  });

  it('works offline: panel appears, failed submit keeps answers, retry succeeds, GP sees urgent', async () => {
    const session = await newSession(browser);
    const { page, context } = session;
    try {
      // Step 1: log in as pasient01 and load the page while online
      const login = await new LoginPage(page).open();
      await login.loginAs('pasient01');
      const home = new PatientHomePage(page);
      const patientName = await home.header.userName();

      // Step 2: go offline, then answer item 9 → the panel still appears (no network needed)
      await context.setOffline(true);
      await home.answerItem(8, 1);
      await home.crisisPanel.waitFor({ state: 'visible' });
      expect(await home.crisisTelLinks()).toEqual(CRISIS_LINKS);

      // Step 3: answer the rest and submit while offline → error, answers kept, panel still shown
      const keys: string[] = [];
      page.on('request', (request: Request) => {
        if (request.url().endsWith('/phq9') && request.method() === 'POST') {
          keys.push(request.headers()['idempotency-key'] ?? '');
        }
      });
      await home.answerAll(ANSWERS, 1);
      await home.submit();
      await home.networkError.waitFor();
      expect(await home.isChecked(0, 1)).toBe(true);
      expect(await home.isChecked(8, 1)).toBe(true);
      expect(await home.crisisPanel.isVisible()).toBe(true);
      expect(page.url()).toMatch(/\/patient$/);

      // Step 4: back online, retry → stored; the result view keeps the crisis panel
      await context.setOffline(false);
      await home.retryButton.click();
      await home.result.waitFor();
      expect(await home.resultScore()).toBe('9 av 27');
      expect((await home.resultSeverity()).toLowerCase()).toContain('milde');
      await home.crisisPanel.waitFor({ state: 'visible' });
      expect(await home.crisisTelLinks()).toEqual(CRISIS_LINKS);

      // The retry reused the first attempt's idempotency key (if the offline attempt was seen at all).
      expect(keys.length).toBeGreaterThanOrEqual(1);
      expect(new Set(keys).size).toBe(1);
      expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);

      // Step 5: the GP sees the patient as urgent, with crisis resources next to it
      await home.header.logout();
      await login.loginAs('lege.berg');
      const gp = new GpPatientListPage(page);
      await gp.open();
      await gp.urgentTag(patientName).waitFor();
      expect(await gp.urgentTag(patientName).textContent()).toMatch(/Haster: spørsmål 9 besvart med 1 den/);
      const note = gp.urgentSummary.getByTestId('gp-crisis-note');
      expect(await note.getByRole('link').evaluateAll((a) => a.map((x) => x.getAttribute('href')))).toEqual(
        CRISIS_LINKS
      );

      // Step 6: the GP and the practice got an e-mail at once, through the suite's SMTP server,
      // saying nothing about who or what
      // (The demo's older cases may have escalated at start-up; those mails go to the same addresses.)
      const isNew = (m: { subject: string }) => m.subject === 'Du har en hastesak i GP-DEP';
      for (const address of ['lege.berg@demo.gpdep.invalid', 'post@demo.gpdep.invalid']) {
        await expect
          .poll(() => mailsTo(address).filter(isNew).length, { timeout: 15_000 })
          .toBeGreaterThan(0);
        for (const mail of mailsTo(address)) {
          expect(JSON.stringify(mail)).not.toContain(patientName);
          expect(mail.text).not.toMatch(/PHQ|spørsmål 9/);
        }
      }

      // Step 7: from the list to the open case; closing it takes a record of what was done,
      // and then the urgent marker goes
      await gp.urgentCaseLink(patientName).click();
      const patientPage = new GpPatientPage(page);
      await patientPage.urgentCase.waitFor();
      const caseText = (await patientPage.urgentCase.textContent()) ?? '';
      expect(caseText).toContain('Hastesak');
      expect(caseText).toContain('Frist:');
      expect(caseText).toMatch(/e-post\): sendt/);
      for (const number of CRISIS_NUMBERS) expect(caseText).toContain(number);
      expect(await seriousAxeViolations(page, 'urgent case')).toEqual([]);
      await patientPage.urgentCase
        .getByRole('button', { name: 'Lukk saken med denne registreringen' })
        .click();
      await patientPage.urgentCase.getByText('Skriv noen ord.').first().waitFor();
      await patientPage.recordUrgentAction(
        'snakket med pasienten på telefon',
        'Passive tanker, ingen plan. Bor med partner.',
        'Time hos meg i morgen kl. 09.'
      );
      await gp.open();
      await gp.row(patientName).waitFor();
      expect(await gp.urgentTag(patientName).count()).toBe(0);
      expect(await gp.rowText(patientName)).toContain('9 – Milde plager');
      expect(session.problems).toEqual([]);
    } finally {
      await session.close();
    }
  });
});
