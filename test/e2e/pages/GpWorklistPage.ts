import type { Locator, Page } from 'playwright-core';
import { AppHeader } from './AppHeader.js';

/** The GP's start page, /gp (Norwegian UI): follow-ups this week, what needs attention, absence. */
export class GpWorklistPage {
  readonly header: AppHeader;
  readonly heading: Locator;
  readonly followUps: Locator;
  readonly attention: Locator;
  readonly attentionItems: Locator;
  readonly absence: Locator;
  readonly absences: Locator;

  constructor(readonly page: Page) {
    this.header = new AppHeader(page);
    this.heading = page.getByRole('heading', { level: 1, name: 'Arbeidsliste' });
    this.followUps = page.getByTestId('worklist-follow-ups');
    this.attention = page.getByTestId('worklist-attention');
    this.attentionItems = this.attention.getByTestId('attention-item');
    this.absence = page.getByTestId('absence-section');
    this.absences = this.absence.getByTestId('absence');
  }

  async open(): Promise<this> {
    await this.page.goto('/gp');
    await this.attention.waitFor();
    return this;
  }

  /** The attention card of one patient; `covering` picks an absent colleague's patient or one's own. */
  item(patientName: string, covering = false): Locator {
    return this.attentionItems
      .filter({ has: this.page.getByRole('link', { name: patientName, exact: true }) })
      .and(this.page.locator(`[data-covering="${covering}"]`));
  }

  async itemText(item: Locator): Promise<string> {
    return ((await item.textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  /** The tel: targets of the crisis resources shown in an item. */
  async crisisLinks(item: Locator): Promise<string[]> {
    return item
      .getByTestId('gp-crisis-note')
      .getByRole('link')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  }

  /** Registers an absence from today for a week, covered by a colleague (or the whole practice). */
  async setAbsence(cover: string): Promise<void> {
    await this.absence.getByLabel('Hvem dekker').selectOption({ label: cover });
    await this.absence.getByRole('button', { name: 'Registrer fravær' }).click();
    await this.absences.first().waitFor();
  }

  async endAbsence(): Promise<void> {
    await this.absences
      .first()
      .getByRole('button', { name: /^(Avslutt|Slett) fraværet$/ })
      .click();
    await this.absences.first().waitFor({ state: 'detached' });
  }
}
