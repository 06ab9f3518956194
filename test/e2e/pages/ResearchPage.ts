import type { Locator, Page } from 'playwright-core';
import { AppHeader } from './AppHeader.js';

export class ResearchPage {
  readonly header: AppHeader;
  readonly heading: Locator;
  readonly totals: Locator;
  readonly programStatus: Locator;
  readonly severity: Locator;
  readonly runRegistryAnalysis: Locator;
  readonly openReport: Locator;
  readonly funnelHeading: Locator;
  /** The funnel plots: SVG images named after their indicator. */
  readonly funnelPlots: Locator;

  constructor(readonly page: Page) {
    this.header = new AppHeader(page);
    this.heading = page.getByRole('heading', { level: 1 });
    this.totals = page.getByRole('table', { name: 'Totalt' });
    this.programStatus = page.getByRole('table', { name: /etter status i behandlingsprogrammet/ });
    this.severity = page.getByRole('table', { name: /etter nivå på siste PHQ-9/ });
    this.runRegistryAnalysis = page.getByRole('button', { name: 'Kjør analysen' });
    this.openReport = page.getByRole('link', { name: /Åpne rapporten/ });
    this.funnelHeading = page.getByRole('heading', { name: 'Variasjon mellom fastleger' });
    this.funnelPlots = page
      .getByRole('region', { name: 'Variasjon mellom fastleger' })
      .locator('figure svg[role="img"]');
  }

  async open(): Promise<this> {
    await this.page.goto('/research');
    await this.totals.waitFor();
    return this;
  }
}
