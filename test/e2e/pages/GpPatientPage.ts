import type { Locator, Page } from 'playwright-core';
import { AppHeader } from './AppHeader.js';

/**
 * One patient for the GP, /gp/patients/:id (Norwegian UI): summary, recommend dialog, the
 * invitation letter, the follow-up plan and the timeline.
 */
export class GpPatientPage {
  readonly header: AppHeader;
  readonly heading: Locator;
  readonly status: Locator;
  readonly recommendButton: Locator;
  readonly dialog: Locator;
  readonly suitability: Locator;
  readonly letter: Locator;
  readonly letterCode: Locator;
  readonly letterAddress: Locator;
  readonly plan: Locator;
  readonly planRows: Locator;
  readonly timeline: Locator;
  readonly account: Locator;
  readonly recoveryCode: Locator;
  readonly urgentCase: Locator;

  constructor(readonly page: Page) {
    this.header = new AppHeader(page);
    this.heading = page.getByRole('heading', { level: 1 });
    this.status = page.getByTestId('program-status');
    this.recommendButton = page.getByRole('button', { name: 'Anbefal programmet' });
    this.dialog = page.getByRole('dialog', { name: /^Anbefal nettbehandlingen til/ });
    this.suitability = this.dialog.getByTestId('suitability');
    this.letter = page.getByTestId('invitation-letter');
    this.letterCode = this.letter.getByTestId('invitation-code');
    this.letterAddress = this.letter.getByTestId('invitation-address');
    this.plan = page.getByTestId('follow-up-plan');
    this.planRows = this.plan.getByTestId('plan-row');
    this.timeline = page.getByTestId('timeline');
    this.account = page.getByTestId('account-access');
    this.urgentCase = page.getByTestId('urgent-case');
    this.recoveryCode = page.getByTestId('recovery-code');
  }

  async open(patientId: string): Promise<this> {
    await this.page.goto(`/gp/patients/${patientId}`);
    await this.status.waitFor();
    return this;
  }

  /** The patient's id, from the URL. */
  patientId(): string {
    const id = new URL(this.page.url()).pathname.split('/')[3];
    if (!id) throw new Error(`Not on a patient page: ${this.page.url()}`);
    return id;
  }

  /** Opens the dialog and waits until its suitability check is shown and its fade-in is over. */
  async openRecommendDialog(): Promise<void> {
    await this.recommendButton.click();
    await this.suitability.waitFor();
    await this.dialog.evaluate((dialog) =>
      Promise.all(dialog.getAnimations({ subtree: true }).map((animation) => animation.finished))
    );
  }

  guidanceLevel(label: 'Veiledet' | 'Minimal kontakt' | 'Selvhjelp'): Locator {
    return this.dialog.getByRole('radio', { name: new RegExp(`^${label}`) });
  }

  /** Closes the open urgent case with a record of what was done. */
  async recordUrgentAction(contact: string, assessment: string, plan: string): Promise<void> {
    await this.urgentCase.getByLabel(contact).check();
    await this.urgentCase.getByLabel('Din vurdering').fill(assessment);
    await this.urgentCase.getByLabel('Plan videre').fill(plan);
    await this.urgentCase.getByRole('button', { name: 'Lukk saken med denne registreringen' }).click();
    await this.urgentCase.waitFor({ state: 'detached' });
  }

  /** Resets the patient's access (with the confirmation step) and returns the one-time code. */
  async resetAccess(): Promise<string> {
    await this.account.getByRole('button', { name: 'Tilbakestill tilgangen' }).click();
    await this.account.getByRole('button', { name: 'Ja, tilbakestill' }).click();
    await this.recoveryCode.waitFor();
    return ((await this.recoveryCode.textContent()) ?? '').trim();
  }

  async recommend(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Anbefal og lag invitasjon' }).click();
    await this.letter.waitFor();
  }

  async letterLanguage(language: 'Norsk' | 'English'): Promise<void> {
    const section = this.page.getByTestId('invitation-section');
    await section
      .locator('label')
      .filter({ hasText: new RegExp(`^${language}$`) })
      .click();
    await section
      .getByRole('radio', { name: language, exact: true })
      .and(this.page.locator(':checked'))
      .waitFor();
  }

  /** The link to the follow-up card of plan row `index` (0-based). */
  cardLink(index: number): Locator {
    return this.planRows.nth(index).getByRole('link', { name: /^(Oppfølgingskort|Se kortet)/ });
  }
}
