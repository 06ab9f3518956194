/**
 * Breaking the glass in Chromium (issue 16): lege.haugen opens one of lege.berg's patients from
 * the practice page with a reason and a note. Eleven minutes after logging in the server asks for
 * a fresh re-authentication; the step-up dialog takes the password (haugen has no second factor)
 * and the request goes through; the patient's page opens. The section and the dialog pass axe.
 */
import type { Bundle, Patient } from 'fhir/r4.js';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginPage } from './pages/LoginPage.js';
import { DEMO_PASSWORD, launchBrowser, newSession, seriousAxeViolations } from './support/browser.js';
import { moveServerClock, resetServerClock } from './support/server-clock.js';

const FNR = 'urn:oid:2.16.578.1.12.4.1.4.1';

describe('emergency access to a patient of the practice', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('opens a colleague’s patient after a fresh re-authentication, with a reason and a note', async () => {
    // A patient of lege.berg's list whom lege.haugen has no relation to.
    const berg = await newSession(browser);
    const haugen = await newSession(browser);
    try {
      await (await new LoginPage(berg.page).open()).loginAs('lege.berg');
      const list = async (session: typeof berg) =>
        (
          (await (await session.page.request.get('/fhir/R4/Patient?_count=100')).json()) as Bundle<Patient>
        ).entry!.map((e) => e.resource!);
      await (await new LoginPage(haugen.page).open()).loginAs('lege.haugen');
      const haugens = new Set((await list(haugen)).map((p) => p.id));
      const patient = (await list(berg)).find((p) => !haugens.has(p.id))!;
      const number = patient.identifier!.find((i) => i.system === FNR)!.value!;
      const name = `${patient.name![0]!.given!.join(' ')} ${patient.name![0]!.family}`;

      const page = haugen.page;
      await page.goto('/gp/practice');
      const section = page.getByTestId('emergency-access');
      await section.waitFor();
      // The form names what is missing before anything is sent.
      await section.getByRole('button', { name: 'Åpne pasienten med nødtilgang' }).click();
      await section.getByText('Skriv et gyldig fødselsnummer eller d-nummer').waitFor();
      await section.getByText('Velg hvorfor du trenger tilgang.').waitFor();
      expect(await seriousAxeViolations(page, 'practice page with emergency access errors')).toEqual([]);

      await section.getByLabel(/^Pasientens fødselsnummer/).fill(number);
      await section.getByLabel('Pasienten har tatt kontakt med et akutt behov').check();
      await section
        .getByLabel(/^Hva har skjedd\?/)
        .fill('Ringte legekontoret i krise; fastlegen er på kurs.');
      moveServerClock(11 * 60_000);
      await section.getByRole('button', { name: 'Åpne pasienten med nødtilgang' }).click();
      const dialog = page.getByTestId('step-up-dialog');
      await dialog.getByRole('heading', { name: 'Bekreft at det er deg' }).waitFor();
      expect(await seriousAxeViolations(page, 'step-up dialog')).toEqual([]);
      await dialog.getByLabel('Passord', { exact: true }).fill(DEMO_PASSWORD);
      await dialog.getByRole('button', { name: 'Bekreft', exact: true }).click();
      await page.waitForURL(new RegExp(`/gp/patients/${patient.id}$`));
      await page.getByRole('heading', { level: 1, name }).waitFor();
    } finally {
      resetServerClock();
      await berg.context.close();
      await haugen.context.close();
    }
  });
});
