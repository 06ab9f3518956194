/**
 * One instance killed under load behind HAProxy (issue 18 acceptance): three instances on one
 * PostgreSQL, three dozen patients saving workbook entries (PUT with a revision that only moves
 * forward) and sending questionnaires (POST with an Idempotency-Key, resent with the same key after
 * a failure, as the web app does) for about 15 seconds; one instance is killed with SIGKILL in the
 * middle. Afterwards every write that got a 2xx is in the database, exactly once; the requests that
 * failed are counted, and may only be ones that were in flight on the killed instance.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { testSecretsEnv } from '../../test/support/server-process.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.js';
import { findHaproxy, startCluster, type Cluster } from './cluster.js';
import {
  httpLogin,
  seedLoadFixture,
  workbookTarget,
  writeHeaders,
  type HttpSession,
} from './load-fixture.js';

const haproxy = findHaproxy();
const skipReason = !process.env.DATABASE_URL
  ? 'needs DATABASE_URL (a real PostgreSQL: several processes share it)'
  : !haproxy
    ? 'needs the haproxy binary (Debian: apt-get install haproxy; scripts/ci/install-system-deps.sh haproxy)'
    : null;

const CLIENTS = 36;
const RUN_MS = 15_000;
const KILL_AT_MS = 7_000;

let database: TestDatabase | null = null;
let cluster: Cluster | null = null;
afterAll(async () => {
  await cluster?.stop();
  await database?.close();
}, 60_000);

interface Outcome {
  ok: number;
  okAfterKill: number;
  failed: { what: string; status: number | string; at: number }[];
  /** Acknowledged autosaves: entry id → highest acknowledged revision. */
  savedRevisions: Map<string, number>;
  /** Acknowledged questionnaires: (patient, instrument) → idempotency key. */
  submitted: { patientId: string; instrument: string; key: string }[];
  replays: number;
}

describe.skipIf(skipReason !== null)(
  `an instance killed under load behind HAProxy${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    it('loses no acknowledged write, doubles none, and fails no more than the in-flight requests', async () => {
      database = await createTestDatabase();
      const fixture = await seedLoadFixture(database.db, { gps: 3, patients: CLIENTS });
      cluster = await startCluster({
        instances: 3,
        databaseUrl: database.ownerUrl!,
        env: { ...testSecretsEnv(), GPDEP_ALLOW_UNSAFE_DURABILITY: '1', LOGIN_RATE_LIMIT: '100000' },
      });
      const base = cluster.url;
      const sessions = await Promise.all(fixture.patients.map((p) => httpLogin(base, p.username)));
      const target = workbookTarget();
      const outcome: Outcome = {
        ok: 0,
        okAfterKill: 0,
        failed: [],
        savedRevisions: new Map(),
        submitted: [],
        replays: 0,
      };
      const started = Date.now();
      const elapsed = () => Date.now() - started;

      /** One request; a network error or a non-2xx is a failure (counted), a 2xx an acknowledgement. */
      async function send(what: string, url: string, init: RequestInit): Promise<Response | null> {
        try {
          const response = await fetch(url, init);
          if (response.ok) {
            outcome.ok += 1;
            if (elapsed() > KILL_AT_MS + 500) outcome.okAfterKill += 1;
            return response;
          }
          outcome.failed.push({ what, status: response.status, at: elapsed() });
          await response.arrayBuffer();
        } catch (error) {
          outcome.failed.push({ what, status: (error as Error).message, at: elapsed() });
        }
        return null;
      }

      /** A questionnaire, resent with the same key until acknowledged (at most five tries). */
      async function submit(session: HttpSession, instrument: 'phq9' | 'gad7' | 'wsas', body: unknown) {
        const key = randomUUID();
        for (let attempt = 0; attempt < 5; attempt += 1) {
          const response = await send(instrument, `${base}/api/patients/${session.patientId}/${instrument}`, {
            method: 'POST',
            headers: writeHeaders(base, session, { 'idempotency-key': key }),
            body: JSON.stringify(body),
          });
          if (response) {
            if (response.headers.get('idempotent-replayed') === 'true') outcome.replays += 1;
            await response.arrayBuffer();
            outcome.submitted.push({ patientId: session.patientId!, instrument, key });
            return;
          }
          await new Promise((r) => setTimeout(r, 300));
        }
      }

      async function client(session: HttpSession, index: number) {
        // The PHQ-9 opens module 1; the workbook is saved as the patient types.
        await submit(session, 'phq9', { items: [1, 1, 1, 1, 1, 1, 1, 1, 0], difficulty: 1 });
        const entries = [randomUUID(), randomUUID()];
        const revisions = [0, 0];
        const gad7At = 1000 + ((index * 347) % 12_000);
        const wsasAt = 1000 + ((index * 733) % 12_000);
        let gad7Sent = false;
        let wsasSent = false;
        while (elapsed() < RUN_MS) {
          if (!gad7Sent && elapsed() >= gad7At) {
            gad7Sent = true;
            await submit(session, 'gad7', { items: [1, 1, 0, 1, 0, 1, 0] });
            continue;
          }
          if (!wsasSent && elapsed() >= wsasAt) {
            wsasSent = true;
            await submit(session, 'wsas', { items: [2, 3, 1, 4, 2], workStatus: 'working' });
            continue;
          }
          const which = revisions[0]! <= revisions[1]! ? 0 : 1;
          const entryId = entries[which]!;
          const revision = (revisions[which] = revisions[which]! + 1);
          const response = await send(
            'autosave',
            `${base}/api/patients/${session.patientId}/workbook/${entryId}`,
            {
              method: 'PUT',
              headers: writeHeaders(base, session),
              body: JSON.stringify({
                moduleId: target.moduleId,
                exerciseId: target.exerciseId,
                answers: { [target.fieldId]: `Lasttest ${index}-${which} revisjon ${revision}` },
                revision,
                sharedWithGp: false,
              }),
            }
          );
          if (response) {
            await response.arrayBuffer();
            outcome.savedRevisions.set(entryId, Math.max(outcome.savedRevisions.get(entryId) ?? 0, revision));
          }
        }
      }

      const killer = (async () => {
        await new Promise((r) => setTimeout(r, KILL_AT_MS));
        await cluster.killInstance(1);
      })();
      await Promise.all(sessions.map((s, i) => client(s, i)));
      await killer;

      // What happened, for the record (and the report).
      console.log(
        `kill-instance: ${outcome.ok} acknowledged (${outcome.okAfterKill} after the kill), ${outcome.failed.length} failed ` +
          `(${outcome.failed.map((f) => `${f.what} ${f.status} at ${f.at} ms`).join('; ') || 'none'}), ` +
          `${outcome.replays} idempotent replays, ${outcome.savedRevisions.size} entries, ${outcome.submitted.length} questionnaires`
      );

      // Every acknowledged autosave: stored, at its revision or a later one, in one row.
      const entryIds = [...outcome.savedRevisions.keys()];
      expect(entryIds.length).toBeGreaterThan(CLIENTS);
      const rows = await database.db
        .selectFrom('workbook_entries')
        .select(['id', 'revision'])
        .where('id', 'in', entryIds)
        .execute();
      expect(rows).toHaveLength(entryIds.length);
      const lost = rows.filter((r) => r.revision < outcome.savedRevisions.get(r.id)!);
      expect(lost).toEqual([]);

      // Every acknowledged questionnaire: exactly one row, whatever the retries and the balancer did.
      expect(outcome.submitted.length).toBeGreaterThanOrEqual(CLIENTS * 2);
      const responses = await database.db
        .selectFrom('questionnaire_responses')
        .select(['patient_id', 'instrument', 'idempotency_key'])
        .where(
          'patient_id',
          'in',
          fixture.patients.map((p) => p.patientId)
        )
        .execute();
      for (const s of outcome.submitted) {
        const stored = responses.filter((r) => r.patient_id === s.patientId && r.instrument === s.instrument);
        expect(stored, `${s.instrument} of ${s.patientId}`).toHaveLength(1);
        expect(stored[0]!.idempotency_key).toBe(s.key);
      }
      // Nothing stored that was never acknowledged twice over: one response per patient and instrument.
      expect(new Set(responses.map((r) => `${r.patient_id}/${r.instrument}`)).size).toBe(responses.length);

      // The kill happened in the middle of the load, and the other two carried on.
      expect(cluster.instances[1]!.child.signalCode).toBe('SIGKILL');
      expect(outcome.okAfterKill).toBeGreaterThan(CLIENTS);
      // Failures: only what was in flight on the killed instance (one request per client at most).
      expect(outcome.failed.length).toBeLessThanOrEqual(CLIENTS);
      for (const failure of outcome.failed) expect(failure.at).toBeGreaterThanOrEqual(KILL_AT_MS - 1000);
      expect(outcome.ok).toBeGreaterThan(CLIENTS * 5);
    }, 300_000);
  }
);
