/**
 * Journey: the worklist and absence cover. lege.berg's worklist puts pasient03's positive item 9
 * first, says why in words (the answer, its meaning and when) and shows the crisis numbers beside
 * it. lege.berg sets an absence covered by lege.haugen: lege.haugen's worklist then shows
 * pasient03's urgent item, marked as covering, and the practice page lets lege.haugen take over a
 * follow-up of lege.berg's patient. Ending the absence removes the covered items again.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GpWorklistPage } from './pages/GpWorklistPage.js';
import { LoginPage } from './pages/LoginPage.js';
import { launchBrowser, newSession } from './support/browser.js';

const CRISIS_LINKS = ['tel:113', 'tel:116117', 'tel:116123', 'tel:22400040'];
const PASIENT03 = 'Camilla Fjeld'; // item 9 = 1, on lege.berg's list (pasient23, lege.haugen's, has the same name)
const HAUGEN = 'Anders Haugen (lege, demo)';

describe('GP worklist and absence cover', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the item-9 answer first with its reason and crisis numbers; cover follows an absence', async () => {
    const berg = await newSession(browser);
    const haugen = await newSession(browser);
    try {
      // Step 1: lege.berg logs in and lands on the worklist
      await (await new LoginPage(berg.page).open()).loginAs('lege.berg');
      const worklist = new GpWorklistPage(berg.page);
      await worklist.heading.waitFor();
      await worklist.attentionItems.first().waitFor();

      // Step 2: the first item is pasient03's item-9 answer, with the reason in words and the crisis numbers
      const first = worklist.attentionItems.first();
      expect(await first.getAttribute('data-reason')).toBe('item9_positive');
      expect(await first.getByRole('link').first().textContent()).toBe(PASIENT03);
      expect(await worklist.itemText(first)).toMatch(
        /Spørsmål 9 besvart med 1 \(flere dager\) \d+\. \S+ \d{4}, \d{2}:\d{2}/
      );
      expect(await first.getByText('Haster', { exact: true }).count()).toBe(1);
      expect(await worklist.crisisLinks(first)).toEqual(CRISIS_LINKS);
      // Other items also say why, in words
      const reasons = await worklist.attention.getByTestId('attention-reason').allTextContents();
      expect(reasons.length).toBeGreaterThan(1);
      for (const reason of reasons) expect(reason).toMatch(/\S+ \S+/);
      // Nothing covered yet on lege.berg's own list
      expect(await worklist.attention.locator('[data-covering="true"]').count()).toBe(0);

      // Step 3: lege.berg is away for a week, covered by lege.haugen
      await worklist.setAbsence(HAUGEN);
      expect(await worklist.absences.first().textContent()).toContain(`Dekkes av ${HAUGEN}`);

      // Step 4: lege.haugen's worklist shows pasient03's urgent item, marked as covering
      await (await new LoginPage(haugen.page).open()).loginAs('lege.haugen');
      const cover = new GpWorklistPage(haugen.page);
      await cover.attentionItems.first().waitFor();
      const covered = cover.item(PASIENT03, true);
      await covered.waitFor();
      expect(await covered.getAttribute('data-reason')).toBe('item9_positive');
      expect(await covered.getByTestId('covering-tag').textContent()).toBe('Du dekker for kollega');
      expect(await cover.crisisLinks(covered)).toEqual(CRISIS_LINKS);
      // lege.haugen's own pasient23 (same name) is there too, not marked as covering
      expect(await cover.item(PASIENT03, false).getAttribute('data-reason')).toBe('item9_positive');

      // Step 5: the practice page shows the absence, and lege.haugen takes over a covered follow-up
      await haugen.page.goto('/gp/practice');
      const gpRow = haugen.page.getByTestId('practice-gps').getByRole('row', { name: /Ingrid Berg/ });
      await gpRow.waitFor();
      expect(await gpRow.textContent()).toContain(`Dekkes av ${HAUGEN}`);
      const coveringItem = haugen.page.getByTestId('covering-item').filter({ hasText: 'Guro Dahl' });
      await coveringItem.getByRole('button', { name: /^Overta denne oppfølgingen/ }).click();
      await coveringItem.getByText('Hos deg', { exact: true }).waitFor();
      expect(await coveringItem.textContent()).toContain(`Hos ${HAUGEN}`);

      // Step 6: lege.berg ends the absence; the covered items leave lege.haugen's worklist
      await worklist.endAbsence();
      await cover.open();
      await cover.attentionItems.first().waitFor();
      expect(await cover.attention.locator('[data-covering="true"]').count()).toBe(0);
      expect(await cover.item(PASIENT03, false).count()).toBe(1);

      expect(berg.problems).toEqual([]);
      expect(haugen.problems).toEqual([]);
    } finally {
      await berg.close();
      await haugen.close();
    }
  });
});
