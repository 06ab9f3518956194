import type { Locator, Page } from 'playwright-core';
import { AppHeader } from './AppHeader.js';

/** /patient/program: the five modules with their states. */
export class ProgramOverviewPage {
  readonly header: AppHeader;
  readonly heading: Locator;
  readonly list: Locator;

  constructor(readonly page: Page) {
    this.header = new AppHeader(page);
    this.heading = page.getByRole('heading', { level: 1 });
    this.list = page.getByRole('list', { name: 'Modulene' });
  }

  async open(): Promise<this> {
    await this.page.goto('/patient/program');
    await this.list.waitFor();
    return this;
  }

  card(moduleId: string): Locator {
    return this.page.getByTestId(`module-card-${moduleId}`);
  }

  /** The state tag of a module ("Låst", "Klar til start", "Påbegynt", "Fullført", …). */
  async state(moduleId: string): Promise<string> {
    return ((await this.card(moduleId).locator('.ds-tag').first().textContent()) ?? '').trim();
  }

  link(moduleId: string): Locator {
    return this.card(moduleId).getByRole('link');
  }
}
