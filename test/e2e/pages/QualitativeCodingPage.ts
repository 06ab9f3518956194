import type { Locator, Page } from 'playwright-core';

/** A transcript being coded (pages/research/qualitative/CodingPage.tsx). */
export class QualitativeCodingPage {
  readonly heading: Locator;
  readonly turns: Locator;
  readonly codeChoice: Locator;
  readonly applyCode: Locator;
  readonly newCode: Locator;
  readonly addCode: Locator;
  readonly coded: Locator;
  readonly selectionNow: Locator;
  readonly unitAnalysis: Locator;
  readonly unitGroup: Locator;
  readonly addUnit: Locator;
  readonly currentTurn: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.turns = page.locator('.qual-turns > p');
    this.codeChoice = page.getByLabel('Kode', { exact: true });
    this.applyCode = page.getByRole('button', { name: 'Bruk koden' });
    this.newCode = page.getByLabel('Ny kode');
    this.addCode = page.getByRole('button', { name: 'Legg til koden' });
    this.coded = page.locator('.qual-turns mark.qual-coded');
    this.selectionNow = page.locator('#selection-now');
    this.unitAnalysis = page.getByLabel('Meningsenhet i analysen');
    this.unitGroup = page.getByLabel('Kodegruppe', { exact: true });
    this.addUnit = page.getByRole('button', { name: 'Legg til som meningsenhet' });
    this.currentTurn = page.locator('.qual-turns p[data-current="true"]');
  }

  turn(index: number): Locator {
    return this.page.locator(`#turn-${index}`);
  }

  async waitForText(): Promise<void> {
    await this.turns.first().waitFor();
  }

  /** The keyboard way: focus the turn, Enter selects it. */
  async selectTurnWithKeyboard(index: number): Promise<void> {
    await this.turn(0).focus();
    for (let i = 0; i < index; i++) await this.page.keyboard.press('ArrowDown');
    await this.page.keyboard.press('Enter');
    await this.selectionNow.filter({ hasText: 'Markert:' }).waitFor();
  }

  /** The mouse way, as a drag over the turn's text would leave it: the browser's selection. */
  async selectTurnText(index: number): Promise<void> {
    await this.turn(index).locator('[data-turn-start]').selectText();
    await this.selectionNow.filter({ hasText: 'Markert:' }).waitFor();
  }

  async createCode(name: string): Promise<void> {
    await this.newCode.fill(name);
    await this.addCode.click();
    await this.page.locator('#code-choice option', { hasText: name }).waitFor({ state: 'attached' });
  }
}
