import type { Locator, Page } from 'playwright-core';

/** The public invitation page, /invitasjon (Norwegian UI): code, new password, start. */
export class InvitationPage {
  readonly heading: Locator;
  readonly code: Locator;
  readonly username: Locator;
  readonly password: Locator;
  readonly repeat: Locator;
  readonly submit: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.code = page.getByLabel('Kode', { exact: true });
    this.username = page.getByLabel('Velg et brukernavn');
    this.password = page.getByLabel('Velg et passord');
    this.repeat = page.getByLabel('Skriv passordet en gang til');
    this.submit = page.getByRole('main').getByRole('button', { name: 'Start', exact: true });
  }

  async open(): Promise<this> {
    await this.page.goto('/invitasjon');
    await this.heading.waitFor();
    return this;
  }

  /**
   * Types the code and a new password and waits for the patient's home page. A patient without an
   * account is then asked for a username: give one, and it is chosen when the field appears.
   */
  async redeem(code: string, password: string, username?: string): Promise<void> {
    await this.code.fill(code);
    await this.password.fill(password);
    await this.repeat.fill(password);
    await this.submit.click();
    if (username) {
      await this.username.waitFor();
      await this.username.fill(username);
      await this.submit.click();
    }
    await this.page.waitForURL(/\/patient$/);
    await this.page.getByRole('heading', { level: 1 }).waitFor();
  }
}
