/**
 * Journey 10: axe WCAG 2.1 AA on every program page as the patient sees it — the overview, a
 * lesson page, the exercises (with an entry saved), the quiz with an explanation showing, the
 * homework, the summary, the workbook, and the GAD-7 and WSAS forms (empty, with the "not
 * answered yet" summary, and with the result in words). One h1 per page. At 360 px the module
 * pages and the home page with the mood chart do not scroll sideways, and the lesson pages can
 * be paged through with the keyboard alone. pasient22 (lege.haugen's list) is used.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginPage } from './pages/LoginPage.js';
import { MeasurePage } from './pages/MeasurePage.js';
import { ModulePage } from './pages/ModulePage.js';
import { PatientHomePage } from './pages/PatientHomePage.js';
import { ProgramOverviewPage } from './pages/ProgramOverviewPage.js';
import { WorkbookPage } from './pages/WorkbookPage.js';
import { launchBrowser, newSession, seriousAxeViolations } from './support/browser.js';
import { moduleContent } from './support/program.js';

const PATIENT = 'pasient22';
const M1 = moduleContent('m1');

async function scan(page: Page, label: string): Promise<void> {
  expect(await page.getByRole('heading', { level: 1 }).count(), `one h1 on ${label}`).toBe(1);
  expect(await seriousAxeViolations(page, label)).toEqual([]);
}

async function scrollWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.scrollingElement?.scrollWidth ?? Number.POSITIVE_INFINITY);
}

describe('Program pages: accessibility and small screens', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('overview, lesson, exercises, quiz with explanation, homework, summary and workbook pass axe', async () => {
    const session = await newSession(browser);
    const { page } = session;
    try {
      await (await new LoginPage(page).open()).loginAs(PATIENT);
      const home = new PatientHomePage(page);
      await home.startProgramButton.waitFor();
      await scan(page, 'patient home, program not started');
      await home.startProgram();

      const overview = await new ProgramOverviewPage(page).open();
      await scan(page, 'program overview');

      const module = await new ModulePage(page).open('m1', 'lesson-2');
      await scan(page, 'module lesson page');

      await module.goToSection('Øvelser');
      await module.pickScale('mood-rating', /Hvordan har humøret/, 4);
      await module.waitUntilSaved('mood-rating');
      await scan(page, 'module exercises with a saved entry');

      await module.goToSection('Quiz');
      const question = M1.quiz[0]!;
      const wrong = question.options.find((o) => o.id !== question.correctOptionId)!;
      const feedback = await module.answerQuestion(question.question, wrong.label);
      expect(await feedback.textContent()).toContain('Ikke helt. Riktig svar er:');
      expect(await feedback.textContent()).toContain(question.explanation);
      // Right and wrong are said in words next to the options, not by colour alone
      expect(await module.question(question.question).getByText('Riktig svar', { exact: true }).count()).toBe(
        1
      );
      expect(await module.question(question.question).getByText('Ditt svar', { exact: true }).count()).toBe(
        1
      );
      await scan(page, 'quiz with an explanation');

      await module.goToSection('Hjemmeoppgave');
      await scan(page, 'homework');
      await module.goToSection('Oppsummering');
      await module.summary.waitFor();
      await scan(page, 'summary');

      await new WorkbookPage(page).open();
      await scan(page, 'workbook');

      await overview.open();
      expect(await overview.state('m1')).toBe('Påbegynt');
      expect(session.problems).toEqual([]);
    } finally {
      await session.close();
    }
  });

  it('GAD-7 and WSAS forms pass axe, name what is missing, and give the result in words', async () => {
    const session = await newSession(browser);
    const { page } = session;
    try {
      await (await new LoginPage(page).open()).loginAs(PATIENT);

      // GAD-7: empty, then with the missing-answers summary, then the result
      const gad7 = await new MeasurePage(page, 'gad7').open();
      await scan(page, 'GAD-7 form');
      await gad7.submit();
      await gad7.missing.waitFor();
      expect(await gad7.missing.getByRole('link').count()).toBe(7);
      await scan(page, 'GAD-7 form with missing answers');
      const gad7Answers = [
        'Flere dager',
        'Flere dager',
        'Mer enn halvparten av dagene',
        'Flere dager',
        'Ikke i det hele tatt',
        'Flere dager',
        'Ikke i det hele tatt',
      ];
      for (const [index, answer] of gad7Answers.entries())
        await gad7.answer(new RegExp(`^${index + 1}\\.`), answer);
      await gad7.submit();
      await gad7.result.waitFor();
      expect(await gad7.resultScore()).toBe('6 av 21');
      expect(await gad7.resultBand()).toBe('Milde plager');
      await scan(page, 'GAD-7 result');

      // WSAS: work status, "not applicable" for work, the rest 0-8
      const wsas = await new MeasurePage(page, 'wsas').open();
      await scan(page, 'WSAS form');
      await wsas.submit();
      await wsas.missing.waitFor();
      expect(await wsas.missing.getByRole('link').count()).toBe(6);
      await scan(page, 'WSAS form with missing answers');
      // On sick leave, work cannot be "not applicable": the choice is not offered.
      await wsas.answer('Hva gjør du til daglig nå?', 'Helt sykmeldt');
      expect(await page.getByRole('radio', { name: /^Ikke aktuelt/ }).count()).toBe(0);
      expect(await page.getByTestId('instrument-attribution').textContent()).toContain('Marks');
      await wsas.answer('Hva gjør du til daglig nå?', /pensjonist/);
      await wsas.answer(/^1\. Arbeid/, /^Ikke aktuelt/);
      await wsas.answer(/^2\./, '4 – Tydelig');
      await wsas.answer(/^3\./, '6 – Markert');
      await wsas.answer(/^4\./, '3');
      await wsas.answer(/^5\./, '2 – Litt');
      await wsas.submit();
      await wsas.result.waitFor();
      // Work not applicable: the mean of the other four stands in for it, (4+6+3+2)·5/4 = 18.75 → 19
      expect(await wsas.resultScore()).toBe('19 av 40');
      expect(await wsas.resultBand()).toBe('Tydelig påvirkning på hverdagen (10–20)');
      expect(await wsas.result.textContent()).toContain('arbeid ikke er aktuelt');
      await scan(page, 'WSAS result');
      expect(session.problems).toEqual([]);
    } finally {
      await session.close();
    }
  });

  it('at 360 px the module pages and the home page with the chart fit, and lessons page by keyboard', async () => {
    const session = await newSession(browser, { viewport: { width: 360, height: 740 } });
    const { page } = session;
    try {
      await (await new LoginPage(page).open()).loginAs(PATIENT);
      const home = new PatientHomePage(page);
      await home.moodChart.waitFor();
      expect(await scrollWidth(page)).toBeLessThanOrEqual(360);
      await home.chartTableToggle.click();
      await home.chartPhq9Table.waitFor();
      expect(await scrollWidth(page)).toBeLessThanOrEqual(360);

      const module = await new ModulePage(page).open('m1', 'lesson-1');
      expect(await scrollWidth(page)).toBeLessThanOrEqual(360);

      // Keyboard only: focus "Neste", Enter → the next page, focus on its heading
      await module.nextLink.focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => module.stepHeading.textContent()).toBe(M1.lessons[1]!.title);
      await expect.poll(() => module.focusIsOnStepHeading()).toBe(true);
      expect(await scrollWidth(page)).toBeLessThanOrEqual(360);

      for (const step of ['exercises', 'quiz', 'homework', 'summary']) {
        await module.open('m1', step);
        expect(await scrollWidth(page), `360 px, step ${step}`).toBeLessThanOrEqual(360);
      }
      expect(session.problems).toEqual([]);
    } finally {
      await session.close();
    }
  });
});
