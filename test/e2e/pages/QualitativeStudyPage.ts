import type { Locator, Page } from 'playwright-core';

/** The researcher's qualitative pages (pages/research/qualitative/QualitativePages.tsx). */
export class QualitativeStudyPage {
  readonly heading: Locator;
  readonly searchField: Locator;
  readonly searchButton: Locator;
  readonly hitLinks: Locator;
  readonly shareLinks: Locator;
  readonly currentTurn: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.searchField = page.getByLabel('Søkeord');
    this.searchButton = page.getByRole('button', { name: 'Søk', exact: true });
    this.hitLinks = page.locator('.qual-kwic li a');
    this.shareLinks = page.getByRole('region', { name: 'Delt med brukergruppen' }).getByRole('link');
    this.currentTurn = page.locator('.qual-turns p[data-current="true"]');
  }

  /** From the researcher page, through the list of studies, to the study named `title`. */
  async openFromResearchPage(title: RegExp): Promise<this> {
    await this.page.goto('/research');
    await this.page.getByRole('link', { name: 'Kvalitative studier' }).click();
    await this.page.getByRole('link', { name: title }).click();
    await this.heading.filter({ hasText: title }).waitFor();
    return this;
  }

  async search(words: string): Promise<void> {
    await this.searchField.fill(words);
    await this.searchButton.click();
    await this.hitLinks.first().waitFor();
  }
}
