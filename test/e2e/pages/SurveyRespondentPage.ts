import type { Locator, Page } from 'playwright-core';

/** A respondent's survey page: an invited GP (/undersokelse/svar#token) or the waiting room (/undersokelse/<link>). */
export class SurveyRespondentPage {
  readonly heading: Locator;
  readonly submitButton: Locator;
  readonly thanks: Locator;
  readonly savedStatus: Locator;
  readonly crisisPanel: Locator;
  readonly errorSummary: Locator;
  readonly consentCheckbox: Locator;
  readonly startButton: Locator;
  readonly problem: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.submitButton = page.getByRole('button', { name: 'Send inn' });
    this.thanks = page.getByRole('heading', { name: 'Takk for svarene!' });
    this.savedStatus = page.locator('.survey-page__saved');
    this.crisisPanel = page.getByTestId('crisis-panel');
    this.errorSummary = page.getByTestId('survey-error-summary');
    this.consentCheckbox = page.getByRole('checkbox', { name: 'Jeg har lest dette og vil svare' });
    this.startButton = page.getByRole('button', { name: 'Start undersøkelsen' });
    this.problem = page.getByRole('alert');
  }

  async open(path: string): Promise<this> {
    await this.page.goto(path);
    await this.heading.waitFor();
    return this;
  }

  /** The radio group or checkbox group whose legend is the question. */
  question(text: string | RegExp): Locator {
    return this.page.getByRole('group', { name: text });
  }

  async choose(question: string | RegExp, option: string): Promise<void> {
    await this.question(question).getByLabel(option, { exact: true }).check();
  }

  async crisisTelLinks(): Promise<string[]> {
    return this.crisisPanel
      .locator('a[href^="tel:"]')
      .evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
  }
}
