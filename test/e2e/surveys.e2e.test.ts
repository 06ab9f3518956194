/**
 * The study's surveys in the browser (issue 14):
 * - an invited GP opens the link from the e-mail (the suite's real SMTP server), answers with
 *   branching, leaves, comes back with the same link to the saved answers, and submits; the
 *   researcher sees the response on the survey's page, against the frame;
 * - another GP opts out with the link in the same e-mail;
 * - a patient opens the waiting-room link at 360 px, consents, answers anonymously, and sees the
 *   crisis numbers the moment the survey's PHQ-9 item 9 is above 0, with the words that nobody
 *   reads the answers;
 * - axe finds no serious violation on any survey page.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PHQ9_ITEMS } from '../../src/domain/instruments/phq9.js';
import { LoginPage } from './pages/LoginPage.js';
import { SurveyAdminPage } from './pages/SurveyAdminPage.js';
import { SurveyRespondentPage } from './pages/SurveyRespondentPage.js';
import { launchBrowser, newSession, seriousAxeViolations } from './support/browser.js';
import { apiFromPage } from './support/program.js';

const CRISIS_LINKS = ['tel:113', 'tel:116117', 'tel:116123', 'tel:22400040'];

function studyQuestionnaire(name: string): unknown {
  const file = fileURLToPath(new URL(`../../src/content/surveys/${name}.json`, import.meta.url));
  return JSON.parse(readFileSync(file, 'utf8'));
}

interface Mail {
  to: string[];
  subject: string;
  text: string;
}

function mailsTo(address: string): Mail[] {
  const dir = inject('mailDir');
  return readdirSync(dir)
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Mail)
    .filter((m) => m.to.includes(address));
}

async function waitForMail(address: string): Promise<Mail> {
  await expect.poll(() => mailsTo(address).length, { timeout: 30_000 }).toBeGreaterThan(0);
  return mailsTo(address)[0] as Mail;
}

/** The path after the host in a link of the e-mail (token after `#`). */
function linkPath(text: string, kind: 'svar' | 'avmeld'): string {
  const match = new RegExp(`https?://[^\\s/]+(/undersokelse/${kind}#[A-Za-z0-9_-]+)`).exec(text);
  if (!match?.[1]) throw new Error(`no ${kind} link in the e-mail:\n${text}`);
  return match[1];
}

async function createSurvey(page: Page, kind: 'identified' | 'anonymous', title: string, name: string) {
  const created = await apiFromPage<{ id?: string; survey?: { id: string } }>(
    page,
    'POST',
    '/api/research/surveys',
    {
      kind,
      title,
      questionnaire: studyQuestionnaire(name),
    }
  );
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.id ?? created.body.survey?.id;
  if (!id) throw new Error(`no survey id in ${JSON.stringify(created.body)}`);
  return id;
}

describe('Surveys', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('an invited GP answers with branching, leaves, resumes and submits; another opts out; the researcher sees it', async () => {
    const researcher = await newSession(browser);
    const stamp = Date.now().toString(36);
    const answering = `lege-a-${stamp}@example.invalid`;
    const leaving = `lege-b-${stamp}@example.invalid`;
    try {
      await (await new LoginPage(researcher.page).open()).loginAs('forsker');
      const surveyId = await createSurvey(researcher.page, 'identified', `GP survey ${stamp}`, 'gp-national');
      const frame = [
        'frame_id,email,sex,age_group,region,rural,specialist',
        `A${stamp},${answering},F,40-49,Vest,no,yes`,
        `B${stamp},${leaving},M,50-59,Nord,yes,no`,
      ].join('\n');
      const imported = await apiFromPage<{ imported: number }>(
        researcher.page,
        'POST',
        `/api/research/surveys/${surveyId}/frame`,
        { csv: frame }
      );
      expect(imported.status, JSON.stringify(imported.body)).toBe(200);
      expect(imported.body.imported).toBe(2);
      expect(
        (await apiFromPage(researcher.page, 'POST', `/api/research/surveys/${surveyId}/open`)).status
      ).toBe(200);
      const invited = await apiFromPage(
        researcher.page,
        'POST',
        `/api/research/surveys/${surveyId}/invitations`,
        {}
      );
      expect(invited.status, JSON.stringify(invited.body)).toBeLessThan(300);

      const mail = await waitForMail(answering);
      // No health information in the e-mail: it names the study and the link, nothing about anyone.
      expect(mail.text).not.toMatch(/PHQ|diagnos|pasient(en)? [A-ZÆØÅ]/);

      const gp = await newSession(browser);
      try {
        const survey = await new SurveyRespondentPage(gp.page).open(linkPath(mail.text, 'svar'));
        // The token is taken out of the address bar at once.
        expect(gp.page.url()).not.toContain('#');
        // Branching: the iCBT follow-up questions appear only for a GP who knows such programs.
        const recommend = survey.question(/Hvor ofte anbefaler du et slikt program/);
        expect(await recommend.count()).toBe(0);
        await survey.choose(/Kjenner du til internettbaserte behandlingsprogrammer/, 'Ja');
        await recommend.waitFor();
        await survey.choose(/Hvor ofte tilbyr du selv samtaleterapi/, 'Ofte');
        await survey.question(/Hva preger disse samtalene/).waitFor();
        await survey.page.getByRole('checkbox', { name: 'Problemløsning' }).check();
        await expect.poll(() => survey.savedStatus.textContent(), { timeout: 15_000 }).toMatch(/Lagret/);
        expect(await seriousAxeViolations(gp.page, 'invited GP survey')).toEqual([]);

        // Submitting without the required guideline question lists it, linked to the question.
        await survey.submitButton.click();
        await survey.errorSummary.waitFor();
        expect(await survey.errorSummary.textContent()).toMatch(/nasjonale retningslinjen/);
      } finally {
        await gp.close();
      }

      // Later, the same link: the saved answers are there; finish and submit.
      const resumed = await newSession(browser);
      try {
        const survey = await new SurveyRespondentPage(resumed.page).open(linkPath(mail.text, 'svar'));
        await survey.question(/Hvor ofte anbefaler du et slikt program/).waitFor();
        expect(
          await survey
            .question(/Hvor ofte tilbyr du selv samtaleterapi/)
            .getByLabel('Ofte', { exact: true })
            .isChecked()
        ).toBe(true);
        expect(await survey.page.getByRole('checkbox', { name: 'Problemløsning' }).isChecked()).toBe(true);
        await survey.choose(/nasjonale retningslinjen/, 'Av og til');
        await survey.submitButton.click();
        await survey.thanks.waitFor();
        expect(await seriousAxeViolations(resumed.page, 'survey submitted')).toEqual([]);
        // The link is single-use for answering: opened again it shows the thanks, not the form.
        const again = await new SurveyRespondentPage(resumed.page).open(linkPath(mail.text, 'svar'));
        await again.thanks.waitFor();
        expect(await again.submitButton.count()).toBe(0);
      } finally {
        await resumed.close();
      }

      // The other GP opts out with the link in their e-mail.
      const optOutMail = await waitForMail(leaving);
      const other = await newSession(browser);
      try {
        await other.page.goto(linkPath(optOutMail.text, 'avmeld'));
        await other.page.getByRole('button', { name: 'Meld meg av' }).click();
        await other.page.getByText('Du er meldt av.').waitFor();
        expect(await seriousAxeViolations(other.page, 'survey opt-out')).toEqual([]);
      } finally {
        await other.close();
      }

      // The researcher sees the response move and respondents against the frame.
      const admin = await new SurveyAdminPage(researcher.page).open(surveyId);
      await expect.poll(async () => (await admin.complete.textContent())?.trim()).toBe('1');
      expect((await admin.optedOut.textContent())?.trim()).toBe('1');
      await admin.comparison('sex').waitFor();
      expect(await admin.comparison('sex').textContent()).toMatch(/F/);
      expect(await seriousAxeViolations(researcher.page, 'survey monitoring')).toEqual([]);
    } finally {
      await researcher.close();
    }
  }, 180_000);

  it('a patient answers the waiting-room survey anonymously at 360 px and gets the crisis numbers on item 9', async () => {
    const researcher = await newSession(browser);
    const adminSession = await newSession(browser);
    let linkPathForPatient: string | undefined;
    try {
      await (await new LoginPage(adminSession.page).open()).loginAs('admin');
      const practices = await apiFromPage<{ items: { id: string }[] }>(
        adminSession.page,
        'GET',
        '/api/admin/practices'
      );
      const practiceId = practices.body.items[0]?.id;
      if (!practiceId) throw new Error('no practice');

      await (await new LoginPage(researcher.page).open()).loginAs('forsker');
      const surveyId = await createSurvey(
        researcher.page,
        'anonymous',
        'Patient experience (e2e)',
        'patient-experience'
      );
      expect(
        (await apiFromPage(researcher.page, 'POST', `/api/research/surveys/${surveyId}/open`)).status
      ).toBe(200);
      const link = await apiFromPage<{ path: string }>(
        researcher.page,
        'POST',
        `/api/research/surveys/${surveyId}/practice-links`,
        { practiceId }
      );
      expect(link.status, JSON.stringify(link.body)).toBeLessThan(300);
      linkPathForPatient = link.body.path;
    } finally {
      await researcher.close();
      await adminSession.close();
    }

    const patient = await newSession(browser, { viewport: { width: 360, height: 780 } });
    try {
      if (!linkPathForPatient) throw new Error('no practice link');
      const survey = await new SurveyRespondentPage(patient.page).open(linkPathForPatient);
      expect(await seriousAxeViolations(patient.page, 'anonymous survey consent')).toEqual([]);
      // Consent first; starting without it is refused with a message.
      await survey.startButton.click();
      await patient.page.getByText('Kryss av for at du har lest dette').waitFor();
      await survey.consentCheckbox.check();
      await survey.startButton.click();
      await survey.choose(/Har du i løpet av de siste tolv månedene vært hos/, 'Ja');
      // The survey's PHQ-9 is the platform's own (its texts and answers): items 1-8 "not at all",
      // and item 9 above 0 shows the crisis numbers at once.
      for (const item of PHQ9_ITEMS.slice(0, 8)) await survey.choose(item.text.nb, 'Ikke i det hele tatt');
      expect(await survey.crisisPanel.count()).toBe(0);
      await survey.choose((PHQ9_ITEMS[8] as (typeof PHQ9_ITEMS)[number]).text.nb, 'Flere dager');
      await survey.crisisPanel.waitFor();
      expect(await survey.crisisTelLinks()).toEqual(CRISIS_LINKS);
      expect(await survey.crisisPanel.textContent()).toMatch(/anonym.*Ingen leser svarene/);
      // Nothing is graded: no word of risk anywhere on the page.
      expect(((await patient.page.textContent('main')) ?? '').toLowerCase()).not.toMatch(/risiko/);
      expect(await seriousAxeViolations(patient.page, 'anonymous survey with crisis numbers')).toEqual([]);
      // The page fits 360 px without sideways scrolling.
      expect(await patient.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        360
      );
      await survey.submitButton.click();
      await survey.thanks.waitFor();
      await survey.crisisPanel.waitFor();
    } finally {
      await patient.close();
    }
  }, 120_000);
});
