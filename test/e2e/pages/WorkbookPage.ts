import type { Locator, Page } from 'playwright-core';
import { AppHeader } from './AppHeader.js';

/** /patient/workbook: every entry, grouped by module and exercise, with its sharing choice. */
export class WorkbookPage {
  readonly header: AppHeader;
  readonly heading: Locator;

  constructor(readonly page: Page) {
    this.header = new AppHeader(page);
    this.heading = page.getByRole('heading', { level: 1 });
  }

  async open(): Promise<this> {
    await this.page.goto('/patient/workbook');
    await this.heading.waitFor();
    await this.page
      .getByTestId('workbook-entry')
      .or(this.page.getByText('Du har ikke skrevet noe'))
      .first()
      .waitFor();
    return this;
  }

  exercise(exerciseId: string): Locator {
    return this.page.getByTestId(`workbook-${exerciseId}`);
  }

  entries(exerciseId: string): Locator {
    return this.exercise(exerciseId).getByTestId('workbook-entry');
  }

  /** The answer shown for a question (the field's label) in an entry. */
  answer(entry: Locator, label: string): Locator {
    return entry
      .locator('div')
      .filter({ has: this.page.locator('dt', { hasText: label }) })
      .locator('dd');
  }

  shareToggle(entry: Locator): Locator {
    return entry.getByRole('checkbox', { name: /Del med fastlegen/ });
  }
}
