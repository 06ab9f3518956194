import type { Locator, Page } from 'playwright-core';

/** The login security page (/security): a staff user's second factors (issue 16). */
export class SecuritySettingsPage {
  readonly heading: Locator;
  readonly addApp: Locator;
  readonly secret: Locator;
  readonly appCode: Locator;
  readonly confirmApp: Locator;
  readonly recoveryCodes: Locator;
  readonly passkeyName: Locator;
  readonly addPasskey: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: /^(Innloggingssikkerhet|Login security)$/ });
    this.addApp = page.getByRole('button', {
      name: /^(Legg til autentiseringsapp|Add an authenticator app)$/,
    });
    this.secret = page.getByTestId('totp-secret');
    this.appCode = page.getByLabel(/^(Kode fra appen|Code from the app)/);
    this.confirmApp = page.getByRole('button', { name: /^(Bekreft og lagre|Confirm and save)$/ });
    this.recoveryCodes = page.getByTestId('recovery-codes').getByRole('listitem');
    this.passkeyName = page.getByLabel(/^(Navn på passnøkkelen|Name of the passkey)/);
    this.addPasskey = page.getByRole('button', { name: /^(Legg til passnøkkel|Add a passkey)$/ });
  }

  /** Through the staff navigation, as a user finds it. */
  async openFromNavigation(): Promise<this> {
    await this.page
      .getByRole('navigation')
      .getByRole('link', { name: /^(Innloggingssikkerhet|Login security)$/ })
      .click();
    await this.heading.waitFor();
    return this;
  }
}
