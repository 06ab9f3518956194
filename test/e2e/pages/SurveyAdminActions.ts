import type { Locator, Page } from 'playwright-core';

/** A file for an `<input type="file">`, made in the test (no file on disk). */
export function jsonFile(name: string, value: unknown) {
  return { name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(value)) };
}

export function csvFile(name: string, text: string) {
  return { name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') };
}

/** The "New survey" form on the research page (/research), in bokmål. */
export class SurveyAdminCreateForm {
  readonly form: Locator;
  readonly problems: Locator;
  readonly errorSummary: Locator;

  constructor(readonly page: Page) {
    this.form = page.getByRole('form', { name: 'Ny undersøkelse' });
    this.problems = page.getByTestId('questionnaire-problems');
    this.errorSummary = page.getByTestId('create-error-summary');
  }

  async open(): Promise<this> {
    await this.page.goto('/research');
    await this.form.waitFor();
    return this;
  }

  async fromFile(file: ReturnType<typeof jsonFile>, kind: 'identified' | 'anonymous', title: string) {
    await this.form.getByLabel(/Importer et spørreskjema/).check();
    await this.form.getByLabel('JSON-fil med spørreskjemaet').setInputFiles(file);
    await this.form.getByLabel(kind === 'identified' ? 'Med invitasjon' : 'Anonym').check();
    await this.form.getByLabel('Tittel på undersøkelsen').fill(title);
    await this.submit();
  }

  async fromStudy(study: string, title: string) {
    await this.form.getByLabel(/Et av studiens tre spørreskjemaer/).check();
    await this.form.getByLabel('Studiens spørreskjema').selectOption({ label: study });
    await this.form.getByLabel('Tittel på undersøkelsen').fill(title);
    await this.submit();
  }

  async submit() {
    await this.form.getByRole('button', { name: 'Lag undersøkelsen' }).click();
  }
}

/** The actions on one survey's page (/research/surveys/:id) beyond monitoring, in bokmål. */
export class SurveyAdminActions {
  readonly heading: Locator;
  readonly status: Locator;
  readonly frameReport: Locator;
  readonly invitationsResult: Locator;
  readonly practiceLinks: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.status = page.getByTestId('survey-status');
    this.frameReport = page.getByTestId('frame-report');
    this.invitationsResult = page.getByTestId('invitations-result');
    this.practiceLinks = page.getByTestId('practice-links');
  }

  surveyIdFromUrl(): string {
    const match = /\/research\/surveys\/([0-9a-f-]{36})/.exec(this.page.url());
    if (!match?.[1]) throw new Error(`not on a survey page: ${this.page.url()}`);
    return match[1];
  }

  async checkFrame(file: ReturnType<typeof csvFile>) {
    await this.page.getByLabel('CSV-fil med utvalget').setInputFiles(file);
    await this.frameReport.waitFor();
  }

  rejects(): Locator {
    return this.frameReport.getByRole('table');
  }

  async confirmFrame(rows: number) {
    await this.page.getByRole('button', { name: `Importer ${rows} ${rows === 1 ? 'rad' : 'rader'}` }).click();
    await this.frameReport.getByText(`${rows} rader importert.`).waitFor();
  }

  async openSurvey() {
    await this.page.getByRole('button', { name: 'Åpne undersøkelsen' }).click();
    await this.status.getByText('Åpen').waitFor();
  }

  async invite(wave: string) {
    const field = this.page.getByLabel('Runde', { exact: true });
    await field.fill(wave);
    await this.page.getByRole('button', { name: `Send invitasjoner for runden ${wave}` }).click();
    await this.invitationsResult.getByText(new RegExp(`runden ${wave}`)).waitFor();
  }

  async createPracticeLink(practiceName: string, wave: string) {
    await this.page.getByLabel('Legekontor', { exact: true }).selectOption({ label: practiceName });
    await this.page.getByLabel('Runde', { exact: true }).fill(wave);
    await this.page.getByRole('button', { name: 'Lag lenke' }).click();
    await this.practiceLinks.getByRole('rowheader', { name: practiceName }).waitFor();
  }
}

/** The printable poster of a practice link. */
export class SurveyAdminPosterPage {
  readonly poster: Locator;
  readonly qr: Locator;
  readonly address: Locator;

  constructor(readonly page: Page) {
    this.poster = page.getByTestId('poster');
    this.qr = page.getByTestId('poster-qr');
    this.address = page.getByTestId('poster-address');
  }

  /**
   * The QR code as the browser draws it: the SVG painted onto a canvas at 8 px a module, its
   * pixels (RGBA) handed back for a decoder in the test.
   */
  async qrPixels(): Promise<{ data: number[]; width: number; height: number }> {
    return this.qr.evaluate(async (svg) => {
      const box = (svg as SVGSVGElement).viewBox.baseVal;
      const side = box.width * 8;
      const markup = new XMLSerializer().serializeToString(svg);
      const image = new Image(side, side);
      image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(markup)}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = side;
      canvas.height = side;
      const context = canvas.getContext('2d')!;
      context.imageSmoothingEnabled = false;
      context.drawImage(image, 0, 0, side, side);
      return { data: Array.from(context.getImageData(0, 0, side, side).data), width: side, height: side };
    });
  }
}
