import type { Locator, Page } from 'playwright-core';
import { AppHeader } from './AppHeader.js';

/** The GAD-7 and WSAS forms, /patient/measure/gad7 and /patient/measure/wsas (Norwegian UI). */
export class MeasurePage {
  readonly header: AppHeader;
  readonly heading: Locator;
  readonly form: Locator;
  readonly submitButton: Locator;
  readonly missing: Locator;
  readonly result: Locator;

  constructor(
    readonly page: Page,
    readonly instrument: 'gad7' | 'wsas'
  ) {
    this.header = new AppHeader(page);
    this.heading = page.getByRole('heading', { level: 1 });
    this.form = page.getByRole('form', { name: instrument === 'gad7' ? 'GAD-7' : 'WSAS' });
    this.submitButton = this.form.getByRole('button', { name: 'Send inn svarene' });
    this.missing = page.getByTestId('measure-missing');
    this.result = page.getByTestId('measure-result');
  }

  async open(): Promise<this> {
    await this.page.goto(`/patient/measure/${this.instrument}`);
    await this.form.waitFor();
    return this;
  }

  /** The question group whose legend contains `text`. */
  group(text: string | RegExp): Locator {
    return this.form.getByRole('group', { name: text });
  }

  async answer(groupText: string | RegExp, optionLabel: string | RegExp): Promise<void> {
    await this.group(groupText)
      .getByRole('radio', { name: optionLabel, ...(typeof optionLabel === 'string' ? { exact: true } : {}) })
      .check();
  }

  async submit(): Promise<void> {
    await this.submitButton.click();
  }

  async resultScore(): Promise<string> {
    return ((await this.result.getByTestId('measure-result-score').textContent()) ?? '').trim();
  }

  async resultBand(): Promise<string> {
    return ((await this.result.getByTestId('measure-result-band').textContent()) ?? '').trim();
  }
}
