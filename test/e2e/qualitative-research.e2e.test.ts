/**
 * The researcher's qualitative pages on the demo study (issue 15): from the researcher page to the
 * study, a search whose keyword-in-context line leads to the marked word in the transcript, and the
 * synthesis shared with the user group; axe finds nothing on any of them.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginPage } from './pages/LoginPage.js';
import { QualitativeStudyPage } from './pages/QualitativeStudyPage.js';
import { launchBrowser, newSession, seriousAxeViolations } from './support/browser.js';

describe('The researcher reads the demo qualitative study', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('searches the transcripts, follows a hit to its place, and opens the shared synthesis', async () => {
    const session = await newSession(browser);
    try {
      await (await new LoginPage(session.page).open()).loginAs('forsker');
      const study = await new QualitativeStudyPage(session.page).openFromResearchPage(
        /Hvordan møtes pasienter med depresjon/
      );
      expect(await seriousAxeViolations(session.page, 'qualitative study')).toEqual([]);
      // an inflected form: "dobbelttime" finds "dobbelttime" and "dobbelttimer"
      await study.search('dobbelttime');
      const first = study.hitLinks.first();
      expect(await first.textContent()).toBe('fokusgruppe-1.txt');
      expect(await seriousAxeViolations(session.page, 'qualitative search')).toEqual([]);
      await first.click();
      await study.currentTurn.waitFor();
      expect((await study.currentTurn.locator('mark[data-hit="true"]').textContent())?.toLowerCase()).toMatch(
        /^dobbelttime/
      );
      expect(await seriousAxeViolations(session.page, 'transcript')).toEqual([]);

      // back to the study (the search is the page's state, not a step in the history)
      await session.page.goBack();
      await study.shareLinks.first().click();
      await session.page.getByRole('heading', { name: /^Avsnitt 1:/ }).waitFor();
      expect(await seriousAxeViolations(session.page, 'shared synthesis')).toEqual([]);
      expect(session.problems).toEqual([]);
    } finally {
      await session.close();
    }
  }, 120_000);
});
