/**
 * Journey 4: Norwegian bokmål by default, English on request, the choice remembered (only the
 * language is stored in the browser), and <html lang> kept in step.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginPage } from './pages/LoginPage.js';
import { launchBrowser, newSession } from './support/browser.js';

describe('Language switch', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('switches the login page to English and back, and remembers the choice', async () => {
    const session = await newSession(browser);
    const { page } = session;
    try {
      // Step 1: Norwegian by default
      const login = await new LoginPage(page).open();
      expect(await login.heading.textContent()).toBe('Logg inn');
      expect(await page.getAttribute('html', 'lang')).toBe('nb');
      expect(await login.header.languageButton('Norsk (bokmål)').getAttribute('aria-pressed')).toBe('true');

      // Step 2: switch to English
      await login.header.switchToEnglish();
      await expect.poll(() => login.heading.textContent()).toBe('Log in');
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      expect(await page.title()).toContain('Log in');
      expect(await page.getByLabel('Username').count()).toBe(1);

      // Step 3: the choice survives a reload, and it is the only thing stored
      await page.reload();
      await expect.poll(() => login.heading.textContent()).toBe('Log in');
      const stored = await page.evaluate(() => ({ ...window.localStorage }));
      expect(stored).toEqual({ 'gpdep.lang': 'en' });

      // Step 4: back to Norwegian
      await login.header.switchToNorwegian();
      await expect.poll(() => login.heading.textContent()).toBe('Logg inn');
      expect(await page.getAttribute('html', 'lang')).toBe('nb');
      expect(session.problems).toEqual([]);
    } finally {
      await session.close();
    }
  });

  it('translates a signed-in page too, and keeps the choice after logout', async () => {
    const session = await newSession(browser);
    const { page } = session;
    try {
      const login = await new LoginPage(page).open();
      await login.header.switchToEnglish();
      await login.loginAs('forsker');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Aggregate figures');
      expect(await page.getByRole('button', { name: 'Log out' }).count()).toBe(1);
      await login.header.switchToNorwegian();
      await expect
        .poll(() => page.getByRole('heading', { level: 1 }).textContent())
        .toBe('Sammenstilte tall');

      // The language choice (and nothing else) survives logout and a reload
      await login.header.switchToEnglish();
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.waitForURL(/\/login$/);
      await page.reload();
      await expect.poll(() => login.heading.textContent()).toBe('Log in');
      expect(await page.evaluate(() => ({ ...window.localStorage }))).toEqual({
        'gpdep.lang': 'en',
      });
      expect(await page.evaluate(() => window.sessionStorage.length)).toBe(0);
    } finally {
      await session.close();
    }
  });
});
