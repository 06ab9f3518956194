/**
 * Issue 16: a patient gets a copy of everything about them (GDPR articles 15 and 20) from their
 * home page: a page to read (accessible, with their scores and notes) and the FHIR Bundle of the
 * same, downloaded with their session and nothing else.
 */
import type { Bundle } from 'fhir/r4.js';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginPage } from './pages/LoginPage.js';
import { PatientHomePage } from './pages/PatientHomePage.js';
import { launchBrowser, newSession, seriousAxeViolations } from './support/browser.js';

describe("the patient's copy of their data", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('opens a readable copy and downloads the same as a FHIR Bundle', async () => {
    const session = await newSession(browser);
    try {
      await (await new LoginPage(session.page).open()).loginAs('pasient07');
      const home = new PatientHomePage(session.page);
      await home.accessLog.waitFor();
      const [copy] = await Promise.all([
        session.page.context().waitForEvent('page'),
        home.readableCopyLink.click(),
      ]);
      await copy.waitForLoadState();
      await copy.getByRole('heading', { level: 1, name: 'Alt GP-DEP har lagret om deg' }).waitFor();
      const scores = copy
        .getByRole('region', { name: 'Svar og poengsum' })
        .or(copy.locator('section', { hasText: 'Svar og poengsum' }));
      expect(await scores.getByRole('row').count()).toBeGreaterThan(1);
      expect(await seriousAxeViolations(copy, 'readable copy of everything')).toEqual([]);
      await copy.close();

      expect(await home.fhirCopyLink.getAttribute('download')).toBe('gp-dep-mine-data.fhir.json');
      const href = (await home.fhirCopyLink.getAttribute('href'))!;
      const response = await session.page.request.get(href);
      expect(response.status()).toBe(200);
      expect(response.headers()['content-type']).toMatch(/^application\/fhir\+json/);
      const bundle = (await response.json()) as Bundle;
      expect(bundle.resourceType).toBe('Bundle');
      const types = new Set(bundle.entry?.map((e) => e.resource?.resourceType));
      for (const type of ['Patient', 'Practitioner', 'CarePlan', 'Observation', 'QuestionnaireResponse']) {
        expect(types, type).toContain(type);
      }
    } finally {
      await session.close();
    }
  });
});
