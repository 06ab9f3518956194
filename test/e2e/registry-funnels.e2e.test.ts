/**
 * The researcher runs the registry analysis on the synthetic twin the server made at start-up and
 * sees the funnel plots of variation between GPs on the page: one per indicator, in Norwegian,
 * each an image with a text alternative and a visible summary, no GP labels, and no axe violations.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginPage } from './pages/LoginPage.js';
import { ResearchPage } from './pages/ResearchPage.js';
import { launchBrowser, newSession, seriousAxeViolations } from './support/browser.js';

describe('Registry analysis on the researcher page', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('runs the analysis and shows accessible funnel plots without GP labels', async () => {
    const session = await newSession(browser);
    try {
      await (await new LoginPage(session.page).open()).loginAs('forsker');
      const research = await new ResearchPage(session.page).open();
      await research.runRegistryAnalysis.click();
      await research.openReport.waitFor({ timeout: 90_000 });
      await research.funnelHeading.waitFor();
      // Talking therapy, long consultation, antidepressant, referral, sick leave.
      await expect.poll(() => research.funnelPlots.count()).toBe(5);
      const first = research.funnelPlots.first();
      expect(await first.locator('title').textContent()).toBe('Samtaleterapi (takst 615) innen 12 måneder');
      expect(await first.locator('desc').textContent()).toMatch(
        /fastleger vist, hver med minst 10 pasienter/
      );
      expect(await first.locator('circle').count()).toBeGreaterThan(10);
      // Points are plain circles: no text, no tooltip, nothing that names a GP.
      expect(await first.locator('circle title, a').count()).toBe(0);
      // The summary is also visible text under each plot (not only in the SVG's <desc>).
      expect(
        await session.page
          .locator('figcaption')
          .getByText(/Samlet andel \(målet\)/)
          .count()
      ).toBe(5);
      // Every plot has its Norwegian title (none falls back to the analysis's English label).
      const titles = await research.funnelPlots.locator('title').allTextContents();
      expect(titles.filter((t) => /within|Long consultation/.test(t))).toEqual([]);
      expect(await seriousAxeViolations(session.page, 'research with funnel plots')).toEqual([]);
    } finally {
      await session.close();
    }
  }, 120_000);
});
