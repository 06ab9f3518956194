import type { Locator, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../support/browser.js';
import { AppHeader } from './AppHeader.js';

const ROLE_PATHS = /\/(patient|gp|guide|research|admin|user-group)$/;

export class LoginPage {
  readonly header: AppHeader;
  readonly heading: Locator;
  readonly username: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.header = new AppHeader(page);
    this.heading = page.getByRole('heading', { level: 1 });
    this.username = page.getByLabel(/^(Brukernavn|Username)$/);
    this.password = page.getByLabel(/^(Passord|Password)$/);
    this.submit = page.getByRole('main').getByRole('button', { name: /^(Logg inn|Log in)$/ });
    this.error = page.getByRole('alert');
  }

  async open(): Promise<this> {
    await this.page.goto('/login');
    await this.heading.waitFor();
    return this;
  }

  /**
   * Logs in and waits for the role's home page. The whole suite logs in from one IP, so if the
   * server's per-IP login limit answers 429, wait out its Retry-After and try once more.
   */
  async loginAs(username: string, password = DEMO_PASSWORD): Promise<void> {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      await this.username.fill(username);
      await this.password.fill(password);
      const [response] = await Promise.all([
        this.page.waitForResponse(
          (r) => r.url().endsWith('/api/auth/login') && r.request().method() === 'POST'
        ),
        this.submit.click(),
      ]);
      if (response.status() === 429 && attempt === 0) {
        const wait = Number(response.headers()['retry-after'] ?? '60');
        await this.page.waitForTimeout((Math.min(Number.isFinite(wait) ? wait : 60, 65) + 1) * 1000);
        continue;
      }
      if (response.status() !== 200)
        throw new Error(`Login as ${username} failed with HTTP ${response.status()}`);
      await this.page.waitForURL(ROLE_PATHS);
      await this.page.getByRole('heading', { level: 1 }).waitFor();
      return;
    }
  }
}
