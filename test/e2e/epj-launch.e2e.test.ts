/**
 * Issue 16 in Chromium: a GP opens the follow-up card from inside their record system (EPJ),
 * already on the right patient, with no login of its own; writes the note; sends it into the
 * record with one press. The server runs as `npm start` runs it, configured with SMART_EPJS
 * against the test EPJ (test/support/test-epj.ts: oidc-provider as the EPJ's authorisation server
 * and a FHIR endpoint); the browser follows every redirect itself. First the same GP launches on a
 * colleague's patient and lands on the login page with the reason in words.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Appointment, Bundle, Patient, Practitioner } from 'fhir/r4.js';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEpj, type TestEpj } from '../support/test-epj.js';
import { freePort, loginOverHttp, startServer, type ServerProcess } from '../support/server-process.js';
import { GpFollowUpCardPage } from './pages/GpFollowUpCardPage.js';
import { launchBrowser, seriousAxeViolations } from './support/browser.js';

const WEB_ROOT = fileURLToPath(new URL('../../dist/web', import.meta.url));
const FNR = 'urn:oid:2.16.578.1.12.4.1.4.1';
const HPR = 'urn:oid:2.16.578.1.12.4.1.4.4';

describe('launching the follow-up card from the GP’s record system', () => {
  let browser: Browser;
  let epj: TestEpj;
  let server: ServerProcess;

  beforeAll(async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    epj = await startTestEpj({ redirectUri: `${url}/api/smart/callback` });
    server = await startServer(
      {
        DATA_DIR: mkdtempSync(join(tmpdir(), 'gpdep-epj-')),
        WEB_ROOT,
        PUBLIC_URL: url,
        SMART_EPJS: JSON.stringify([
          { fhirBaseUrl: epj.fhirBase, clientId: epj.clientId, clientSecret: epj.clientSecret },
        ]),
        SMART_ALLOW_INSECURE_HTTP: '1',
      },
      { port }
    );
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    server?.child.kill('SIGTERM');
    await server?.exited;
    await epj?.close();
  });

  it('opens the card on the EPJ’s patient as the EPJ’s GP and writes the note into the record', async () => {
    // What the EPJ knows: the GP's HPR number and the patients' fødselsnummer (from the FHIR API).
    const gp = await loginOverHttp(server.url, 'lege.berg');
    const fhir = async <T>(path: string) =>
      (await (await fetch(`${server.url}/fhir/R4/${path}`, { headers: { cookie: gp.cookie } })).json()) as T;
    const me = (await (
      await fetch(`${server.url}/api/auth/session`, { headers: { cookie: gp.cookie } })
    ).json()) as {
      user: { id: string };
    };
    const practitioner = await fhir<Practitioner>(`Practitioner/${me.user.id}`);
    const booked = await fhir<Bundle<Appointment>>('Appointment?status=booked&_sort=date&_count=100');
    const patientRef = booked.entry!.map(
      (e) =>
        e.resource!.participant.find((p) => p.actor?.reference?.startsWith('Patient/'))!.actor!.reference!
    )[0]!;
    const patientId = patientRef.split('/')[1]!;
    const patient = await fhir<Patient>(`Patient/${patientId}`);
    epj.practitioners.set('berg', {
      id: 'berg',
      name: { family: 'Berg', given: 'Lege' },
      hprNumber: practitioner.identifier!.find((i) => i.system === HPR)!.value!,
    });
    epj.patients.set('p-1', {
      id: 'p-1',
      name: { family: 'Pasient', given: 'En' },
      personNumber: patient.identifier!.find((i) => i.system === FNR)!.value!,
    });
    // A patient of the colleague's list whom the platform does not give lege.berg: the EPJ may
    // have them open, but being open there grants nothing.
    const colleague = await loginOverHttp(server.url, 'lege.haugen');
    const listOf = async (cookie: string) =>
      (
        (await (
          await fetch(`${server.url}/fhir/R4/Patient?_count=100`, { headers: { cookie } })
        ).json()) as Bundle<Patient>
      ).entry!.map((e) => e.resource!);
    const bergs = new Set((await listOf(gp.cookie)).map((p) => p.id));
    const foreign = (await listOf(colleague.cookie)).find((p) => !bergs.has(p.id))!;
    expect(foreign).toBeDefined();

    const context = await browser.newContext({ baseURL: server.url, locale: 'nb-NO' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const epjPage = (patientInEpj: string) =>
      `${epj.issuer}/epj/patients/${patientInEpj}?as=berg&app=${encodeURIComponent(`${server.url}/api/smart/launch`)}`;
    try {
      epj.patients.set('p-2', {
        id: 'p-2',
        name: { family: 'Annen', given: 'Pasient' },
        personNumber: foreign.identifier!.find((i) => i.system === FNR)!.value!,
      });
      await page.goto(epjPage('p-2'));
      await page.getByRole('link', { name: 'Åpne GP-DEP oppfølging' }).click();
      await page.waitForURL(/\/login\?epj=not_your_patient$/);
      await page.getByText('står ikke på listen din').waitFor();
      expect(await seriousAxeViolations(page, 'login after a refused EPJ launch')).toEqual([]);

      await page.goto(epjPage('p-1'));
      await page.getByRole('link', { name: 'Åpne GP-DEP oppfølging' }).click();
      await page.waitForURL(new RegExp(`/gp/patients/${patientId}/follow-ups/[0-9a-f-]{36}$`));
      const card = await new GpFollowUpCardPage(page).waitUntilLoaded();
      await card.field('Hva dere snakket om').fill('Søvn, og hva som hjalp sist uke');
      await card.field('Plan').fill('Fortsette med modul 2');
      await card.markDone();
      expect(await seriousAxeViolations(page, 'card with send-to-record')).toEqual([]);
      await card.sendToRecordButton.click();
      await card.inRecord.waitFor();
      expect(await card.text(card.inRecord)).toContain('DocumentReference/1');
      expect(epj.documents).toHaveLength(1);
      expect(epj.documents[0]!.subject).toEqual({ reference: 'Patient/p-1' });
      const text = Buffer.from(epj.documents[0]!.content[0]!.attachment.data!, 'base64').toString('utf8');
      expect(text).toContain('Søvn, og hva som hjalp sist uke');
      expect(text).toContain('Fortsette med modul 2');
      // Reloaded, the card still says where the note is.
      await page.reload();
      await new GpFollowUpCardPage(page).waitUntilLoaded();
      await card.inRecord.waitFor();
    } finally {
      await context.close();
    }
  });
});
