import type { Locator, Page } from 'playwright-core';

/** The researcher's page for one survey (/research/surveys/:id): status, frame, monitoring. */
export class SurveyAdminPage {
  readonly heading: Locator;
  readonly complete: Locator;
  readonly opened: Locator;
  readonly optedOut: Locator;
  readonly refresh: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.complete = page.getByTestId('funnel-complete');
    this.opened = page.getByTestId('funnel-opened');
    this.optedOut = page.getByTestId('funnel-optedOut');
    this.refresh = page.getByRole('button', { name: 'Oppdater' });
  }

  async open(surveyId: string): Promise<this> {
    await this.page.goto(`/research/surveys/${surveyId}`);
    await this.heading.waitFor();
    await this.complete.waitFor();
    return this;
  }

  /** The table comparing respondents with the frame for one characteristic (sex, region …). */
  comparison(attribute: string): Locator {
    return this.page.getByTestId(`frame-comparison-${attribute}`);
  }
}
