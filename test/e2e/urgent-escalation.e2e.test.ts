/**
 * Journey: an urgent answer that nobody acknowledges in time escalates (issue 11 §1's acceptance).
 * pasient13 (lege.berg's list, no PHQ-9 yet) answers item 9 above 0; lege.berg and the practice are
 * e-mailed at once. Nobody records anything; a week later (the server's clock moved, past any
 * deadline the response standard can give, holidays included) the escalation job sends the case
 * on to the whole practice: lege.haugen gets the escalation e-mail, sees the case on the practice
 * page as overdue with its age, opens it (access through the escalation) and closes it with a
 * record of what was done.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GpPatientPage } from './pages/GpPatientPage.js';
import { LoginPage } from './pages/LoginPage.js';
import { PatientHomePage } from './pages/PatientHomePage.js';
import { launchBrowser, newSession, seriousAxeViolations } from './support/browser.js';
import { moveServerClockDays, resetServerClock, serverNow } from './support/server-clock.js';

const NEW_CASE = 'Du har en hastesak i GP-DEP';
const ESCALATED = 'Hastesak i GP-DEP ikke fulgt opp innen fristen';

function mails(address: string, subject: string): { to: string[]; subject: string; text: string }[] {
  const dir = inject('mailDir');
  return readdirSync(dir)
    .map(
      (f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as { to: string[]; subject: string; text: string }
    )
    .filter((m) => m.to.includes(address) && m.subject === subject);
}

describe('Urgent case escalation', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('sends an unacknowledged case on to the practice after its deadline, where a colleague closes it', async () => {
    const patient = await newSession(browser);
    const colleague = await newSession(browser);
    const before = {
      bergNew: mails('lege.berg@demo.gpdep.invalid', NEW_CASE).length,
      haugenEscalated: mails('lege.haugen@demo.gpdep.invalid', ESCALATED).length,
      practiceEscalated: mails('post@demo.gpdep.invalid', ESCALATED).length,
    };
    try {
      // Step 1: pasient13 answers the PHQ-9 on the home page with item 9 = 1
      await (await new LoginPage(patient.page).open()).loginAs('pasient13');
      const home = new PatientHomePage(patient.page);
      const patientName = await home.header.userName();
      await home.answerAll([1, 1, 1, 1, 1, 1, 1, 1, 1], 1);
      await home.submit();
      await home.result.waitFor();
      await home.crisisPanel.waitFor({ state: 'visible' });

      // Step 2: lege.berg is told at once; nothing escalates before the deadline
      await expect
        .poll(() => mails('lege.berg@demo.gpdep.invalid', NEW_CASE).length, { timeout: 15_000 })
        .toBeGreaterThan(before.bergNew);
      expect(mails('lege.haugen@demo.gpdep.invalid', ESCALATED).length).toBe(before.haugenEscalated);

      // Step 3: a week passes with nobody recording anything; the job (every 30 s) escalates
      moveServerClockDays(7);
      await expect
        .poll(() => mails('lege.haugen@demo.gpdep.invalid', ESCALATED).length, {
          timeout: 75_000,
          interval: 1000,
        })
        .toBeGreaterThan(before.haugenEscalated);
      expect(mails('post@demo.gpdep.invalid', ESCALATED).length).toBeGreaterThan(before.practiceEscalated);
      for (const mail of mails('lege.haugen@demo.gpdep.invalid', ESCALATED))
        expect(JSON.stringify(mail)).not.toContain(patientName);

      // Step 4: lege.haugen (not the patient's GP) sees it on the practice page, overdue, a week old.
      // The browser's clock follows the server's, so the age is counted as the GP would see it.
      await colleague.context.clock.setFixedTime(serverNow());
      await (await new LoginPage(colleague.page).open()).loginAs('lege.haugen');
      await colleague.page.goto('/gp/practice');
      const practiceCases = colleague.page.getByTestId('practice-urgent');
      const item = practiceCases.getByRole('listitem').filter({ hasText: patientName });
      await item.waitFor();
      const text = (await item.textContent()) ?? '';
      expect(text).toContain('Fristen er passert');
      const hours = Number(/åpen i (\d+) t/.exec(text)?.[1]);
      expect(hours).toBeGreaterThanOrEqual(7 * 24 - 1);
      expect(await seriousAxeViolations(colleague.page, 'practice page with an escalated case')).toEqual([]);

      // Step 5: the case, reached through the escalation, says where it was sent; closing it takes
      // a record of what was done
      await item.getByRole('link', { name: patientName }).click();
      const patientPage = new GpPatientPage(colleague.page);
      await patientPage.urgentCase.waitFor();
      expect(await patientPage.urgentCase.textContent()).toContain('Sendt videre til hele legekontoret');
      await patientPage.recordUrgentAction(
        'snakket med pasienten på telefon',
        'Passive tanker, ingen plan. Fastlegen er borte denne uken.',
        'Time hos meg i morgen; fastlegen orienteres.'
      );
      await colleague.page.goto('/gp/practice');
      await practiceCases.waitFor();
      await expect
        .poll(async () => practiceCases.getByRole('listitem').filter({ hasText: patientName }).count())
        .toBe(0);
      expect(patient.problems).toEqual([]);
      expect(colleague.problems).toEqual([]);
    } finally {
      resetServerClock();
      await patient.close();
      await colleague.close();
    }
  });
});
