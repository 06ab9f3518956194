/**
 * Journey (issue 17): guidance between visits. pasient19 (Tone Lie, lege.berg's, mid-program,
 * assigned the guide veileder.lund in the demo) writes a message; two days later lege.berg sees it
 * under unanswered messages on the worklist with its age, answers from there, and pasient19 sees
 * the answer and that it was read. lege.berg comments on an exercise pasient19 shared, starting
 * from a suggested reply; the comment is first on pasient19's home page until opened. Over the
 * API, lege.haugen (no relation) and veileder.lund on a patient not assigned to her get 404;
 * veileder.lund sees pasient19's thread. axe finds no WCAG 2.1 A/AA violation on the new pages.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GpWorklistPage } from './pages/GpWorklistPage.js';
import { LoginPage } from './pages/LoginPage.js';
import { MessagesPage } from './pages/MessagesPage.js';
import { WorkbookPage } from './pages/WorkbookPage.js';
import { launchBrowser, newSession } from './support/browser.js';
import { moveServerClockDays, resetServerClock } from './support/server-clock.js';

const CRISIS_LINKS = ['tel:113', 'tel:116117', 'tel:116123', 'tel:22400040'];
const PASIENT19 = 'Tone Lie';
const PASIENT15 = 'Oda Nygård'; // lege.berg's, not assigned to the guide
const SUBJECT = 'Søvnen denne uka';

/** Every WCAG 2.1 A/AA violation, whatever its impact, printed for the log. */
async function axeViolations(page: Page, label: string) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  if (results.violations.length > 0) {
    console.error(
      `axe violations on ${label}:\n` +
        results.violations
          .map(
            (v) =>
              `- [${v.impact}] ${v.id}: ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`
          )
          .join('\n')
    );
  }
  return results.violations.map((v) => v.id);
}

async function patientIdOf(page: Page): Promise<string> {
  const session = await page.request.get('/api/auth/session');
  return ((await session.json()) as { user: { patientId: string } }).user.patientId;
}

async function gpPatientId(page: Page, name: string): Promise<string> {
  const list = (await (await page.request.get('/api/gp/patients')).json()) as {
    items: { id: string; displayName: string }[];
  };
  return list.items.find((p) => p.displayName === name)!.id;
}

describe('Messages and feedback between visits', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a patient writes, the GP answers from the worklist, the patient sees the answer and the read receipt', async () => {
    const patient = await newSession(browser);
    const gp = await newSession(browser);
    try {
      // Step 1: the message page states the answer time, the limits and the crisis numbers
      await (await new LoginPage(patient.page).open()).loginAs('pasient19');
      const messages = await new MessagesPage(patient.page).open();
      expect(await messages.heading.textContent()).toBe('Meldinger');
      expect(await patient.page.getByTestId('expected-answer').textContent()).toBe(
        'Fastlegen svarer vanligvis innen 2 arbeidsdager.'
      );
      expect(await patient.page.getByTestId('not-urgent').textContent()).toBe(
        'Meldinger blir ikke lest utenom arbeidstiden, og de er ikke for det som haster.'
      );
      expect(await messages.crisisLinks()).toEqual(CRISIS_LINKS);
      expect(await patient.page.getByRole('heading', { name: 'Trenger du hjelp raskt?' }).count()).toBe(1);
      expect(await axeViolations(patient.page, 'patient messages (empty)')).toEqual([]);

      // Step 2: pasient19 writes; the message waits, not read yet
      await messages.startThread(
        SUBJECT,
        'Jeg sover dårlig og orker lite av aktivitetsplanen. Hva gjør jeg?'
      );
      const thread = messages.thread(SUBJECT);
      expect(await thread.getByTestId('read-receipt').textContent()).toBe('Ikke lest ennå');
      expect(await thread.getByTestId('thread-waiting').count()).toBe(1);
      expect(await axeViolations(patient.page, 'patient messages (a thread)')).toEqual([]);

      // Step 3: two days later lege.berg sees it under the worklist's unanswered messages, with its age
      moveServerClockDays(2);
      await (await new LoginPage(gp.page).open()).loginAs('lege.berg');
      const worklist = await new GpWorklistPage(gp.page).open();
      const item = worklist.item(PASIENT19);
      await item.waitFor();
      const reason = item.locator('[data-reason="unanswered_message"]');
      expect(await reason.textContent()).toBe('Ubesvart melding fra pasienten, 2 dager');

      // Step 4: answers from there
      await item.getByRole('link', { name: /^Svar på meldingen/ }).click();
      const staff = new MessagesPage(gp.page);
      await staff.thread(SUBJECT).waitFor();
      expect(await staff.heading.textContent()).toBe(`Meldinger: ${PASIENT19}`);
      expect(await staff.crisisLinks()).toEqual(CRISIS_LINKS);
      expect(await gp.page.getByTestId('not-urgent').count()).toBe(1);
      await staff.reply(
        staff.thread(SUBJECT),
        'Takk for at du skriver. Prøv én liten aktivitet om dagen, så snakker vi om søvnen på neste time.'
      );
      expect(await axeViolations(gp.page, 'GP messages page')).toEqual([]);
      // Answered: the item leaves the worklist
      await worklist.open();
      await worklist.attentionItems.first().waitFor();
      expect(await worklist.item(PASIENT19).locator('[data-reason="unanswered_message"]').count()).toBe(0);

      // Step 5: pasient19 sees the answer and that lege.berg read the message
      await (await new LoginPage(patient.page).open()).loginAs('pasient19');
      await messages.open();
      const answered = messages.thread(SUBJECT);
      const all = messages.messages(answered);
      expect(await all.count()).toBe(2);
      expect(await all.nth(1).getAttribute('data-author-role')).toBe('gp');
      expect(await all.nth(1).textContent()).toContain('Prøv én liten aktivitet om dagen');
      expect(await answered.getByTestId('read-receipt').first().textContent()).toMatch(
        /^Lest \d+\. \S+ \d{4}/
      );
    } finally {
      resetServerClock();
      await patient.close();
      await gp.close();
    }
  });

  it('the GP comments on a shared exercise from a suggested reply; the patient sees it first on the home page', async () => {
    const patient = await newSession(browser);
    const gp = await newSession(browser);
    try {
      // Step 1: pasient19 shares a mood rating from the workbook
      await (await new LoginPage(patient.page).open()).loginAs('pasient19');
      const workbook = await new WorkbookPage(patient.page).open();
      const entry = workbook.entries('mood-rating').first();
      const saved = patient.page.waitForResponse(
        (r) => r.request().method() === 'PUT' && r.url().includes('/workbook/')
      );
      await workbook.shareToggle(entry).check();
      expect((await saved).status()).toBeLessThan(300);
      const patientId = await patientIdOf(patient.page);

      // Step 2: lege.berg clicks a suggested reply into the box, edits it and sends
      await (await new LoginPage(gp.page).open()).loginAs('lege.berg');
      const staff = await new MessagesPage(gp.page).open(`/gp/patients/${patientId}/messages`);
      const shared = staff.sharedEntry('Daglig humørmåling');
      await shared.waitFor();
      const suggestion = shared.getByTestId('suggested-reply').first();
      const suggested = (await suggestion.textContent())!;
      await suggestion.click();
      const box = shared.getByLabel('Tilbakemelding til pasienten');
      expect(await box.inputValue()).toBe(suggested);
      // Nothing is sent by clicking a suggestion.
      expect(await shared.getByTestId('given-feedback').count()).toBe(0);
      await box.fill(`${suggested} Hilsen Ingrid Berg.`);
      await shared.getByRole('button', { name: 'Send tilbakemelding' }).click();
      await shared.getByTestId('given-feedback').first().waitFor();
      expect(await shared.getByTestId('given-feedback').first().textContent()).toContain(
        'Ikke åpnet av pasienten ennå'
      );

      // Step 3: on pasient19's home page the new feedback comes first, until opened
      await patient.page.goto('/patient');
      const fresh = patient.page.getByTestId('new-feedback');
      await fresh.waitFor();
      const firstSection = patient.page.locator('main section').first();
      expect(await firstSection.getAttribute('data-testid')).toBe('new-feedback');
      expect(await axeViolations(patient.page, 'patient home with new feedback')).toEqual([]);
      await fresh.getByRole('button', { name: 'Les tilbakemeldingen' }).click();
      expect(await fresh.getByTestId('feedback-body').textContent()).toBe(`${suggested} Hilsen Ingrid Berg.`);
      await patient.page.reload();
      await patient.page.locator('#next-step-heading').waitFor();
      expect(await patient.page.getByTestId('new-feedback').count()).toBe(0);
      // Next to the entry in the workbook too
      await workbook.open();
      expect(await patient.page.getByTestId('entry-feedback').first().textContent()).toContain(
        'Hilsen Ingrid Berg.'
      );
    } finally {
      await patient.close();
      await gp.close();
    }
  });

  it('gives the thread to the assigned guide, and 404 to a foreign GP and to an unassigned guide', async () => {
    const patient = await newSession(browser);
    const berg = await newSession(browser);
    const haugen = await newSession(browser);
    const guide = await newSession(browser);
    try {
      await (await new LoginPage(patient.page).open()).loginAs('pasient19');
      const patientId = await patientIdOf(patient.page);
      await (await new LoginPage(berg.page).open()).loginAs('lege.berg');
      const otherId = await gpPatientId(berg.page, PASIENT15);

      // A GP with no relation to pasient19 (the practice's other GP, no cover): 404
      await (await new LoginPage(haugen.page).open()).loginAs('lege.haugen');
      expect((await haugen.page.request.get(`/api/patients/${patientId}/threads`)).status()).toBe(404);

      // The guide: her patients, pasient19's thread; a patient not assigned to her: 404
      await (await new LoginPage(guide.page).open()).loginAs('veileder.lund');
      expect((await guide.page.request.get(`/api/patients/${patientId}/threads`)).status()).toBe(200);
      expect((await guide.page.request.get(`/api/patients/${otherId}/threads`)).status()).toBe(404);
      expect((await guide.page.request.get(`/api/patients/${patientId}`)).status()).toBe(404);
      const card = guide.page.getByTestId('guide-patient').filter({ hasText: PASIENT19 });
      await card.waitFor();
      expect(await axeViolations(guide.page, 'guide patient list')).toEqual([]);
      await card.getByRole('link', { name: PASIENT19 }).click();
      const staff = new MessagesPage(guide.page);
      await staff.thread(SUBJECT).waitFor();
      expect(await axeViolations(guide.page, 'guide messages page')).toEqual([]);

      // On the patient page, lege.berg sees the guide assigned
      await berg.page.goto(`/gp/patients/${patientId}`);
      const assigned = berg.page.getByTestId('guide-assignment');
      await assigned.first().waitFor();
      expect(await assigned.first().textContent()).toContain('Marte Lund');
      expect(await axeViolations(berg.page, 'GP patient page with guides')).toEqual([]);
    } finally {
      await patient.close();
      await berg.close();
      await haugen.close();
      await guide.close();
    }
  });
});
