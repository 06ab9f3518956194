import type { Locator, Page } from 'playwright-core';

/** The header on every page: product name, user, language switch, logout. */
export class AppHeader {
  readonly banner: Locator;

  constructor(readonly page: Page) {
    this.banner = page.getByRole('banner');
  }

  languageButton(name: 'English' | 'Norsk (bokmål)'): Locator {
    return this.banner.getByRole('group').getByRole('button', { name, exact: true });
  }

  async switchToEnglish(): Promise<void> {
    await this.languageButton('English').click();
  }

  async switchToNorwegian(): Promise<void> {
    await this.languageButton('Norsk (bokmål)').click();
  }

  /** The signed-in user's display name as the header shows it. */
  async userName(): Promise<string> {
    return ((await this.banner.getByTestId('header-user-name').textContent()) ?? '').trim();
  }

  async logout(): Promise<void> {
    await this.banner.getByRole('button', { name: /^(Logg ut|Log out)$/ }).click();
    await this.page.waitForURL(/\/login$/);
  }
}
