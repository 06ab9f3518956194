/**
 * Journey 6: the patient home at 360 px (a small phone) has no horizontal scrolling, also with the
 * crisis panel open; and the login works with the keyboard alone.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PatientHomePage } from './pages/PatientHomePage.js';
import { DEMO_PASSWORD, launchBrowser, newSession } from './support/browser.js';

async function scrollWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.scrollingElement?.scrollWidth ?? Number.POSITIVE_INFINITY);
}

describe('Small screens and keyboard', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('patient home at 360 px wide has no horizontal scroll; login by keyboard only', async () => {
    const session = await newSession(browser, { viewport: { width: 360, height: 740 } });
    const { page } = session;
    try {
      // Step 1: log in with the keyboard only (skip link, header controls, then the form)
      await page.goto('/login');
      await page.getByRole('heading', { level: 1 }).waitFor();
      const username = page.getByLabel('Brukernavn');
      for (
        let i = 0;
        i < 12 && !(await username.evaluate((el) => el.ownerDocument.activeElement === el));
        i += 1
      ) {
        await page.keyboard.press('Tab');
      }
      expect(await username.evaluate((el) => el.ownerDocument.activeElement === el)).toBe(true);
      expect(await scrollWidth(page)).toBeLessThanOrEqual(360);
      await page.keyboard.type('pasient09');
      await page.keyboard.press('Tab');
      await page.keyboard.type(DEMO_PASSWORD);
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/patient$/);

      // Step 2: the page fits 360 px, and the next step comes first: on the first screen, under a
      // header of at most a third of it
      const home = new PatientHomePage(page);
      await home.accessLog.waitFor();
      const header = await page.locator('header.site-header').boundingBox();
      expect(header!.height).toBeLessThanOrEqual(740 / 3 + 20);
      const nextStep = await page.locator('#next-step-heading').boundingBox();
      expect(nextStep!.y).toBeLessThan(450);
      await home.history.or(page.getByText('Du har ikke fylt ut PHQ-9 ennå.')).waitFor();
      expect(await scrollWidth(page)).toBeLessThanOrEqual(360);

      // Step 3: still fits with the crisis panel and item 10 shown
      await home.answerItem(8, 3);
      await home.crisisPanel.waitFor({ state: 'visible' });
      expect(await scrollWidth(page)).toBeLessThanOrEqual(360);

      // Step 4: radios are reachable and operable by keyboard (Space checks the focused one)
      const radio = home.item(0).getByRole('radio', { name: 'Flere dager', exact: true });
      await radio.focus();
      await page.keyboard.press('Space');
      expect(await radio.isChecked()).toBe(true);
      expect(session.problems).toEqual([]);
    } finally {
      await session.close();
    }
  });
});
