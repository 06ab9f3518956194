import type { Locator, Page } from 'playwright-core';
import { AppHeader } from './AppHeader.js';

/** The GP's patient list, /gp/patients (Norwegian UI). */
export class GpPatientListPage {
  readonly header: AppHeader;
  readonly heading: Locator;
  readonly table: Locator;
  readonly urgentSummary: Locator;
  readonly filter: Locator;

  constructor(readonly page: Page) {
    this.header = new AppHeader(page);
    this.heading = page.getByRole('heading', { level: 1 });
    this.table = page.getByRole('table', { name: /Pasienter på listen din/ });
    this.urgentSummary = page.getByTestId('gp-urgent-summary');
    this.filter = page.getByLabel('Vis pasienter');
  }

  async open(): Promise<this> {
    await this.page.goto('/gp/patients');
    await this.table.waitFor();
    return this;
  }

  /** The table row of one patient, by the name in its row header. */
  row(patientName: string): Locator {
    return this.table
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name: patientName, exact: true }) });
  }

  urgentTag(patientName: string): Locator {
    return this.row(patientName).getByText(/^Haster: spørsmål 9 besvart med/);
  }

  /** The way from the list to the open urgent case (no one-click "seen"). */
  urgentCaseLink(patientName: string): Locator {
    return this.row(patientName).getByRole('link', { name: /^Åpne hastesaken/ });
  }

  async rowText(patientName: string): Promise<string> {
    return ((await this.row(patientName).textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }
}
