import type { Locator, Page } from 'playwright-core';
import {
  PHQ9_DIFFICULTY_OPTIONS,
  PHQ9_FREQUENCY_OPTIONS,
  PHQ9_ITEMS,
} from '../../../src/domain/instruments/phq9.js';

/**
 * The PHQ-9 form with its crisis panel (Norwegian UI), wherever it is shown: on the patient home
 * page, and before a module on the module page. Both are a region named "Fyll ut PHQ-9".
 */
export class Phq9FormSection {
  readonly phq9Section: Locator;
  readonly submitButton: Locator;
  readonly retryButton: Locator;
  readonly crisisPanel: Locator;
  readonly networkError: Locator;
  readonly result: Locator;
  readonly noteField: Locator;

  constructor(readonly page: Page) {
    this.phq9Section = page.getByRole('region', { name: 'Fyll ut PHQ-9' });
    this.submitButton = this.phq9Section.getByRole('button', { name: 'Send inn svarene' });
    this.retryButton = this.phq9Section.getByRole('button', { name: 'Prøv å sende igjen' });
    this.crisisPanel = page.getByTestId('crisis-panel');
    this.networkError = this.phq9Section.getByRole('alert').filter({ hasText: 'Svarene er ikke sendt' });
    this.result = page.getByTestId('phq9-result');
    this.noteField = this.phq9Section.getByRole('textbox', { name: /Melding til fastlegen/ });
  }

  /** The fieldset of PHQ-9 item `index` (0-based), found by its legend text. */
  item(index: number): Locator {
    const item = PHQ9_ITEMS[index];
    if (!item) throw new Error(`No PHQ-9 item ${index}`);
    return this.phq9Section.getByRole('group', { name: item.text.nb });
  }

  async answerItem(index: number, score: number): Promise<void> {
    const option = PHQ9_FREQUENCY_OPTIONS.find((o) => o.score === score);
    if (!option) throw new Error(`No PHQ-9 answer with score ${score}`);
    await this.item(index).getByRole('radio', { name: option.text.nb, exact: true }).check();
  }

  async answerDifficulty(score: number): Promise<void> {
    const option = PHQ9_DIFFICULTY_OPTIONS.find((o) => o.score === score);
    if (!option) throw new Error(`No difficulty answer with score ${score}`);
    await this.phq9Section
      .getByRole('group', { name: /^10\./ })
      .getByRole('radio', { name: option.text.nb, exact: true })
      .check();
  }

  /** Answers all nine items (and item 10 when any item is above 0). */
  async answerAll(scores: readonly number[], difficulty = 1): Promise<void> {
    for (const [index, score] of scores.entries()) await this.answerItem(index, score);
    if (scores.some((s) => s > 0)) await this.answerDifficulty(difficulty);
  }

  async isChecked(index: number, score: number): Promise<boolean> {
    const option = PHQ9_FREQUENCY_OPTIONS.find((o) => o.score === score);
    return this.item(index)
      .getByRole('radio', { name: option?.text.nb ?? '', exact: true })
      .isChecked();
  }

  async submit(): Promise<void> {
    await this.submitButton.click();
  }

  async resultScore(): Promise<string> {
    return ((await this.result.getByTestId('phq9-result-score').textContent()) ?? '').trim();
  }

  async resultSeverity(): Promise<string> {
    return ((await this.result.getByTestId('phq9-result-severity').textContent()) ?? '').trim();
  }

  /** The tel: targets of the links in the (first) crisis panel. */
  async crisisTelLinks(): Promise<string[]> {
    const links = this.crisisPanel.first().getByRole('link');
    return links.evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href') ?? ''));
  }
}
