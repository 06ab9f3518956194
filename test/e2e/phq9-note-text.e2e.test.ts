/**
 * A PHQ-9 note with text that cannot be stored (a NUL, broken Unicode) never costs the patient
 * their answers: the form flags it at once with the server's own rule and sends nothing; if the
 * server refuses the note anyway (here: a request altered in transit), every answer and the crisis
 * panel stay, the error is shown at the note, and after correcting it the same answers are stored.
 */
import type { Browser, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginPage } from './pages/LoginPage.js';
import { PatientHomePage } from './pages/PatientHomePage.js';
import { launchBrowser, newSession } from './support/browser.js';

const ANSWERS = [1, 1, 0, 0, 0, 0, 0, 0, 2] as const; // item 9 = 2
const INVALID_TEXT = /inneholder et tegn som ikke kan lagres/;

/** Puts text in the note that a keyboard cannot type (as a paste would), built in the page. */
async function setNote(home: PatientHomePage, text: string): Promise<void> {
  const codeUnits = [...Array(text.length).keys()].map((i) => text.charCodeAt(i));
  await home.noteField.evaluate((element, units) => {
    const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!;
    setter.call(element, String.fromCharCode(...units));
    element.dispatchEvent(new Event('input', { bubbles: true }));
  }, codeUnits);
}

describe('PHQ-9 note with text that cannot be stored', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('is flagged before sending, a server refusal keeps every answer, and the corrected note is sent', async () => {
    const session = await newSession(browser);
    const { page } = session;
    const phq9Posts: Request[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/phq9')) phq9Posts.push(request);
    });
    try {
      await (await new LoginPage(page).open()).loginAs('pasient21');
      const home = new PatientHomePage(page);
      await home.answerAll(ANSWERS, 1);
      await home.crisisPanel.first().waitFor({ state: 'visible' });

      // A NUL, then a lone surrogate: flagged at the note as soon as it is there.
      for (const text of ['Sover d\u0000rlig', 'trist \ud83d']) {
        await setNote(home, text);
        // Shown at the note field itself.
        await page.locator('#phq9-note').getByText(INVALID_TEXT).waitFor();
        await home.submit();
        expect(phq9Posts).toHaveLength(0);
        await home.phq9Section
          .getByRole('link', { name: /Meldingen til fastlegen: inneholder et tegn/ })
          .waitFor();
      }

      // The server's own refusal: the note is altered in transit to hold a lone surrogate.
      await setNote(home, 'Sover dårlig');
      await page.route('**/phq9', (route) =>
        route.continue({
          postData: route.request().postData()!.replace('Sover dårlig', 'Sover d\\ud800rlig'),
        })
      );
      await home.submit();
      await page.locator('#phq9-note').getByText(INVALID_TEXT).waitFor();
      expect(phq9Posts).toHaveLength(1);
      expect(await home.result.count()).toBe(0);
      for (const [index, score] of ANSWERS.entries()) expect(await home.isChecked(index, score)).toBe(true);
      expect(await home.crisisPanel.first().isVisible()).toBe(true);
      expect(await home.noteField.inputValue()).toBe('Sover dårlig');

      // Corrected (here: sent as typed) and sent again: the same answers are stored.
      await page.unroute('**/phq9');
      await setNote(home, 'Sover dårlig, men bedre');
      await home.submit();
      await home.result.waitFor();
      expect(await home.resultScore()).toBe('4 av 27');
      expect(await home.crisisPanel.first().isVisible()).toBe(true);
    } finally {
      await session.close();
    }
  });
});
