import type { Locator, Page } from 'playwright-core';
import { AppHeader } from './AppHeader.js';

/** The follow-up card, /gp/patients/:id/follow-ups/:followUpId (Norwegian UI). */
export class GpFollowUpCardPage {
  readonly header: AppHeader;
  readonly heading: Locator;
  readonly subtitle: Locator;
  readonly agenda: Locator;
  readonly alerts: Locator;
  readonly since: Locator;
  readonly sinceModules: Locator;
  readonly scores: Locator;
  readonly changeLine: Locator;
  readonly chart: Locator;
  readonly module: Locator;
  readonly digest: Locator;
  readonly manualLink: Locator;
  readonly work: Locator;
  readonly note: Locator;
  readonly preview: Locator;
  readonly feeCodes: Locator;
  readonly doneButton: Locator;
  readonly saved: Locator;
  readonly savedText: Locator;
  readonly nextLine: Locator;
  /** Shown only in a session the GP's record system (EPJ) launched: the note goes straight in. */
  readonly sendToRecordButton: Locator;
  readonly inRecord: Locator;

  constructor(readonly page: Page) {
    this.header = new AppHeader(page);
    this.heading = page.getByRole('heading', { level: 1 });
    this.subtitle = page.getByTestId('card-subtitle');
    this.agenda = page.getByTestId('card-agenda');
    this.alerts = page.getByTestId('card-alerts');
    this.since = page.getByTestId('card-since');
    this.sinceModules = page.getByTestId('since-modules');
    this.scores = page.getByTestId('card-scores');
    this.changeLine = page.getByTestId('change-line');
    this.chart = this.scores.getByRole('img');
    this.module = page.getByTestId('card-module');
    this.digest = page.getByTestId('module-digest');
    this.manualLink = page.getByRole('link', { name: /^Veileder for modul \d$/ }).first();
    this.work = page.getByTestId('card-work');
    this.note = page.getByTestId('card-note');
    this.preview = page.getByTestId('note-preview');
    this.feeCodes = page.getByTestId('fee-codes');
    this.doneButton = this.note.getByRole('button', { name: 'Oppfølging fullført' });
    this.saved = page.getByTestId('note-saved');
    this.savedText = page.getByTestId('saved-note-text');
    this.nextLine = page.getByTestId('next-follow-up-line');
    this.sendToRecordButton = this.note.getByRole('button', { name: 'Send notatet til journalen' });
    this.inRecord = page.getByTestId('note-in-record');
  }

  async waitUntilLoaded(): Promise<this> {
    await this.page.getByTestId('follow-up-card').waitFor();
    await this.note.waitFor();
    return this;
  }

  async text(locator: Locator): Promise<string> {
    return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  field(label: 'Hva dere snakket om' | 'Plan' | 'Neste steg for pasienten' | 'Minutter'): Locator {
    return this.note.getByLabel(new RegExp(`^${label}`));
  }

  feeCode(code: string): Locator {
    return this.feeCodes.getByRole('checkbox', { name: new RegExp(`^${code}\\b`) });
  }

  async markDone(): Promise<void> {
    await this.doneButton.click();
    await this.saved.waitFor();
  }
}
