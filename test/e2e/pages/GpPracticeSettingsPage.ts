import type { Locator, Page } from 'playwright-core';
import { AppHeader } from './AppHeader.js';

/**
 * The practice page's "Varsel om hastesaker" section, /gp/practice (Norwegian UI): the GP's own
 * e-mail and phone, the practice's shared e-mail and response deadline, and the test message.
 */
export class GpPracticeSettingsPage {
  readonly header: AppHeader;
  readonly section: Locator;
  readonly ownEmail: Locator;
  readonly ownPhone: Locator;
  readonly practiceForm: Locator;
  readonly practiceEmail: Locator;
  readonly sameDayCutoff: Locator;
  readonly sameDayBy: Locator;
  readonly nextDayBy: Locator;
  readonly deadlineSentence: Locator;
  readonly noPracticeAddress: Locator;
  readonly errorSummary: Locator;
  readonly practiceStatus: Locator;
  readonly practiceTestStatus: Locator;

  constructor(readonly page: Page) {
    this.header = new AppHeader(page);
    this.section = page.getByTestId('notification-settings');
    this.ownEmail = this.section.getByLabel('Din e-post for varsel');
    this.ownPhone = this.section.getByLabel('Ditt mobilnummer for SMS');
    this.practiceForm = this.section.getByTestId('practice-notification-form');
    this.practiceEmail = this.practiceForm.getByLabel('Legekontorets felles e-post');
    this.sameDayCutoff = this.practiceForm.getByLabel('Saker som kommer før kl.');
    this.sameDayBy = this.practiceForm.getByLabel('… besvares samme arbeidsdag innen kl.');
    this.nextDayBy = this.practiceForm.getByLabel('Senere saker besvares neste arbeidsdag innen kl.');
    this.deadlineSentence = this.practiceForm.getByTestId('deadline-sentence');
    this.noPracticeAddress = this.practiceForm.getByTestId('practice-no-address');
    this.errorSummary = this.practiceForm.getByTestId('notification-error-summary');
    // The form's own message line (the test message has a status line of its own).
    this.practiceStatus = this.practiceForm.locator(':scope > .live-region').getByTestId('gp-message');
    this.practiceTestStatus = this.practiceForm.getByTestId('notification-test-status-practice');
  }

  async open(): Promise<this> {
    await this.page.goto('/gp/practice');
    await this.practiceEmail.waitFor();
    return this;
  }

  /** Types the practice's shared address (empty clears it) without saving. */
  async enterPracticeEmail(address: string): Promise<void> {
    await this.practiceEmail.fill(address);
  }

  /** Saves the practice's settings and waits for the answer (saved, or refused with reasons). */
  async savePractice(): Promise<void> {
    await this.practiceForm.getByRole('button', { name: 'Lagre for legekontoret' }).click();
    await this.practiceStatus.or(this.errorSummary).first().waitFor();
  }

  async setPracticeEmail(address: string): Promise<void> {
    await this.enterPracticeEmail(address);
    await this.savePractice();
  }

  /** "Send en testmelding" to the practice address in the field; waits until it has gone or failed. */
  async sendPracticeTest(): Promise<string> {
    await this.practiceForm.getByRole('button', { name: /^Send en testmelding/ }).click();
    const done = this.practiceTestStatus.getByText(/er sendt|kom ikke fram/);
    await done.waitFor({ timeout: 30_000 });
    return ((await done.textContent()) ?? '').trim();
  }

  /** The messages in the error summary, in order. */
  async errorMessages(): Promise<string[]> {
    return this.errorSummary.getByRole('link').allTextContents();
  }
}
