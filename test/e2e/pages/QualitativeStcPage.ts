import type { Locator, Page } from 'playwright-core';

/** An STC analysis, step by step (pages/research/qualitative/StcPage.tsx). */
export class QualitativeStcPage {
  readonly heading: Locator;
  readonly newGroup: Locator;
  readonly addGroup: Locator;
  readonly save: Locator;
  readonly allSaved: Locator;
  readonly shareMessage: Locator;
  readonly share: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.newGroup = page.getByLabel('Ny kodegruppe');
    this.addGroup = page.getByRole('button', { name: 'Legg til gruppen' });
    this.save = page.getByRole('button', { name: 'Lagre analysen' });
    this.allSaved = page.getByText('Alt er lagret.');
    this.shareMessage = page.getByLabel('Hilsen til brukergruppen');
    this.share = page.getByRole('button', { name: 'Del sammenfatningen' });
  }

  async saveAndWait(): Promise<void> {
    await this.save.click();
    await this.allSaved.waitFor();
  }

  addCondensate(group: string): Locator {
    return this.page.getByRole('button', { name: `Nytt kondensat i ${group}` });
  }
  condensate(group: string, number = 1): Locator {
    return this.page.getByLabel(`Kondensat ${number} i ${group}`);
  }
  goldenQuote(): Locator {
    return this.page.getByLabel('Gullsitat').first();
  }
  addSentence(theme: string): Locator {
    return this.page.getByRole('button', { name: `Ny setning om ${theme}` });
  }
  sentence(theme: string, number = 1): Locator {
    return this.page.getByLabel(`Setning ${number} om ${theme}`);
  }
  trace(number = 1): Locator {
    return this.page.getByRole('button', { name: `Spor setning ${number} tilbake` });
  }
  get tracedLinks(): Locator {
    return this.page.locator('.qual-trace a');
  }
}
