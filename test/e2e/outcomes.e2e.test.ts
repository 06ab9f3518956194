/**
 * Outcomes (issue 17) in the browser. Two demo patients on lege.haugen's list with no account and
 * no PHQ-9 (Hanne Lid, Emil Strand; no other journey uses them) are recommended and invited; each
 * answers PHQ-9s two weeks apart (the server's clock moved), and the follow-up card's labels must
 * match a hand-worked series at each threshold's boundary:
 *
 *   Hanne 10 → 4:  10 is a case (cut-off 10); −6 is reliable (criterion 6) → improvement, recovery,
 *                  reliable recovery all "Ja".
 *   Hanne 10 → 4 → 16: first 10, last 16: +6 → reliable deterioration "Ja", recovery "Nei" (16 is a
 *                  case), and the crisis resources appear.
 *   Emil  15 → 10: −5 is not reliable → improvement "Nei"; 10 is still a case → recovery "Nei".
 *
 * Then axe (WCAG 2.1 A/AA, serious and critical = 0) on the patient's home page with the outcome
 * and the education card, the GP's "Mine resultater", the practice page and the researcher's
 * "Plattformens resultater".
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GpFollowUpCardPage } from './pages/GpFollowUpCardPage.js';
import { InvitationPage } from './pages/InvitationPage.js';
import { LoginPage } from './pages/LoginPage.js';
import { GpOutcomeSection, GpResultsPage, PlatformResultsPage } from './pages/OutcomePages.js';
import { launchBrowser, newSession, seriousAxeViolations, type Session } from './support/browser.js';
import { apiFromPage, completeModuleViaApi } from './support/program.js';
import { moveServerClockDays, resetServerClock } from './support/server-clock.js';

const GP = 'lege.haugen';
const PASSWORD = 'utfall-grense-2026-lys';

/** PHQ-9 items summing to `total` (item 9 always 0, so no alert is raised). */
function items(total: number): number[] {
  const out = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  let left = total;
  for (let i = 0; i < 8 && left > 0; i++) {
    out[i] = Math.min(3, left);
    left -= out[i]!;
  }
  return out;
}

async function signIn(session: Session, username: string, password?: string): Promise<void> {
  await (await new LoginPage(session.page).open()).loginAs(username, ...(password ? [password] : []));
}

async function answerPhq9(page: Page, patientId: string, total: number): Promise<void> {
  const res = await apiFromPage(page, 'POST', `/api/patients/${patientId}/phq9`, {
    items: items(total),
    difficulty: total > 0 ? 1 : null,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

/** lege.haugen recommends the programme; the patient takes the invitation in their own browser. */
async function enrol(browser: Browser, name: string, username: string): Promise<string> {
  const gp = await newSession(browser);
  const patient = await newSession(browser);
  try {
    await signIn(gp, GP);
    const list = await apiFromPage<{ items: { id: string; displayName: string }[] }>(
      gp.page,
      'GET',
      '/api/gp/patients'
    );
    const id = list.body.items.find((p) => p.displayName === name)!.id;
    const rec = await apiFromPage<{ invitation: { code: string } | null }>(
      gp.page,
      'POST',
      `/api/patients/${id}/recommendation`,
      { guidanceLevel: 'guided', contraindications: [] }
    );
    expect(rec.status, JSON.stringify(rec.body)).toBe(201);
    const invitation = await new InvitationPage(patient.page).open();
    await invitation.redeem(rec.body.invitation!.code, PASSWORD, username);
    expect((await apiFromPage(patient.page, 'POST', `/api/patients/${id}/program/start`)).status).toBe(200);
    return id;
  } finally {
    await gp.close();
    await patient.close();
  }
}

/** The patient answers one PHQ-9 (signed in afresh: the clock may have moved). */
async function patientAnswers(browser: Browser, username: string, id: string, total: number): Promise<void> {
  const s = await newSession(browser);
  try {
    await signIn(s, username, PASSWORD);
    await answerPhq9(s.page, id, total);
  } finally {
    await s.close();
  }
}

/** lege.haugen opens the patient's first follow-up card and reads the outcome labels. */
async function cardLabels(gp: Session, id: string) {
  const plan = await apiFromPage<{ items: { id: string }[] }>(
    gp.page,
    'GET',
    `/api/patients/${id}/follow-ups`
  );
  await gp.page.goto(`/gp/patients/${id}/follow-ups/${plan.body.items[0]!.id}`);
  await new GpFollowUpCardPage(gp.page).waitUntilLoaded();
  const outcome = new GpOutcomeSection(gp.page);
  return { outcome, labels: await outcome.labels() };
}

describe('outcomes: labels at the thresholds, dashboards, accessibility', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the NHS Talking Therapies labels of a hand-worked PHQ-9 series at each boundary', async () => {
    try {
      const hanne = await enrol(browser, 'Hanne Lid', 'hanne.lid');
      const emil = await enrol(browser, 'Emil Strand', 'emil.strand');
      await patientAnswers(browser, 'hanne.lid', hanne, 10);
      await patientAnswers(browser, 'emil.strand', emil, 15);
      moveServerClockDays(15);
      await patientAnswers(browser, 'hanne.lid', hanne, 4);
      await patientAnswers(browser, 'emil.strand', emil, 10);

      const gp = await newSession(browser);
      try {
        await signIn(gp, GP);
        const a = await cardLabels(gp, hanne);
        expect(a.labels).toEqual({
          caseness_at_start: 'Ja',
          reliable_improvement: 'Ja',
          reliable_deterioration: 'Nei',
          recovery: 'Ja',
          reliable_recovery: 'Ja',
        });
        expect(await a.outcome.phq9Line.textContent()).toContain('første 10, siste 4 (endring −6)');
        expect(await a.outcome.provisional.textContent()).toBe('Foreløpig – programmet pågår');
        expect(await a.outcome.crisisNote.count()).toBe(0);

        const b = await cardLabels(gp, emil);
        expect(b.labels).toEqual({
          caseness_at_start: 'Ja',
          reliable_improvement: 'Nei',
          reliable_deterioration: 'Nei',
          recovery: 'Nei',
          reliable_recovery: 'Nei',
        });
        expect(await b.outcome.phq9Line.textContent()).toContain('endring −5');
        expect(await b.outcome.phq9Line.textContent()).toContain('endring på 6 poeng eller mer er pålitelig');
      } finally {
        await gp.close();
      }

      moveServerClockDays(15);
      await patientAnswers(browser, 'hanne.lid', hanne, 16);
      const gp2 = await newSession(browser);
      try {
        await signIn(gp2, GP);
        const c = await cardLabels(gp2, hanne);
        expect(c.labels).toEqual({
          caseness_at_start: 'Ja',
          reliable_improvement: 'Nei',
          reliable_deterioration: 'Ja',
          recovery: 'Nei',
          reliable_recovery: 'Nei',
        });
        // Where a worsening is shown, so are the crisis numbers (as with item 9); nothing is graded.
        await c.outcome.crisisNote.waitFor();
        expect(await c.outcome.crisisNote.textContent()).toContain('113');
      } finally {
        await gp2.close();
      }

      // The patient sees the same, in plain words, with the crisis panel; then after module 1 the
      // education card, which passes axe, and the answer can be deleted.
      const patient = await newSession(browser);
      try {
        await signIn(patient, 'hanne.lid', PASSWORD);
        await completeModuleViaApi(patient.page, hanne, 'm1');
        await patient.page.goto('/patient');
        const mine = patient.page.getByTestId('my-outcome');
        await mine.waitFor();
        expect(await mine.getByTestId('my-outcome-change').textContent()).toContain(
          'mer enn det som kan skyldes tilfeldigheter'
        );
        expect(await mine.textContent()).not.toMatch(/case|kasus/i);
        await mine.getByTestId('crisis-panel').waitFor();
        const card = patient.page.getByTestId('education-card');
        await card.waitFor();
        expect(await seriousAxeViolations(patient.page, 'patient home with outcome and education')).toEqual(
          []
        );
        await card.getByLabel('Universitet eller høgskole').check();
        await card.getByTestId('education-send').click();
        await card.getByText('Kryss av for samtykke').waitFor();
        await card.getByLabel('Jeg samtykker til at svaret brukes slik det står over.').check();
        await card.getByTestId('education-send').click();
        await patient.page.getByTestId('education-thanks').waitFor();
        const answer = patient.page.getByTestId('education-answer');
        expect(await answer.textContent()).toContain('Universitet eller høgskole');
        await answer.getByTestId('education-delete').click();
        await answer.getByText('Svaret er slettet.').waitFor();
        expect(patient.problems).toEqual([]);
      } finally {
        await patient.close();
      }
    } finally {
      resetServerClock();
    }
  }, 240_000);

  it('shows My results, the practice aggregate and the platform results without axe violations', async () => {
    const gp = await newSession(browser);
    try {
      await signIn(gp, GP);
      const results = await new GpResultsPage(gp.page).open();
      expect(await results.comparison.count()).toBe(1);
      expect(await gp.page.getByTestId('own-rates').textContent()).toContain('pålitelig bedring');
      expect(await seriousAxeViolations(gp.page, 'GP results')).toEqual([]);
      // Equity tables folded out, so axe sees them too.
      for (const d of await gp.page.locator('details.outcome-equity').all())
        await d.locator('summary').click();
      expect(await seriousAxeViolations(gp.page, 'GP results, equity open')).toEqual([]);
      await gp.page.getByRole('link', { name: 'Legekontoret' }).click();
      await gp.page.getByTestId('practice-funnel').waitFor();
      expect(await seriousAxeViolations(gp.page, 'practice page with results')).toEqual([]);
      expect(gp.problems).toEqual([]);
    } finally {
      await gp.close();
    }
    const researcher = await newSession(browser);
    try {
      await signIn(researcher, 'forsker');
      const platform = await new PlatformResultsPage(researcher.page).open();
      expect(await platform.funnel.textContent()).toContain('Anbefalt av fastlegen');
      const body = (await researcher.page.textContent('main')) ?? '';
      expect(body).not.toContain('Haugen');
      expect(body).not.toContain('Berg');
      expect(await seriousAxeViolations(researcher.page, 'platform results')).toEqual([]);
      expect(researcher.problems).toEqual([]);
    } finally {
      await researcher.close();
    }
  }, 120_000);
});
