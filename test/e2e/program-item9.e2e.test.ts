/**
 * Journey 9: the PHQ-9 asked before a module, on the module page. pasient18 finishes module 1;
 * two weeks later (the server's clock moved: a week between modules, two between PHQ-9s) module 2
 * opens with the PHQ-9. An item-9 answer above 0 shows the crisis panel at once, from
 * code already loaded (also offline, with no request); an offline submit keeps the answers and
 * the panel, a retry stores them, and the result keeps the panel until the patient goes on to
 * the module. (The home-page path is covered by item9-safety.)
 */
import type { Browser, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginPage } from './pages/LoginPage.js';
import { ModulePage } from './pages/ModulePage.js';
import { PatientHomePage } from './pages/PatientHomePage.js';
import { launchBrowser, newSession, seriousAxeViolations } from './support/browser.js';
import { completeModuleViaApi, moduleContent, patientIdOf } from './support/program.js';
import { moveServerClockDays, resetServerClock } from './support/server-clock.js';

const CRISIS_LINKS = ['tel:113', 'tel:116117', 'tel:116123', 'tel:22400040'];

describe('Item 9 on the PHQ-9 before a module', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the crisis panel at once on the module page, also offline', async () => {
    const session = await newSession(browser);
    const { page, context } = session;
    try {
      // Step 1: pasient18 starts the program; module 1 is completed (set-up through the API)
      await (await new LoginPage(page).open()).loginAs('pasient18');
      const home = new PatientHomePage(page);
      await home.startProgramButton.waitFor();
      await home.startProgram();
      const patientId = await patientIdOf(page);
      await completeModuleViaApi(page, patientId, 'm1');
      const waiting = await new ModulePage(page).open('m2');
      await waiting.waiting.waitFor();

      // Step 2: two weeks later (log in again), module 2 asks for the PHQ-9 first; no crisis panel yet
      moveServerClockDays(14);
      await (await new LoginPage(page).open()).loginAs('pasient18');
      const module = await new ModulePage(page).open('m2');
      await module.phq9Gate.waitFor();
      await module.phq9.item(8).waitFor();
      expect(await module.phq9.crisisPanel.count()).toBe(0);
      expect(await module.stepHeading.count()).toBe(0);

      // Step 3: offline; item 9 above 0 → the panel at once, with no request
      const requests: string[] = [];
      page.on('request', (request: Request) => requests.push(request.url()));
      await context.setOffline(true);
      await module.phq9.answerItem(8, 2);
      await module.phq9.crisisPanel.waitFor({ state: 'visible' });
      expect(await module.phq9.crisisPanel.getAttribute('role')).toBe('alert');
      expect(await module.phq9.crisisTelLinks()).toEqual(CRISIS_LINKS);
      expect(requests).toEqual([]);

      // Step 4: answer the rest and submit offline → error, answers and panel kept
      await module.phq9.answerAll([1, 2, 1, 1, 0, 1, 0, 0, 2], 2);
      await module.phq9.submit();
      await module.phq9.networkError.waitFor();
      expect(await module.phq9.isChecked(8, 2)).toBe(true);
      expect(await module.phq9.crisisPanel.isVisible()).toBe(true);
      expect(await seriousAxeViolations(page, 'module page PHQ-9 with crisis panel')).toEqual([]);

      // Step 5: online, retry → stored; the result keeps the panel; the module waits for "continue"
      await context.setOffline(false);
      await module.phq9.retryButton.click();
      await module.phq9.result.waitFor();
      expect(await module.phq9.resultScore()).toBe('8 av 27');
      await module.phq9.crisisPanel.waitFor({ state: 'visible' });
      expect(await module.phq9.crisisTelLinks()).toEqual(CRISIS_LINKS);
      expect(await module.stepHeading.count()).toBe(0);

      // Step 6: on to module 2, first lesson
      await module.continueToModule.click();
      await module.stepHeading.waitFor();
      expect(await module.stepHeading.textContent()).toBe(moduleContent('m2').lessons[0]!.title);
      expect(session.problems).toEqual([]);
    } finally {
      resetServerClock();
      await session.close();
    }
  });
});
