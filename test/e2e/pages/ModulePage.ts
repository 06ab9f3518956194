import type { Locator, Page } from 'playwright-core';
import { AppHeader } from './AppHeader.js';
import { Phq9FormSection } from './Phq9FormSection.js';

/**
 * A module page, /patient/program/:moduleId (Norwegian UI): lesson pages, exercises, quiz,
 * homework and summary, one step at a time; or first the PHQ-9 when one is due.
 */
export class ModulePage {
  readonly header: AppHeader;
  readonly heading: Locator;
  readonly stepHeading: Locator;
  readonly lessonProgress: Locator;
  readonly pager: Locator;
  readonly nextLink: Locator;
  readonly previousLink: Locator;
  readonly sections: Locator;
  readonly completed: Locator;
  readonly locked: Locator;
  /** The week between modules: when this one opens. */
  readonly waiting: Locator;
  readonly phq9Gate: Locator;
  readonly phq9: Phq9FormSection;
  readonly continueToModule: Locator;
  readonly summary: Locator;

  constructor(readonly page: Page) {
    this.header = new AppHeader(page);
    this.heading = page.getByRole('heading', { level: 1 });
    this.stepHeading = page.locator('#step-heading');
    this.lessonProgress = page.getByTestId('lesson-progress');
    this.pager = page.getByRole('navigation', { name: 'Bla i modulen' });
    this.nextLink = this.pager.getByRole('link', { name: /^Neste/ });
    this.previousLink = this.pager.getByRole('link', { name: /^Forrige/ });
    this.sections = page.getByRole('navigation', { name: 'Deler av modulen' });
    this.completed = page.getByTestId('module-completed');
    this.locked = page.getByTestId('module-locked');
    this.waiting = page.getByTestId('module-waiting');
    this.phq9Gate = page.getByTestId('phq9-gate');
    this.phq9 = new Phq9FormSection(page);
    this.continueToModule = this.phq9Gate.getByRole('button', { name: /^Gå videre til modul/ });
    this.summary = page.getByTestId('module-summary');
  }

  /** Opens a module, optionally at a step ("lesson-2", "exercises", "quiz", "homework", "summary"). */
  async open(moduleId: string, step?: string): Promise<this> {
    await this.page.goto(`/patient/program/${moduleId}${step ? `?step=${step}` : ''}`);
    await this.heading.waitFor();
    await this.stepHeading.or(this.phq9Gate).or(this.locked).or(this.waiting).first().waitFor();
    return this;
  }

  /** The step in the URL (`lesson-3`, `quiz`, …). */
  currentStep(): string | null {
    return new URL(this.page.url()).searchParams.get('step');
  }

  async goToSection(
    name: 'Leksjoner' | 'Øvelser' | 'Quiz' | 'Hjemmeoppgave' | 'Oppsummering'
  ): Promise<void> {
    await this.sections.getByRole('link', { name: new RegExp(`^\\d? ?${name}`) }).click();
    await this.stepHeading.waitFor();
  }

  /** Whether keyboard focus is on the step heading (where it goes after moving between pages). */
  async focusIsOnStepHeading(): Promise<boolean> {
    return this.page.evaluate(() => document.activeElement?.id === 'step-heading');
  }

  // ---- Exercises ---------------------------------------------------------------------------

  exercise(exerciseId: string): Locator {
    return this.page.getByTestId(`exercise-${exerciseId}`);
  }

  /** The open (editable) entry of an exercise: the newest one. */
  openEntry(exerciseId: string): Locator {
    return this.exercise(exerciseId).locator('details[open]').first();
  }

  saveStatus(exerciseId: string): Locator {
    return this.openEntry(exerciseId).getByTestId('save-status');
  }

  /** Waits until the open entry of the exercise says "Lagret". */
  async waitUntilSaved(exerciseId: string, timeout = 15_000): Promise<void> {
    await this.saveStatus(exerciseId)
      .filter({ hasText: /Lagret/ })
      .waitFor({ timeout });
  }

  field(exerciseId: string, label: string | RegExp): Locator {
    return this.openEntry(exerciseId).getByLabel(label);
  }

  /** Picks a number on a 0-10 scale shown as radio buttons. */
  async pickScale(exerciseId: string, legend: string | RegExp, value: number): Promise<void> {
    await this.openEntry(exerciseId)
      .getByRole('group', { name: legend })
      .getByRole('radio', { name: String(value), exact: true })
      .check();
  }

  shareToggle(exerciseId: string): Locator {
    return this.openEntry(exerciseId).getByRole('checkbox', { name: /Del med fastlegen/ });
  }

  // ---- Quiz --------------------------------------------------------------------------------

  question(text: string): Locator {
    return this.page.getByRole('form', { name: text });
  }

  /** Chooses an option and checks it; returns the feedback box. */
  async answerQuestion(text: string, optionLabel: string): Promise<Locator> {
    const form = this.question(text);
    await form.getByRole('radio', { name: optionLabel, exact: true }).check();
    await form.getByRole('button', { name: /^Sjekk svaret/ }).click();
    const feedback = form.getByTestId('quiz-feedback');
    await feedback.waitFor();
    return feedback;
  }
}
