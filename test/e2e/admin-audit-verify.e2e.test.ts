/**
 * The admin checks the audit log: the page shows the whole verdict the server reached (the chain
 * is whole, and the signed checkpoints outside the database were checked), in Norwegian and in
 * English, with the next step, and with no serious axe violations.
 *
 * The suite's server is shared by every browser test, so nothing is tampered with here: the
 * failures (rows cut off the end, the chain rewritten, checkpoints out of order or forged) are
 * covered against a real database in src/server/audit/audit-anchor.int.test.ts, and their words
 * on the page in src/web/pages/admin/audit-verdict.test.ts.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminUsersPage } from './pages/AdminUsersPage.js';
import { LoginPage } from './pages/LoginPage.js';
import { launchBrowser, newSession, seriousAxeViolations } from './support/browser.js';

describe('The admin verifies the audit log', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('sees the chain intact and the checkpoints checked, in both languages', async () => {
    const session = await newSession(browser);
    try {
      await (await new LoginPage(session.page).open()).loginAs('admin');
      const admin = new AdminUsersPage(session.page);
      await admin.usersTable.waitFor();

      const answer = await admin.verifyAudit();
      // The server writes a checkpoint at start, so a fresh server has at least one.
      expect(answer).toMatchObject({ ok: true, brokenAtSeq: null, problem: null });
      expect(answer.checkpoints).toBeGreaterThanOrEqual(1);
      expect(answer.eventCount).toBeGreaterThan(0);

      expect(await admin.auditSeverity()).toBe('success');
      expect(await admin.auditResult.getByRole('heading', { level: 3 }).textContent()).toBe(
        'Revisjonsloggen er intakt.'
      );
      expect(await admin.auditChain.textContent()).toBe(
        `Kjeden er hel: alle ${answer.eventCount} hendelsene i loggen henger sammen og er uendret.`
      );
      expect(await admin.auditCheckpoints.textContent()).toContain(
        answer.checkpoints === 1
          ? '1 signert sjekkpunkt lagret utenfor databasen er kontrollert'
          : `${answer.checkpoints} signerte sjekkpunkter lagret utenfor databasen er kontrollert`
      );
      expect(await admin.auditProblem.count()).toBe(0);
      expect(await admin.auditNextStep.textContent()).toBe(
        'Hva du bør gjøre: Ingenting nå; kontroller loggen igjen ved neste faste gjennomgang.'
      );
      expect(await seriousAxeViolations(session.page, 'admin audit verdict (nb)')).toEqual([]);

      // The verdict on the page follows the language.
      await admin.header.switchToEnglish();
      await expect.poll(() => admin.auditChain.textContent()).toContain('The chain is whole');
      expect(await admin.auditResult.textContent()).toContain('The audit log is intact.');
      expect(await admin.auditCheckpoints.textContent()).toContain('kept outside the database');
      expect(await admin.auditNextStep.textContent()).toContain('What to do:');
      expect(await seriousAxeViolations(session.page, 'admin audit verdict (en)')).toEqual([]);
      await admin.header.switchToNorwegian();

      expect(session.problems).toEqual([]);
    } finally {
      await session.close();
    }
  });
});
