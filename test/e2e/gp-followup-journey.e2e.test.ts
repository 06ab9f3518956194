/**
 * Journey: the GP's guided follow-up, end to end (issue 4's acceptance). lege.berg recommends the
 * program to Sigrid Nyland (guided; on the list, no account yet) and gets the invitation letter with a code; in a new browser the
 * patient opens /invitasjon, types the code (lower case, no dashes) and a new password and is
 * signed in; starts the program, answers the baseline PHQ-9, completes module 1 (a lesson page and
 * every quiz question through the UI, the other lesson pages through the API); module 2 waits a
 * week, and two weeks later (the server's clock moved) the patient answers the PHQ-9 before
 * module 2. lege.berg opens the card for the first follow-up: module 1 done, both
 * PHQ-9 scores and the module digest; writes the note (live preview, fee codes pre-ticked), marks
 * the follow-up done and sees the next one planned, which opens as the module 2 card.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GpFollowUpCardPage } from './pages/GpFollowUpCardPage.js';
import { GpPatientListPage } from './pages/GpPatientListPage.js';
import { GpPatientPage } from './pages/GpPatientPage.js';
import { InvitationPage } from './pages/InvitationPage.js';
import { LoginPage } from './pages/LoginPage.js';
import { ModulePage } from './pages/ModulePage.js';
import { PatientHomePage } from './pages/PatientHomePage.js';
import { launchBrowser, newSession } from './support/browser.js';
import { apiFromPage, moduleContent, patientIdOf } from './support/program.js';
import { moveServerClockDays, resetServerClock } from './support/server-clock.js';

const PATIENT = 'Sigrid Nyland'; // on lege.berg's list, no account, not recommended, no PHQ-9 yet
const NEW_USERNAME = 'sigrid.nyland';
const NEW_PASSWORD = 'fjord-lys-vinter-2026';
const M1 = moduleContent('m1');

describe('GP follow-up journey: recommend, invite, module 1, follow-up card, note', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('lege.berg recommends, a patient without an account starts with the code and does module 1, lege.berg records the follow-up', async () => {
    const gp = await newSession(browser);
    const patient = await newSession(browser);
    try {
      // Step 1: lege.berg finds the patient on the list and opens the patient page
      await (await new LoginPage(gp.page).open()).loginAs('lege.berg');
      const list = await new GpPatientListPage(gp.page).open();
      await list.row(PATIENT).getByRole('link', { name: PATIENT }).click();
      const patientPage = new GpPatientPage(gp.page);
      await patientPage.status.waitFor();
      expect(await patientPage.heading.textContent()).toBe(PATIENT);
      expect(await patientPage.status.textContent()).toBe('Ikke anbefalt');
      const patientId = patientPage.patientId();

      // Step 2: recommend: guided is the default; no PHQ-9 yet, so no decision is asked for
      await patientPage.openRecommendDialog();
      expect(await patientPage.guidanceLevel('Veiledet').isChecked()).toBe(true);
      expect(await patientPage.suitability.textContent()).toContain('Pasienten har ikke svart på PHQ-9 ennå');
      expect(await patientPage.dialog.getByLabel(/^Din vurdering/).count()).toBe(0);
      await patientPage.recommend();

      // Step 3: the invitation letter: code, address, expiry, crisis numbers; recorded with the plan
      const code = ((await patientPage.letterCode.textContent()) ?? '').trim();
      expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{2}$/);
      expect(await patientPage.letterAddress.textContent()).toMatch(
        /^http:\/\/127\.0\.0\.1:\d+\/invitasjon$/
      );
      const letter = (await patientPage.letter.textContent()) ?? '';
      expect(letter).toContain('Invitasjon til nettbehandling for depresjon');
      expect(letter).toContain('Gyldig til og med');
      for (const number of ['113', '116 117', '116 123', '22 40 00 40']) expect(letter).toContain(number);
      expect(letter).toContain('følges ikke med døgnet rundt');
      await patientPage.letterLanguage('English');
      expect(await patientPage.letter.textContent()).toContain(
        'Invitation to online treatment for depression'
      );
      expect(await patientPage.letterCode.textContent()).toBe(code);
      await patientPage.letterLanguage('Norsk');
      await expect.poll(() => patientPage.planRows.count()).toBe(5);
      expect(await patientPage.planRows.first().textContent()).toContain('Modul 1');
      expect(await patientPage.status.textContent()).toBe('Anbefalt, ikke startet');
      expect(await patientPage.timeline.textContent()).toContain(
        'Programmet anbefalt av Ingrid Berg (lege, demo) (veiledet)'
      );

      // Step 4: the patient, in another browser, types the code (lower case, no dashes) and a password,
      // then chooses a username when the page asks for one (they have no account yet)
      const invitation = await new InvitationPage(patient.page).open();
      await invitation.redeem(code.replace(/-/g, '').toLowerCase(), NEW_PASSWORD, NEW_USERNAME);
      expect(await new PatientHomePage(patient.page).header.userName()).toBe(PATIENT);
      // The username they chose is shown once, to write down (they have never typed it at a login).
      expect(await patient.page.getByTestId('new-username').textContent()).toContain(NEW_USERNAME);
      const patientIdSeenByPatient = await patientIdOf(patient.page);
      expect(patientIdSeenByPatient).toBe(patientId);

      // Step 5: start the program and answer the baseline PHQ-9 (10) on the home page
      const home = new PatientHomePage(patient.page);
      await home.startProgram();
      await home.answerAll([2, 2, 1, 1, 1, 1, 1, 1, 0], 1);
      await home.submit();
      await home.result.waitFor();
      expect(await home.resultScore()).toBe('10 av 27');

      // Step 6: module 1: the first lesson page and the whole quiz through the UI, the other pages via the API
      const module = await new ModulePage(patient.page).open('m1', 'lesson-1');
      expect(await module.stepHeading.textContent()).toBe(M1.lessons[0]!.title);
      await module.nextLink.click();
      await expect.poll(() => module.stepHeading.textContent()).toBe(M1.lessons[1]!.title);
      for (const lesson of M1.lessons.slice(1)) {
        const view = await apiFromPage(
          patient.page,
          'POST',
          `/api/patients/${patientId}/program/modules/m1/lessons/${lesson.id}/view`,
          { secondsSpent: 60 }
        );
        expect(view.status).toBe(200);
      }
      await module.open('m1', 'quiz');
      for (const question of M1.quiz) {
        const right = question.options.find((o) => o.id === question.correctOptionId)!;
        const feedback = await module.answerQuestion(question.question, right.label);
        expect(await feedback.textContent()).toContain('Riktig!');
      }
      await module.completed.waitFor();

      // Step 7: module 2 waits a week (issue 11 §3), and no new PHQ-9 is offered inside the
      // baseline's two-week recall
      await module.open('m2');
      expect(await module.waiting.textContent()).toMatch(/^Åpner \S+ \d+\. \S+ \d{4}\. Det er en uke mellom/);
      await patient.page.goto('/patient');
      expect(await patient.page.getByTestId('phq9-not-yet').textContent()).toContain(
        'Du kan svare på PHQ-9 igjen fra'
      );

      // Step 8: two weeks later (the server's clock moves; the sessions have expired) the patient
      // logs in again and answers the PHQ-9 before module 2 (6), on the module page
      moveServerClockDays(14);
      await (await new LoginPage(patient.page).open()).loginAs(NEW_USERNAME, NEW_PASSWORD);
      await (await new LoginPage(gp.page).open()).loginAs('lege.berg');
      await module.open('m2');
      await module.phq9Gate.waitFor();
      await module.phq9.answerAll([1, 1, 1, 1, 0, 1, 0, 1, 0], 1);
      await module.phq9.submit();
      await module.phq9.result.waitFor();
      expect(await module.phq9.resultScore()).toBe('6 av 27');

      // Step 9: lege.berg opens the card of the first follow-up from the plan
      await patientPage.open(patientId);
      expect(await patientPage.status.textContent()).toBe('Pågår');
      await patientPage.cardLink(0).click();
      const card = await new GpFollowUpCardPage(gp.page).waitUntilLoaded();
      expect(await card.heading.textContent()).toBe(`Oppfølging: ${PATIENT}`);
      expect(await card.subtitle.textContent()).toContain(`Modul 1: ${M1.title}`);
      expect(await card.text(card.agenda)).toContain('Ingen agenda sendt.');
      expect(await card.text(card.sinceModules)).toBe('Modul 1');
      expect(await card.text(card.changeLine)).toContain('PHQ-9 10 → 6');
      expect(await card.text(card.changeLine)).toContain('−4 poeng (40 % bedre)');
      expect(await card.chart.getAttribute('aria-labelledby')).toBeTruthy();
      expect(await card.chart.locator('desc').textContent()).toMatch(/PHQ-9: 10 den .+, 6 den .+ \(2 svar\)/);
      const digest = await card.digest.getByRole('listitem').allTextContents();
      expect(digest).toEqual(M1.gp.digest);
      expect(await card.manualLink.getAttribute('href')).toBe('/gp/manual/m1');

      // Step 10: the note, with a live preview and the fee codes pre-ticked
      await card
        .field('Hva dere snakket om')
        .fill('Morgenene er tyngst; humørdagboken viste bedre dager med tur.');
      await card.field('Plan').fill('Fortsette med modul 2.');
      await card.field('Neste steg for pasienten').fill('Planlegge to hyggelige aktiviteter.');
      await expect.poll(() => card.text(card.preview)).toContain('Tema: Morgenene er tyngst');
      const preview = await card.text(card.preview);
      expect(preview).toContain(
        `Oppfølging av veiledet nettbasert KAT for depresjon etter modul 1 (${M1.title}), 20 min, oppmøte.`
      );
      expect(preview).toContain('PHQ-9: 6 (milde plager) (ved start 10, −4). Spørsmål 9: 0.');
      expect(preview).toContain('Neste oppfølging:');
      for (const feeCode of ['2ad', '615', '617']) expect(await card.feeCode(feeCode).isChecked()).toBe(true);
      // The text to copy names the ticked codes, and P76 with talking therapy.
      expect(preview).toContain('Takster: 2ad, 615, 617.');
      expect(preview).toContain('Diagnose: ICPC-2 P76 Depressiv lidelse.');
      expect(await card.feeCode('2cd').count()).toBe(0);

      // Step 11: "Follow-up done": the final text, and the next follow-up planned
      await card.markDone();
      expect(await card.text(card.savedText)).toContain('Plan: Fortsette med modul 2.');
      expect(await card.text(card.nextLine)).toMatch(/^Neste oppfølging: \S+ \d+\. \S+ \d{4}, \d{2}:\d{2}$/);
      await card.nextLine.getByRole('link').click();
      await expect.poll(() => card.subtitle.textContent()).toContain('Modul 2');
      // Module 2 is not done yet: the card says so, and shows module 1's digest.
      expect(await card.page.getByTestId('module-not-done').textContent()).toContain('til og med modul 1');
      await card.note.waitFor();
      expect(await card.doneButton.isVisible()).toBe(true);

      // The timeline records it all; the plan shows the first follow-up held
      await patientPage.open(patientId);
      const timeline = (await patientPage.timeline.textContent()) ?? '';
      for (const line of [
        'Invitasjonen tatt i bruk',
        'Pasienten startet programmet',
        'Modul 1 fullført',
        'Oppfølging holdt (20 min)',
      ])
        expect(timeline).toContain(line);
      expect(await patientPage.planRows.first().getAttribute('data-status')).toBe('done');

      // Step 12: the patient logs out and back in with the username and password from step 4
      await new PatientHomePage(patient.page).header.logout();
      await (await new LoginPage(patient.page).open()).loginAs(NEW_USERNAME, NEW_PASSWORD);
      expect(await new PatientHomePage(patient.page).header.userName()).toBe(PATIENT);
      expect(gp.problems).toEqual([]);
      expect(patient.problems).toEqual([]);
    } finally {
      resetServerClock();
      await gp.close();
      await patient.close();
    }
  });
});
