import type { Locator, Page } from 'playwright-core';
import { AppHeader } from './AppHeader.js';
import { Phq9FormSection } from './Phq9FormSection.js';

/**
 * The patient's home page (Norwegian UI): the next step, program status, the next talk with the
 * GP, reminders, the mood chart, the PHQ-9 form (see Phq9FormSection), history and access log.
 */
export class PatientHomePage extends Phq9FormSection {
  readonly header: AppHeader;
  readonly heading: Locator;
  readonly history: Locator;
  readonly accessLog: Locator;
  readonly nextStep: Locator;
  readonly startProgramButton: Locator;
  readonly followUp: Locator;
  readonly moodChart: Locator;
  readonly chartTableToggle: Locator;
  readonly chartPhq9Table: Locator;
  readonly chartMoodTable: Locator;
  /** The patient's copy of everything about them: a page to read, and the FHIR Bundle. */
  readonly readableCopyLink: Locator;
  readonly fhirCopyLink: Locator;

  constructor(page: Page) {
    super(page);
    this.header = new AppHeader(page);
    this.heading = page.getByRole('heading', { level: 1 });
    this.history = page.getByRole('table', { name: /Utfylte PHQ-9-skjemaer/ });
    this.accessLog = page.getByRole('region', { name: 'Hvem har sett dataene mine' });
    this.nextStep = page.getByTestId('next-step');
    this.startProgramButton = this.nextStep.getByRole('button', { name: 'Start programmet' });
    this.followUp = page.getByRole('region', { name: 'Neste samtale med fastlegen' });
    this.moodChart = page.getByRole('figure', { name: 'PHQ-9 og daglig humør over tid' });
    this.chartTableToggle = this.moodChart.getByRole('button', { name: /tabell/ });
    this.chartPhq9Table = page.getByRole('table', { name: /PHQ-9 over tid/ });
    this.chartMoodTable = page.getByRole('table', { name: /Daglig humør over tid/ });
    this.readableCopyLink = page.getByRole('link', { name: /Alt om meg, som side å lese/ });
    this.fhirCopyLink = page.getByRole('link', { name: 'Alt om meg, som FHIR-fil (JSON)' });
  }

  async open(): Promise<this> {
    await this.page.goto('/patient');
    await this.heading.waitFor();
    return this;
  }

  /** The heading of the next-step card ("Start nettbehandlingen", "Svar på GAD-7 før du begynner", …). */
  async nextStepTitle(): Promise<string> {
    return ((await this.nextStep.getByRole('heading').first().textContent()) ?? '').trim();
  }

  /** Starts the program from the next-step card and waits until the card has moved on. */
  async startProgram(): Promise<void> {
    await this.startProgramButton.click();
    await this.startProgramButton.waitFor({ state: 'detached' });
  }
}
