/**
 * The researcher runs the study's surveys from the research face (issue 14), without the API:
 * - creates a survey by importing a Questionnaire JSON file — a broken one first, refused with the
 *   validator's problems naming the item's linkId — imports a frame with a bad row (the reject is
 *   shown by line, field and reason before anything is saved), opens the survey, sends the
 *   invitations, and the invitation and then the 7-day reminder reach the suite's SMTP server;
 * - creates a waiting-room survey from a study questionnaire, makes a practice link and opens its
 *   poster: the QR code the browser draws decodes (jsQR) to exactly the link's URL, the address is
 *   printed beneath it, the poster prints on one A4 page without the app's header, and the English
 *   poster says the same in English;
 * - axe finds no serious violation on any of these pages.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LoginPage } from './pages/LoginPage.js';
import {
  csvFile,
  jsonFile,
  SurveyAdminActions,
  SurveyAdminCreateForm,
  SurveyAdminPosterPage,
} from './pages/SurveyAdminActions.js';
import { launchBrowser, newSession, seriousAxeViolations } from './support/browser.js';
import { moveServerClockDays, resetServerClock } from './support/server-clock.js';

/** jsQR is CommonJS with its function as `exports.default`: required, so Node and Vitest agree. */
const jsQR = (
  createRequire(import.meta.url)('jsqr') as {
    default: (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
  }
).default;

const DEMO_PRACTICE = 'Fjordlia legesenter (demo, syntetiske data)';

function studyQuestionnaire(name: string): Record<string, unknown> {
  const file = fileURLToPath(new URL(`../../src/content/surveys/${name}.json`, import.meta.url));
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

interface Mail {
  to: string[];
  subject: string;
  text: string;
}

function mailsTo(address: string): Mail[] {
  const dir = inject('mailDir');
  return readdirSync(dir)
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Mail)
    .filter((m) => m.to.includes(address));
}

describe('Survey administration in the browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('imports a questionnaire (problems named by linkId), a frame with a bad row, invites, and reminds', async () => {
    const researcher = await newSession(browser);
    const stamp = Date.now().toString(36);
    const address = `admin-e2e-${stamp}@example.invalid`;
    try {
      await (await new LoginPage(researcher.page).open()).loginAs('forsker');
      const create = await new SurveyAdminCreateForm(researcher.page).open();

      // Nothing chosen: the error summary lists the missing title and file, linked to the fields.
      await create.form.getByLabel(/Importer et spørreskjema/).check();
      await create.submit();
      await create.errorSummary.waitFor();
      expect(await create.errorSummary.textContent()).toMatch(/Skriv en tittel.*Velg en JSON-fil/);
      expect(await seriousAxeViolations(researcher.page, 'new survey: error summary')).toEqual([]);

      // A broken questionnaire: the first item's linkId has a space. Refused, the item named.
      const broken = studyQuestionnaire('gp-national');
      const items = broken.item as { linkId: string }[];
      const firstLinkId = items[0]!.linkId;
      items[0]!.linkId = `${firstLinkId} x`;
      await create.fromFile(jsonFile('broken.json', broken), 'identified', `Admin GP survey ${stamp}`);
      await create.problems.waitFor();
      expect(await create.problems.textContent()).toContain(`item "${firstLinkId} x"`);
      expect(await seriousAxeViolations(researcher.page, 'new survey: questionnaire problems')).toEqual([]);

      // The real one: created, and its page opens.
      await create.form
        .getByLabel('JSON-fil med spørreskjemaet')
        .setInputFiles(jsonFile('gp-national.json', studyQuestionnaire('gp-national')));
      await create.submit();
      const survey = new SurveyAdminActions(researcher.page);
      await survey.heading.getByText(`Admin GP survey ${stamp}`).waitFor();
      expect(await survey.status.textContent()).toMatch(/Med invitasjon · Utkast/);
      expect(await seriousAxeViolations(researcher.page, 'survey page (draft)')).toEqual([]);

      // The frame: line 3 has no valid e-mail address. The check shows it and saves nothing.
      const frame = [
        'frame_id,email,sex,age_group,region,rural,specialist',
        `A${stamp},${address},F,40-49,Vest,no,yes`,
        `B${stamp},not-an-address,M,50-59,Nord,yes,no`,
      ].join('\n');
      await survey.checkFrame(csvFile('frame.csv', frame));
      expect(await survey.frameReport.textContent()).toMatch(/2 rader lest, 1 kan importeres\./);
      const rejects = survey.rejects();
      expect(await rejects.getByRole('row').nth(1).getByRole('cell').allTextContents()).toEqual([
        '3',
        'email',
        'is not a valid e-mail address',
      ]);
      expect(await seriousAxeViolations(researcher.page, 'frame checked, reject shown')).toEqual([]);
      await survey.confirmFrame(1);

      await survey.openSurvey();
      await survey.invite('baseline');
      expect(await survey.invitationsResult.textContent()).toMatch(/^1 invitasjoner lagt i kø/);
      expect(await seriousAxeViolations(researcher.page, 'invitations sent')).toEqual([]);

      // The invitation reaches the SMTP server; 7 days later (the default first reminder) the reminder.
      await expect.poll(() => mailsTo(address).length, { timeout: 30_000 }).toBe(1);
      expect(mailsTo(address)[0]!.subject).toMatch(/^Invitasjon/);
      moveServerClockDays(8);
      // The server's mailer runs every 30 seconds.
      await expect.poll(() => mailsTo(address).length, { timeout: 75_000, interval: 1_000 }).toBe(2);
      expect(mailsTo(address)[1]!.subject).toMatch(/^Påminnelse/);
    } finally {
      resetServerClock();
      await researcher.close();
    }
  }, 240_000);

  it('makes a waiting-room link and prints its poster, whose QR code holds exactly the link', async () => {
    const researcher = await newSession(browser);
    const stamp = Date.now().toString(36);
    try {
      await (await new LoginPage(researcher.page).open()).loginAs('forsker');
      const create = await new SurveyAdminCreateForm(researcher.page).open();
      await create.fromStudy('Pasienters ønsker (venterom, anonym)', `Venterom ${stamp}`);
      const survey = new SurveyAdminActions(researcher.page);
      await survey.heading.getByText(`Venterom ${stamp}`).waitFor();
      expect(await survey.status.textContent()).toMatch(/Anonym · Utkast/);

      await survey.createPracticeLink(DEMO_PRACTICE, 'baseline');
      const row = survey.practiceLinks.getByRole('row').filter({ hasText: DEMO_PRACTICE });
      const url = ((await row.locator('code').textContent()) ?? '').trim();
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/undersokelse\/[A-Za-z0-9_-]+$/);
      expect(await seriousAxeViolations(researcher.page, 'practice links')).toEqual([]);

      await row.getByRole('link', { name: 'Skriv ut plakat på bokmål' }).click();
      const poster = new SurveyAdminPosterPage(researcher.page);
      await poster.qr.waitFor();
      expect(await poster.poster.getAttribute('lang')).toBe('nb');
      expect(await poster.poster.textContent()).toMatch(/anonym.*frivillig.*omtrent \d+ minutter/is);
      expect(await poster.poster.textContent()).toMatch(/Ingen leser svarene.*116\s117.*113/s);
      expect(await poster.address.textContent()).toBe(url.replace(/^http:\/\//, ''));

      // Decoded from the pixels the browser draws, by a library that did not draw them.
      const pixels = await poster.qrPixels();
      const decoded = jsQR(Uint8ClampedArray.from(pixels.data), pixels.width, pixels.height);
      expect(decoded?.data).toBe(url);
      expect(await seriousAxeViolations(researcher.page, 'poster (nb)')).toEqual([]);

      // Printed: no header or footer of the app, the toolbar gone, and one A4 page.
      await researcher.page.emulateMedia({ media: 'print' });
      expect(await researcher.page.locator('.site-header').isVisible()).toBe(false);
      expect(await researcher.page.getByRole('button', { name: 'Skriv ut' }).isVisible()).toBe(false);
      expect(await poster.qr.isVisible()).toBe(true);
      const pdf = (await researcher.page.pdf({ format: 'A4', preferCSSPageSize: true })).toString('latin1');
      expect(pdf.match(/\/Type\s*\/Page[^s]/g)?.length).toBe(1);
      await researcher.page.emulateMedia({ media: 'screen' });

      // The English poster: the same link, English words.
      await researcher.page.getByRole('link', { name: 'Vis plakaten på engelsk' }).click();
      await poster.poster.getByText('Will you help us make care for low mood better?').waitFor();
      expect(await poster.poster.getAttribute('lang')).toBe('en');
      expect(await poster.poster.textContent()).toMatch(/Nobody reads the answers/);
      const english = await poster.qrPixels();
      expect(jsQR(Uint8ClampedArray.from(english.data), english.width, english.height)?.data).toBe(url);
      expect(await seriousAxeViolations(researcher.page, 'poster (en)')).toEqual([]);
    } finally {
      await researcher.close();
    }
  }, 180_000);
});
