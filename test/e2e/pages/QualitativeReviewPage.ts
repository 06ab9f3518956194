import type { Locator, Page } from 'playwright-core';

/** De-identification review (pages/research/qualitative/ReviewPage.tsx). */
export class QualitativeReviewPage {
  readonly heading: Locator;
  readonly proposals: Locator;
  readonly acceptRest: Locator;
  readonly apply: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Avidentifisering' });
    this.proposals = page.locator('table.qual-review tbody tr');
    this.acceptRest = page.getByRole('button', {
      name: /^Godta (de \d+ forslagene som gjenstår|det siste forslaget)$/,
    });
    this.apply = page.getByRole('button', { name: 'Avidentifiser og åpne for koding' });
  }

  /** The proposal for a word as it stands in the original. */
  proposal(original: string): Locator {
    return this.page.locator(`table.qual-review tbody tr[data-proposal="${original}"]`).first();
  }
}
