import type { Locator, Page } from 'playwright-core';

const FLAGS = [
  'caseness_at_start',
  'reliable_improvement',
  'reliable_deterioration',
  'recovery',
  'reliable_recovery',
] as const;
export type OutcomeFlagName = (typeof FLAGS)[number];

/** One patient's outcome as the GP sees it (card or patient page): the five labels and their words. */
export class GpOutcomeSection {
  readonly root: Locator;
  readonly provisional: Locator;
  readonly phq9Line: Locator;
  readonly crisisNote: Locator;

  constructor(
    readonly page: Page,
    testId = 'card-outcome'
  ) {
    this.root = page.getByTestId(testId);
    this.provisional = this.root.getByTestId('outcome-provisional');
    this.phq9Line = this.root.getByTestId('outcome-phq9');
    this.crisisNote = this.root.getByTestId('gp-crisis-note');
  }

  /** Each label as the GP reads it ("Ja", "Nei", "Gjelder ikke"), keyed by flag. */
  async labels(): Promise<Record<OutcomeFlagName, string>> {
    await this.root.getByTestId('outcome-flag-caseness_at_start').waitFor();
    const out = {} as Record<OutcomeFlagName, string>;
    for (const flag of FLAGS) {
      const item = this.root.getByTestId(`outcome-flag-${flag}`);
      out[flag] = ((await item.locator('.outcome-flags__value').textContent()) ?? '').trim();
    }
    return out;
  }
}

/** "Mine resultater", /gp/results. */
export class GpResultsPage {
  readonly heading: Locator;
  readonly ownFunnel: Locator;
  readonly comparison: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Mine resultater' });
    this.ownFunnel = page.getByTestId('own-funnel');
    this.comparison = page.getByTestId('platform-comparison');
  }

  async open(): Promise<this> {
    await this.page.getByRole('link', { name: 'Mine resultater' }).click();
    await this.heading.waitFor();
    await this.ownFunnel.waitFor();
    return this;
  }

  stageCount(stage: string): Locator {
    return this.ownFunnel.getByTestId(`funnel-${stage}`).locator('td').first();
  }
}

/** "Plattformens resultater", /research/outcomes. */
export class PlatformResultsPage {
  readonly heading: Locator;
  readonly funnel: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Plattformens resultater' });
    this.funnel = page.getByTestId('platform-funnel');
  }

  async open(): Promise<this> {
    await this.page.getByRole('link', { name: 'Se plattformens resultater' }).click();
    await this.heading.waitFor();
    await this.funnel.waitFor();
    return this;
  }
}
