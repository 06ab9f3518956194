/**
 * The user group of the demo qualitative study (issue 15): the demo member logs in, lands on the
 * user group's page, opens the synthesis the lead shared, reads it paragraph by paragraph and
 * comments on one; the comment stays with the paragraph after a reload. A transcript is out of
 * reach for this role (403 from the API), and axe finds nothing on either page.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginPage } from './pages/LoginPage.js';
import { UserGroupPage } from './pages/UserGroupPage.js';
import { launchBrowser, newSession, seriousAxeViolations } from './support/browser.js';
import { apiFromPage } from './support/program.js';

describe('The user group reads a shared synthesis and comments on it', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('comments on a paragraph, and cannot open a transcript', async () => {
    const session = await newSession(browser);
    try {
      await (await new LoginPage(session.page).open()).loginAs('brukergruppe');
      expect(new URL(session.page.url()).pathname).toBe('/user-group');
      const home = new UserGroupPage(session.page);
      await home.heading.waitFor();
      expect(await home.heading.textContent()).toBe('Brukergruppen');
      await home.shareLinks.first().waitFor();
      expect(await seriousAxeViolations(session.page, 'user group home')).toEqual([]);

      await home.shareLinks.first().click();
      const first = home.paragraph(1);
      await first.section.waitFor();
      expect(await first.text.textContent()).toMatch(/tilbakemelding/);
      // an empty comment is refused on the page, naming what to do
      await first.send.click();
      await session.page.getByText('Skriv en kommentar før du sender.').waitFor();
      const comment = 'Dette kjenner vi igjen fra medlemmene våre: de vet ikke om noen leser det de skriver.';
      await first.commentField.fill(comment);
      await first.send.click();
      await session.page.getByText('Kommentaren er lagret.').waitFor();
      await expect
        .poll(() => first.comments.allTextContents())
        .toContainEqual(expect.stringContaining(comment));
      expect(await seriousAxeViolations(session.page, 'user group share')).toEqual([]);
      await session.page.reload();
      await first.section.waitFor();
      await expect
        .poll(() => first.comments.allTextContents())
        .toContainEqual(expect.stringContaining(comment));

      // the study's transcripts are not for this role
      const [, , , studyId] = new URL(session.page.url()).pathname.split('/');
      const shares = await apiFromPage<{ shares: Array<{ id: string }> }>(
        session.page,
        'GET',
        `/api/research/qualitative/studies/${studyId}/shares`
      );
      expect(shares.status).toBe(200);
      const study = await apiFromPage(session.page, 'GET', `/api/research/qualitative/studies/${studyId}`);
      expect(study.status).toBe(403);
      expect(session.problems).toEqual([]);
    } finally {
      await session.close();
    }
  }, 120_000);
});
