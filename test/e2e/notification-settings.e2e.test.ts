/**
 * Journey: the practice sets where urgent-case notifications go (issue 11 §1). lege.berg opens the
 * practice page, sees the response deadline in one sentence, is told at once when the practice
 * would have no shared address, gets a named error for an address that is not one, sets the
 * practice's address, and sends a test message that arrives at the suite's SMTP server with no
 * health content. axe finds no serious violations, with and without errors showing. The demo
 * values are put back at the end (other journeys expect mail to post@demo.gpdep.invalid).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GpPracticeSettingsPage } from './pages/GpPracticeSettingsPage.js';
import { LoginPage } from './pages/LoginPage.js';
import { launchBrowser, newSession, seriousAxeViolations } from './support/browser.js';

const DEMO_PRACTICE_ADDRESS = 'post@demo.gpdep.invalid';
const NEW_ADDRESS = 'hastesaker.test@demo.gpdep.invalid';

/** The messages the suite's SMTP server has received for one address. */
function mailsTo(address: string): { to: string[]; subject: string; text: string }[] {
  const dir = inject('mailDir');
  return readdirSync(dir)
    .map(
      (f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as { to: string[]; subject: string; text: string }
    )
    .filter((m) => m.to.includes(address));
}

describe('Urgent-case notification settings', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('lets a GP set the practice address and send a test message that arrives', async () => {
    const session = await newSession(browser);
    const { page } = session;
    let changed = false;
    try {
      await (await new LoginPage(page).open()).loginAs('lege.berg');
      const settings = await new GpPracticeSettingsPage(page).open();

      // Step 1: the demo values, and the deadline in one sentence
      expect(await settings.ownEmail.inputValue()).toBe('lege.berg@demo.gpdep.invalid');
      expect(await settings.practiceEmail.inputValue()).toBe(DEMO_PRACTICE_ADDRESS);
      expect(await settings.deadlineSentence.textContent()).toBe(
        'Svar samme arbeidsdag; etter 16:00 innen 10:00 neste arbeidsdag.'
      );
      expect(await settings.noPracticeAddress.count()).toBe(0);
      expect(await seriousAxeViolations(page, 'practice page with notification settings')).toEqual([]);

      // Step 2: an empty address warns at once that mail would go to the GP only
      await settings.enterPracticeEmail('');
      await settings.noPracticeAddress.waitFor();
      expect(await settings.noPracticeAddress.textContent()).toContain('bare til pasientens fastlege');

      // Step 3: not an address → named in the error summary, which takes the focus; nothing saved
      await settings.enterPracticeEmail('post på kontoret');
      await settings.savePractice();
      expect(await settings.errorMessages()).toEqual([
        'Skriv en e-postadresse som navn@eksempel.no, eller la feltet stå tomt.',
      ]);
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? '')).toBe(
        'notification-error-summary'
      );
      await settings.errorSummary.getByRole('link').click();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('notify-practice-email');
      expect(await seriousAxeViolations(page, 'notification settings with an error')).toEqual([]);

      // Step 4: a real address is saved for the practice
      await settings.setPracticeEmail(NEW_ADDRESS);
      changed = true;
      expect(await settings.practiceStatus.textContent()).toContain('Legekontorets varsler er lagret');
      await page.reload();
      await settings.practiceEmail.waitFor();
      await expect.poll(() => settings.practiceEmail.inputValue()).toBe(NEW_ADDRESS);

      // Step 5: "Send en testmelding" → it arrives, and says nothing about anyone's health
      const before = mailsTo(NEW_ADDRESS).length;
      expect(await settings.sendPracticeTest()).toContain(`Testmeldingen til ${NEW_ADDRESS} er sendt`);
      await expect.poll(() => mailsTo(NEW_ADDRESS).length, { timeout: 15_000 }).toBe(before + 1);
      const mail = mailsTo(NEW_ADDRESS).at(-1)!;
      expect(mail.subject).toBe('Testmelding fra GP-DEP');
      expect(`${mail.subject} ${mail.text}`).not.toMatch(
        /pasient|patient|PHQ|spørsmål 9|selvmord|suicid|depres|svar/i
      );
      expect(session.problems).toEqual([]);
    } finally {
      // Step 6: the demo address back, for the other journeys
      if (changed) {
        const settings = await new GpPracticeSettingsPage(page).open();
        await settings.setPracticeEmail(DEMO_PRACTICE_ADDRESS);
        await page.reload();
        await settings.practiceEmail.waitFor();
        await expect.poll(() => settings.practiceEmail.inputValue()).toBe(DEMO_PRACTICE_ADDRESS);
      }
      await session.close();
    }
  });
});
