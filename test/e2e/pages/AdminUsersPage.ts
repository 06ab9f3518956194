import type { Locator, Page } from 'playwright-core';
import { AppHeader } from './AppHeader.js';

export class AdminUsersPage {
  readonly header: AppHeader;
  readonly heading: Locator;
  readonly usersTable: Locator;
  readonly createForm: Locator;
  readonly message: Locator;
  readonly verifyButton: Locator;
  readonly auditResult: Locator;
  /** The parts of the audit verdict: the chain, the checkpoints, the server's words, what next. */
  readonly auditChain: Locator;
  readonly auditCheckpoints: Locator;
  readonly auditProblem: Locator;
  readonly auditNextStep: Locator;

  constructor(readonly page: Page) {
    this.header = new AppHeader(page);
    this.heading = page.getByRole('heading', { level: 1 });
    this.usersTable = page.getByRole('table', { name: 'Alle brukere' });
    this.createForm = page.getByRole('form', { name: 'Opprett bruker' });
    this.message = page.getByTestId('admin-message');
    this.verifyButton = page.getByRole('button', { name: 'Kontroller revisjonsloggen' });
    this.auditResult = page.getByTestId('audit-result');
    this.auditChain = this.auditResult.getByTestId('audit-chain');
    this.auditCheckpoints = this.auditResult.getByTestId('audit-checkpoints');
    this.auditProblem = this.auditResult.getByTestId('audit-problem');
    this.auditNextStep = this.auditResult.getByTestId('audit-next-step');
  }

  async open(): Promise<this> {
    await this.page.goto('/admin');
    await this.usersTable.waitFor();
    return this;
  }

  async createUser(user: {
    username: string;
    displayName: string;
    role: 'Fastlege' | 'Forsker' | 'Administrator';
    practice?: string;
    password: string;
  }): Promise<void> {
    await this.createForm.getByLabel('Brukernavn').fill(user.username);
    await this.createForm.getByLabel('Navn', { exact: true }).fill(user.displayName);
    await this.createForm.getByLabel('Rolle').selectOption({ label: user.role });
    if (user.practice) await this.createForm.getByLabel('Legekontor').selectOption({ label: user.practice });
    await this.createForm.getByLabel('Startpassord').fill(user.password);
    await this.createForm.getByRole('button', { name: 'Opprett bruker' }).click();
  }

  /**
   * Runs the audit verification and waits for its verdict (a fresh one, not a previous result).
   * Returns the server's answer as the page received it.
   */
  async verifyAudit(): Promise<{
    ok: boolean;
    eventCount: number;
    brokenAtSeq: number | null;
    checkpoints: number;
    problem: string | null;
  }> {
    const [response] = await Promise.all([
      this.page.waitForResponse(
        (r) => r.url().endsWith('/api/admin/audit/verify') && r.request().method() === 'GET'
      ),
      this.verifyButton.click(),
    ]);
    await this.auditResult.waitFor();
    return response.json();
  }

  /** The verdict's Alert colour: 'success', 'warning' or 'danger'. */
  auditSeverity(): Promise<string | null> {
    return this.auditResult.getAttribute('data-color');
  }

  row(username: string): Locator {
    return this.usersTable
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name: username, exact: true }) });
  }
}
