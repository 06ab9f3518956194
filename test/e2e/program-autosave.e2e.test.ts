/**
 * Journey 8: workbook autosave survives losing the connection. pasient14 types in an exercise,
 * goes offline and types more (the page says "not saved yet – trying again" and keeps the text),
 * comes back online (the page says "saved"), and after a reload the whole text is there exactly
 * once, in one entry. Every save carries a revision that never goes down.
 */
import type { Browser, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginPage } from './pages/LoginPage.js';
import { ModulePage } from './pages/ModulePage.js';
import { PatientHomePage } from './pages/PatientHomePage.js';
import { launchBrowser, newSession } from './support/browser.js';
import { apiFromPage, patientIdOf } from './support/program.js';

const FIRST = 'Møtet på jobben gikk dårlig.';
const SECOND = ' Etterpå satt jeg alene i bilen';
const THIRD = ' og grublet i en halvtime.';
const SITUATION = /^Situasjonen:/;

describe('Workbook autosave', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('keeps typing through a lost connection and stores the text exactly once', async () => {
    const session = await newSession(browser);
    const { page, context } = session;
    try {
      // Step 1: pasient14 starts the program and opens the exercises of module 1
      await (await new LoginPage(page).open()).loginAs('pasient14');
      const home = new PatientHomePage(page);
      await home.startProgramButton.waitFor();
      await home.startProgram();
      const patientId = await patientIdOf(page);
      const module = await new ModulePage(page).open('m1', 'exercises');
      const field = module.field('five-part-model', SITUATION);
      await field.waitFor();

      const saves: { revision: number; situation: unknown }[] = [];
      page.on('request', (request: Request) => {
        if (request.method() === 'PUT' && request.url().includes('/workbook/')) {
          const body = request.postDataJSON() as { revision: number; answers: Record<string, unknown> };
          saves.push({ revision: body.revision, situation: body.answers['situation'] });
        }
      });

      // Step 2: type, wait for "Lagret"
      await field.click();
      await page.keyboard.type(FIRST);
      await module.waitUntilSaved('five-part-model');

      // Step 3: offline, type more → "Ikke lagret ennå – prøver igjen", the text stays
      await context.setOffline(true);
      await page.keyboard.type(SECOND);
      await module
        .saveStatus('five-part-model')
        .filter({ hasText: 'Ikke lagret ennå – prøver igjen' })
        .waitFor();
      await page.keyboard.type(THIRD);
      await page.waitForTimeout(1_200);
      expect(await module.saveStatus('five-part-model').textContent()).toContain('Ikke lagret ennå');
      expect(await field.inputValue()).toBe(FIRST + SECOND + THIRD);

      // Step 4: online again → "Lagret"
      await context.setOffline(false);
      await module.waitUntilSaved('five-part-model', 30_000);

      // Revisions never go down; the last save carried the whole text
      const revisions = saves.map((s) => s.revision);
      expect(revisions.length).toBeGreaterThanOrEqual(2);
      expect([...revisions].sort((a, b) => a - b)).toEqual(revisions);
      expect(saves.at(-1)?.situation).toBe(FIRST + SECOND + THIRD);

      // Step 5: reload → the text is there exactly once, in one entry
      await page.reload();
      await module.field('five-part-model', SITUATION).waitFor();
      expect(await module.field('five-part-model', SITUATION).inputValue()).toBe(FIRST + SECOND + THIRD);
      expect(await module.exercise('five-part-model').locator('details').count()).toBe(1);
      const stored = await apiFromPage<{ items: { exerciseId: string; answers: Record<string, unknown> }[] }>(
        page,
        'GET',
        `/api/patients/${patientId}/workbook`
      );
      const entries = stored.body.items.filter((e) => e.exerciseId === 'five-part-model');
      expect(entries).toHaveLength(1);
      expect(entries[0]!.answers['situation']).toBe(FIRST + SECOND + THIRD);
      expect(session.problems).toEqual([]);
    } finally {
      await session.close();
    }
  });
});
