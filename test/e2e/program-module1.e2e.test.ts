/**
 * Journey 7: a patient goes through module 1 from the start. pasient10 (recommended three days ago
 * after a PHQ-9 in the office, not started, on lege.berg's list) starts the program: that PHQ-9 is
 * the baseline, so none is asked inside its two-week recall. The patient reads every lesson page,
 * fills in both exercises, answers every quiz question (right answers from the content file), sees
 * the module completed and module 2 waiting its week. The
 * workbook shows the answers after a reload; one entry is shared, the choice survives a reload,
 * and lege.berg gets that entry (and only that one) from the API.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginPage } from './pages/LoginPage.js';
import { ModulePage } from './pages/ModulePage.js';
import { PatientHomePage } from './pages/PatientHomePage.js';
import { ProgramOverviewPage } from './pages/ProgramOverviewPage.js';
import { WorkbookPage } from './pages/WorkbookPage.js';
import { launchBrowser, newSession } from './support/browser.js';
import { apiFromPage, moduleContent, patientIdOf } from './support/program.js';

const M1 = moduleContent('m1');
const SITUATION = 'Sjefen sendte en melding om en prat i morgen. Jeg satt alene på kjøkkenet.';
const FIVE_PARTS = {
  'Situasjonen:': SITUATION,
  'Tankene:': '«Nå har jeg gjort noe galt.»',
  'Følelsene:': 'Redd, urolig',
  'Kroppen:': 'Knute i magen, hjertebank',
  'Handlingene:': 'Ble kort i tonen og la meg tidlig',
} as const;

describe('Program journey: module 1 from start to finish', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('pasient10 starts, reads, practises, passes the quiz, and shares one workbook entry with lege.berg', async () => {
    const session = await newSession(browser);
    const { page } = session;
    try {
      // Step 1: log in; the one next step is to start the program
      await (await new LoginPage(page).open()).loginAs('pasient10');
      const home = new PatientHomePage(page);
      await home.nextStep.waitFor();
      expect(await home.nextStepTitle()).toBe('Start nettbehandlingen');
      const patientId = await patientIdOf(page);

      // Step 2: start; the next step is a baseline questionnaire, not the PHQ-9: the one from the
      // GP's office three days ago is the baseline
      await home.startProgram();
      await expect.poll(() => home.nextStepTitle()).toMatch(/^Svar på (GAD-7|WSAS)/);

      // Step 3: the home page says when the next PHQ-9 can be answered, instead of the form
      await page.getByTestId('phq9-not-yet').waitFor();
      expect(await page.getByTestId('phq9-not-yet').textContent()).toContain(
        'Du kan svare på PHQ-9 igjen fra'
      );

      // Step 4: the program overview: module 1 ready, module 2 locked and says why
      const overview = await new ProgramOverviewPage(page).open();
      expect(await overview.state('m1')).toBe('Klar til start');
      expect(await overview.state('m2')).toBe('Låst');
      expect(await overview.card('m2').textContent()).toContain('Åpnes når du er ferdig med modul 1.');
      await overview.link('m1').click();

      // Step 5: every lesson page, one at a time, with "page n of 5" and focus on the new heading
      const module = new ModulePage(page);
      await module.stepHeading.waitFor();
      expect(await module.heading.textContent()).toBe(M1.title);
      for (const [index, lesson] of M1.lessons.entries()) {
        await expect.poll(() => module.stepHeading.textContent()).toBe(lesson.title);
        expect(await module.lessonProgress.textContent()).toBe(`Side ${index + 1} av ${M1.lessons.length}`);
        if (index > 0) await expect.poll(() => module.focusIsOnStepHeading()).toBe(true);
        // Example people are shown with their name
        for (const block of lesson.blocks)
          if (block.type === 'example') await page.getByText(block.person, { exact: true }).waitFor();
        await module.nextLink.click();
      }

      // Step 6: the exercises — the daily mood rating…
      await expect.poll(() => module.stepHeading.textContent()).toBe('Øvelser');
      await expect.poll(() => module.focusIsOnStepHeading()).toBe(true);
      const moodExercise = M1.exercises.find((e) => e.id === 'mood-rating')!;
      const moodField = moodExercise.fields.find((f) => f.id === 'mood')!;
      await module.pickScale('mood-rating', moodField.label, 6);
      await module.field('mood-rating', /Hva skjedde i dag/).fill('Fin tur med naboen');
      await module.field('mood-rating', /Hva holdt du på med/).fill('Ute på tur');
      await module.waitUntilSaved('mood-rating');
      // Nothing is shared unless ticked
      expect(await module.shareToggle('mood-rating').isChecked()).toBe(false);

      // …and the five-part model, every field
      for (const [label, text] of Object.entries(FIVE_PARTS))
        await module.field('five-part-model', new RegExp(`^${label}`)).fill(text);
      await module.openEntry('five-part-model').getByRole('slider').fill('70');
      await module.waitUntilSaved('five-part-model');

      // Step 7: the quiz: every question, the right answer, "Riktig!" and the explanation in text
      await module.nextLink.click();
      await expect.poll(() => module.stepHeading.textContent()).toBe('Quiz');
      for (const question of M1.quiz) {
        const right = question.options.find((o) => o.id === question.correctOptionId)!;
        const feedback = await module.answerQuestion(question.question, right.label);
        expect(await feedback.textContent()).toContain('Riktig!');
        expect(await feedback.textContent()).toContain(question.explanation);
      }

      // Step 8: the module is completed, and the next module opens in a week
      await module.completed.waitFor();
      expect(await module.completed.textContent()).toContain('Du har fullført modul 1!');
      const program = await apiFromPage<{
        modules: { id: string; state: string; lessonsViewed: string[] }[];
      }>(page, 'GET', `/api/patients/${patientId}/program`);
      const m1 = program.body.modules.find((m) => m.id === 'm1')!;
      expect(m1.state).toBe('completed');
      expect([...m1.lessonsViewed].sort()).toEqual(M1.lessons.map((l) => l.id).sort());
      // Module 2 waits a week, and says so (issue 11 §3)
      await expect.poll(() => module.completed.textContent()).toMatch(/Modul 2 åpner \S+ \d+\. \S+ \d{4}\./);
      expect(await module.completed.getByRole('link', { name: 'Gå til modul 2' }).count()).toBe(0);
      await module.open('m2');
      await module.waiting.waitFor();
      expect(await module.stepHeading.count()).toBe(0);

      // The summary and homework of module 1 can be revisited
      await module.open('m1', 'summary');
      await module.summary.waitFor();
      expect(await module.summary.textContent()).toContain(M1.summary.points[0]!);

      // Step 9: the workbook after a reload shows what was written, as text
      const workbook = await new WorkbookPage(page).open();
      await page.reload();
      await workbook.entries('five-part-model').first().waitFor();
      expect(await workbook.entries('five-part-model').count()).toBe(1);
      const fivePart = workbook.entries('five-part-model').first();
      expect(
        await workbook
          .answer(fivePart, 'Situasjonen: Hva skjedde, hvor var du, og hvem var du sammen med?')
          .textContent()
      ).toBe(SITUATION);
      expect(await fivePart.textContent()).toContain('70 (på en skala fra 0 til 100)');
      const mood = workbook.entries('mood-rating').first();
      expect(await mood.textContent()).toContain('Fin tur med naboen');
      expect(await mood.textContent()).toContain('6 (på en skala fra 0 til 10)');

      // Step 10: share the five-part entry; the choice survives a reload
      expect(await workbook.shareToggle(fivePart).isChecked()).toBe(false);
      await workbook.shareToggle(fivePart).check();
      await fivePart
        .getByTestId('save-status')
        .filter({ hasText: /Lagret/ })
        .waitFor();
      await page.reload();
      await workbook.entries('five-part-model').first().waitFor();
      expect(await workbook.shareToggle(workbook.entries('five-part-model').first()).isChecked()).toBe(true);
      expect(await workbook.shareToggle(workbook.entries('mood-rating').first()).isChecked()).toBe(false);
      expect(session.problems).toEqual([]);

      // Step 11: lege.berg gets the shared entry, and only that one
      const gp = await newSession(browser);
      try {
        await (await new LoginPage(gp.page).open()).loginAs('lege.berg');
        const shared = await apiFromPage<{
          items: { exerciseId: string; sharedWithGp: boolean; answers: Record<string, unknown> }[];
        }>(gp.page, 'GET', `/api/patients/${patientId}/workbook`);
        expect(shared.status).toBe(200);
        expect(shared.body.items.map((e) => e.exerciseId)).toEqual(['five-part-model']);
        expect(shared.body.items[0]!.answers['situation']).toBe(SITUATION);
      } finally {
        await gp.close();
      }
    } finally {
      await session.close();
    }
  });
});
