/**
 * The qualitative workspace from a Word file to a user group's comment (issue 15), in the browser:
 * the lead imports a .docx transcript, reviews the de-identification and opens it for coding; the
 * lead and a second coder code it apart (one with the keyboard, one with a selection), and the
 * agreement page compares them; one code group is taken through condensation to a synthesis
 * sentence, traced back to the transcript line, and shared; the user-group member comments on it
 * and cannot open the transcript; a participant withdraws and their speech is gone everywhere.
 * axe runs on every page.
 *
 * The study is made for this test (through the API, as set-up) so the demo study other tests read
 * is left as it is.
 */
import { strToU8, zipSync } from 'fflate';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginPage } from './pages/LoginPage.js';
import { QualitativeCodingPage } from './pages/QualitativeCodingPage.js';
import { QualitativeReviewPage } from './pages/QualitativeReviewPage.js';
import { QualitativeStcPage } from './pages/QualitativeStcPage.js';
import { UserGroupPage } from './pages/UserGroupPage.js';
import { launchBrowser, newSession, seriousAxeViolations, type Session } from './support/browser.js';
import { apiFromPage } from './support/program.js';

const BASE = '/api/research/qualitative/studies';

/** A Word document with one paragraph per line (what mammoth reads). */
function docx(lines: string[]): Buffer {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const paragraphs = lines.map((l) => `<w:p><w:r><w:t xml:space="preserve">${esc(l)}</w:t></w:r></w:p>`);
  return Buffer.from(
    zipSync({
      '[Content_Types].xml': strToU8(
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
          '<Default Extension="xml" ContentType="application/xml"/>' +
          '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
      ),
      '_rels/.rels': strToU8(
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
          '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'
      ),
      'word/document.xml': strToU8(
        '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
          `<w:body>${paragraphs.join('')}</w:body></w:document>`
      ),
    })
  );
}

// GP-12 says something no one else says ("sjakkbrett"), so its absence after the withdrawal is checkable
const TRANSCRIPT = [
  'Moderator: Velkommen. Fortell om sist dere anbefalte internettbehandlingen.',
  'GP-11: Jeg heter Kari, og jeg rekker rett og slett ikke å følge opp mellom modulene. Timene er fulle.',
  'GP-12: Hos oss i Fjellvik ligger manualen som et sjakkbrett av lapper på pulten. Den forsvinner.',
  'GP-11: Når pasienten ikke sier noe om programmet, glemmer jeg å spørre.',
];

async function api<T>(page: Page, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const result = await apiFromPage<T>(page, method, path, body);
  if (result.status >= 300)
    throw new Error(`${method} ${path}: ${result.status} ${JSON.stringify(result.body)}`);
  return result.body;
}

describe('A focus-group transcript from Word file to the user group, and a withdrawal', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function signedIn(username: string): Promise<Session> {
    const session = await newSession(browser);
    await (await new LoginPage(session.page).open()).loginAs(username);
    return session;
  }

  it('imports, de-identifies, codes as two coders, condenses, traces, shares and withdraws', async () => {
    const sessions: Session[] = [];
    try {
      // --- set-up through the API: a study, its members and two consenting participants ---
      const admin = await signedIn('admin');
      sessions.push(admin);
      const users = await api<{ items: Array<{ id: string; username: string }> }>(
        admin.page,
        'GET',
        '/api/admin/users'
      );
      const idOf = (username: string) => users.items.find((u) => u.username === username)!.id;
      const lead = await signedIn('forsker');
      sessions.push(lead);
      const title = `Oppfølging mellom modulene ${Date.now()}`;
      const study = await api<{ id: string }>(lead.page, 'POST', BASE, { title });
      await api(lead.page, 'POST', `${BASE}/${study.id}/members`, {
        userId: idOf('forsker.koder'),
        role: 'coder',
      });
      await api(lead.page, 'POST', `${BASE}/${study.id}/user-group`, { userId: idOf('brukergruppe') });
      for (const [pseudonym, name] of [
        ['GP-11', 'Kari'],
        ['GP-12', 'Geir'],
      ] as const) {
        const p = await api<{ id: string }>(lead.page, 'POST', `${BASE}/${study.id}/participants`, {
          pseudonym,
          kind: 'gp',
          identityKey: name,
        });
        await api(lead.page, 'POST', `${BASE}/${study.id}/participants/${p.id}/consents`, {
          letterVersion: 'v1',
          givenAt: new Date().toISOString(),
          how: 'recorded',
          keepOriginal: false,
        });
      }
      await api(lead.page, 'POST', `${BASE}/${study.id}/events`, {
        kind: 'focus_group',
        number: 1,
        heldOn: '2026-11-18',
      });

      // --- import the .docx on the study page ---
      const page = lead.page;
      await page.goto(`/research/qualitative/${study.id}`);
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      await page.getByLabel('Tittel', { exact: true }).fill('Fokusgruppe 1');
      await page.getByLabel('Hendelse').selectOption({ label: 'Fokusgruppe 1 (2026-11-18)' });
      await page.getByRole('checkbox', { name: 'GP-11' }).check();
      await page.getByRole('checkbox', { name: 'GP-12' }).check();
      await page.setInputFiles('#import-file', {
        name: 'fokusgruppe-1.docx',
        mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        buffer: docx(TRANSCRIPT),
      });
      expect(await seriousAxeViolations(page, 'study page with import form')).toEqual([]);
      await page.getByRole('button', { name: 'Last inn og gå til avidentifisering' }).click();

      // --- de-identify ---
      const review = new QualitativeReviewPage(page);
      await review.heading.waitFor();
      await review.proposal('Kari').waitFor();
      await review.proposal('Fjellvik').waitFor();
      expect(await seriousAxeViolations(page, 'de-identification review')).toEqual([]);
      await expect.poll(() => review.apply.isDisabled()).toBe(true);
      await review.acceptRest.click();
      await expect.poll(() => review.apply.isDisabled()).toBe(false);
      await review.apply.click();

      // --- code as the lead, with the keyboard ---
      const coding = new QualitativeCodingPage(page);
      await coding.waitForText();
      const sourceId = new URL(page.url()).pathname.split('/')[5]!;
      const text = (await page.locator('.qual-turns').textContent()) ?? '';
      expect(text).not.toContain('Kari');
      expect(text).not.toContain('Fjellvik');
      expect(text).toContain('sjakkbrett');
      await coding.createCode('Tidspress');
      await coding.selectTurnWithKeyboard(1);
      await coding.codeChoice.selectOption({ label: 'Tidspress' });
      await coding.turn(1).focus();
      await page.keyboard.press('k');
      await expect.poll(() => coding.coded.count()).toBeGreaterThan(0);
      expect(await coding.turn(1).locator('mark.qual-coded').first().getAttribute('data-codes')).toBe(
        'Tidspress'
      );
      await coding.selectTurnText(3);
      await coding.applyCode.click();
      await expect.poll(() => coding.turn(3).locator('mark.qual-coded').count()).toBe(1);
      // a memo on the selected turn, listed with its words
      await page.locator('#segment-memo').fill('Tiden som hinder, igjen.');
      await page.getByRole('button', { name: 'Lagre memoet' }).click();
      await page.locator('.qual-memos li', { hasText: 'Tiden som hinder, igjen.' }).waitFor();
      expect(await page.locator('.qual-memos li').first().textContent()).toContain('«');
      expect(await seriousAxeViolations(page, 'coding page')).toEqual([]);

      // --- the codebook: a definition for the new code, a subcode, and a memo ---
      await page.goto(`/research/qualitative/${study.id}/codebook`);
      await page.getByRole('button', { name: 'Tidspress' }).click();
      await page.locator('#code-definition').fill('Når legen beskriver at tiden ikke strekker til.');
      await page.getByRole('button', { name: 'Lagre koden' }).click();
      await page.getByText('Koden er lagret.').waitFor();
      await page.locator('#new-name').fill('Fulle timelister');
      await page.locator('#new-parent').selectOption({ label: 'Tidspress' });
      await page.getByRole('button', { name: 'Legg til koden' }).click();
      await page.getByRole('button', { name: 'Fulle timelister' }).waitFor();
      await page.getByLabel('Nytt memo om Fulle timelister').fill('Kanskje en undergruppe i STC.');
      await page.getByRole('button', { name: 'Lagre memoet' }).click();
      await page.getByText('Kanskje en undergruppe i STC.').waitFor();
      expect(await seriousAxeViolations(page, 'codebook')).toEqual([]);

      // --- the second coder codes apart: one turn the same, one turn not ---
      const coder = await signedIn('forsker.koder');
      sessions.push(coder);
      const coderPage = new QualitativeCodingPage(coder.page);
      await coder.page.goto(`/research/qualitative/${study.id}/sources/${sourceId}`);
      await coderPage.waitForText();
      // the lead's codings are not shown to another coder
      expect(await coderPage.coded.count()).toBe(0);
      await coderPage.codeChoice.selectOption({ label: 'Tidspress' });
      await coderPage.selectTurnText(1);
      await coderPage.applyCode.click();
      await expect.poll(() => coderPage.coded.count()).toBe(1);

      // --- agreement and the comparison, as the lead ---
      await page.goto(`/research/qualitative/${study.id}/agreement`);
      const row = page.locator('table.qual-agreement').getByRole('row', { name: /Tidspress/ });
      await row.waitFor();
      expect(await row.textContent()).toMatch(/0,\d\d/);
      await page.locator('.qual-comparison tr[data-agree="false"]').first().waitFor();
      expect(await page.locator('.qual-comparison tr[data-agree="true"]').count()).toBe(1);
      expect(await seriousAxeViolations(page, 'agreement page')).toEqual([]);

      // --- STC: a code group, a meaning unit from the transcript, a condensate, a synthesis ---
      await page.goto(`/research/qualitative/${study.id}`);
      await page.getByLabel('Tittel på en ny tekstkondensering').fill('Oppfølging i travle uker');
      await page.getByRole('button', { name: 'Start tekstkondenseringen' }).click();
      const stc = new QualitativeStcPage(page);
      await stc.heading.filter({ hasText: 'Oppfølging i travle uker' }).waitFor();
      const analysisUrl = page.url();
      await stc.newGroup.fill('Tid');
      await stc.addGroup.click();
      await stc.saveAndWait();
      expect(await seriousAxeViolations(page, 'STC analysis')).toEqual([]);

      await page.goto(`/research/qualitative/${study.id}/sources/${sourceId}`);
      await coding.waitForText();
      await coding.selectTurnText(1);
      await coding.unitAnalysis.selectOption({ label: 'Oppfølging i travle uker' });
      await coding.unitGroup.selectOption({ label: 'Tid' });
      await coding.addUnit.click();
      await page.getByText('Lagt til som meningsenhet i «Oppfølging i travle uker».').waitFor();

      await page.goto(analysisUrl);
      await stc.addCondensate('Tid').click();
      await stc.condensate('Tid').fill('Jeg rekker ikke å følge opp mellom modulene, for timene er fulle.');
      await page
        .getByRole('region', { name: /Trinn 3/ })
        .getByRole('checkbox')
        .first()
        .check();
      await stc.goldenQuote().selectOption({ index: 1 });
      await stc.addSentence('Tid').click();
      await stc
        .sentence('Tid')
        .fill('Fastlegene beskrev at fulle timebøker gjorde oppfølgingen mellom modulene vanskelig.');
      await page
        .getByRole('region', { name: /Trinn 4/ })
        .getByRole('checkbox')
        .first()
        .check();
      await stc.saveAndWait();
      await stc.trace(1).click();
      const traced = stc.tracedLinks;
      await traced.first().waitFor();
      expect(await traced.first().textContent()).toMatch(/^Fokusgruppe 1, linje \d+–\d+$/);
      expect(await seriousAxeViolations(page, 'STC analysis with trace')).toEqual([]);
      await traced.first().click();
      await coding.currentTurn.waitFor();
      expect(await coding.currentTurn.textContent()).toContain('rekker rett og slett ikke');

      // --- share with the user group ---
      await page.goto(analysisUrl);
      await stc.shareMessage.fill('Kjenner dere dette igjen?');
      await stc.share.click();
      await page.getByText('Versjon', { exact: false }).filter({ hasText: 'er delt' }).waitFor();

      const member = await signedIn('brukergruppe');
      sessions.push(member);
      const group = new UserGroupPage(member.page);
      await group.heading.waitFor();
      await member.page.getByRole('region', { name: title }).getByRole('link').first().click();
      const paragraph = group.paragraph(1);
      await paragraph.section.waitFor();
      expect(await paragraph.text.textContent()).toContain('fulle timebøker');
      await paragraph.commentField.fill('Det samme hører vi fra pasientene.');
      await paragraph.send.click();
      await member.page.getByText('Kommentaren er lagret.').waitFor();
      // the transcript is out of reach for the user group
      const transcript = await apiFromPage(member.page, 'GET', `${BASE}/${study.id}/sources/${sourceId}`);
      expect(transcript.status).toBe(403);

      // --- the same codings in a framework matrix and a reflexive thematic analysis ---
      await page.goto(`/research/qualitative/${study.id}`);
      await page.getByLabel('Tittel på analysen').fill('Casene');
      await page.getByRole('button', { name: 'Start analysen' }).click();
      await page.getByRole('heading', { level: 1, name: 'Casene' }).waitFor();
      const newCase = page.getByRole('group', { name: 'Nytt case' });
      await newCase.getByLabel('Pseudonym for caset').fill('Gruppe 1');
      await newCase.getByRole('checkbox', { name: 'Fokusgruppe 1' }).check();
      await newCase.getByRole('button', { name: 'Legg til caset' }).click();
      const newTheme = page.getByRole('group', { name: 'Nytt tema' });
      await newTheme.getByLabel('Navn på temaet').fill('Tid');
      await newTheme.getByRole('checkbox', { name: 'Tidspress' }).check();
      await newTheme.getByRole('button', { name: 'Legg til temaet' }).click();
      await page.getByRole('button', { name: 'Lagre analysen' }).click();
      const cell = page.locator('table.qual-matrix td').first();
      // the lead charts every coder's codings: two of their own and one of the second coder's
      await expect.poll(() => cell.textContent()).toContain('3 kodinger, ikke oppsummert');
      await page.getByRole('button', { name: 'Åpne cellen Gruppe 1 × Tid' }).click();
      await page.locator('.qual-quotes li').first().waitFor();
      expect(await page.locator('.qual-quotes').textContent()).toContain('rekker rett og slett ikke');
      await page.getByLabel('Oppsummering av cellen').fill('Tiden mellom modulene strekker ikke til.');
      expect(await seriousAxeViolations(page, 'framework matrix')).toEqual([]);
      await page.getByRole('button', { name: 'Lagre analysen' }).click();
      await expect.poll(() => cell.textContent()).toContain('3 kodinger, oppsummert');

      await page.goto(`/research/qualitative/${study.id}`);
      // the study page is still filling its sections in: click until the choice holds
      const thematic = page.getByRole('radio', { name: 'refleksiv tematisk analyse' });
      await expect
        .poll(async () => {
          await thematic.click();
          return thematic.isChecked();
        })
        .toBe(true);
      await page.getByLabel('Tittel på analysen').fill('Temaer');
      await page.getByRole('button', { name: 'Start analysen' }).click();
      await page.getByRole('heading', { level: 1, name: 'Temaer' }).waitFor();
      await page.getByLabel('Nytt kandidattema').fill('Legen rekker ikke');
      await page.getByRole('button', { name: 'Legg til temaet' }).click();
      await page
        .getByRole('group', { name: 'Koder i Legen rekker ikke' })
        .getByRole('checkbox', { name: 'Tidspress' })
        .check();
      await page.getByRole('button', { name: 'Lagre analysen' }).click();
      await page.getByRole('group', { name: /Legen rekker ikke — fase 3/ }).waitFor();
      expect(await seriousAxeViolations(page, 'thematic analysis')).toEqual([]);

      // --- a participant withdraws: their speech is gone from the text, the search and the codings ---
      await page.goto(`/research/qualitative/${study.id}`);
      await page.getByRole('button', { name: 'Trekk GP-12 fra studien' }).click();
      await page.getByRole('button', { name: 'Ja, trekk GP-12 fra studien' }).click();
      await page.getByText(/GP-12 er trukket fra studien: 1 talerbytter fjernet/).waitFor();
      expect(await seriousAxeViolations(page, 'study page after withdrawal')).toEqual([]);
      await page.goto(`/research/qualitative/${study.id}/sources/${sourceId}`);
      await coding.waitForText();
      expect(await page.locator('.qual-turns').textContent()).not.toContain('sjakkbrett');
      const search = await api<{ lines: unknown[] }>(page, 'GET', `${BASE}/${study.id}/search?q=sjakkbrett`);
      expect(search.lines).toEqual([]);
      // the lead's two codings stay (they were not in GP-12's turn), on the same words
      await expect.poll(() => coding.coded.count()).toBe(2);

      // --- a project from another tool: its transcript goes to de-identification, the rest is listed ---
      const qde =
        '<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="Fra NVivo">' +
        '<CodeBook><Codes><Code guid="{CCCCCCCC-0000-4000-8000-000000000001}" name="Tidspress" isCodable="true"/></Codes></CodeBook>' +
        '<Sources><TextSource guid="{CCCCCCCC-0000-4000-8000-000000000002}" name="Intervju 9">' +
        '<PlainTextContent>GP-13: Jeg rekker ikke oppfølgingen.</PlainTextContent>' +
        '<PlainTextSelection guid="{CCCCCCCC-0000-4000-8000-000000000003}" startPosition="7" endPosition="35">' +
        '<Coding guid="{CCCCCCCC-0000-4000-8000-000000000004}"><CodeRef targetGUID="{CCCCCCCC-0000-4000-8000-000000000001}"/></Coding>' +
        '</PlainTextSelection></TextSource></Sources>' +
        '<Graphs><Graph guid="{CCCCCCCC-0000-4000-8000-000000000005}" name="Kart"/></Graphs></Project>';
      await page.goto(`/research/qualitative/${study.id}`);
      await page.setInputFiles('#refi-file', {
        name: 'fra-nvivo.qde',
        mimeType: 'application/xml',
        buffer: Buffer.from(qde),
      });
      await page.getByRole('button', { name: 'Last inn prosjektet' }).click();
      await page
        .getByText(
          /Lastet inn 1 transkripsjoner til avidentifisering, 0 nye koder \(1 fantes fra før\), 1 kodinger/
        )
        .waitFor();
      await page.getByText(/Project Graphs/).waitFor();
      expect(await seriousAxeViolations(page, 'study page after a project import')).toEqual([]);
      await page.getByRole('link', { name: 'Intervju 9' }).waitFor();
      for (const s of sessions) expect(s.problems).toEqual([]);
    } finally {
      for (const s of sessions) await s.close();
    }
  }, 240_000);
});
