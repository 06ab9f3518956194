/**
 * Migration 2026_12_04_0011 backfills `fhir_observations` for rows stored before it: from the old
 * single total Observation, or (rows stored without one, like the early demo rows) from the score
 * columns. What it writes must equal what the application writes for a new answer.
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, phq9Body, type TestApp } from '../../test/support/test-app.js';
import { down, up } from './migrations/2026_12_04_0011_fhir_observations.js';

let t: TestApp;

beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => t?.close());

/** Runs `work` with the table owner's rights (migrations need them; the app role has not). */
async function asOwner(work: (db: Kysely<unknown>) => Promise<void>): Promise<void> {
  if (t.database.ownerUrl) {
    const owner = new Kysely<unknown>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: t.database.ownerUrl, max: 1 }) }),
    });
    try {
      await work(owner);
    } finally {
      await owner.destroy();
    }
    return;
  }
  // PGlite: one session; step out of the application role to the owner and back.
  await sql`reset role`.execute(t.db);
  try {
    await work(t.db as unknown as Kysely<unknown>);
  } finally {
    await sql`set role gpdep_app`.execute(t.db);
  }
}

describe('migration 2026_12_04_0011 (fhir_observations)', () => {
  it('backfills the same Observations the application writes, from the old column or the scores', async () => {
    const patient = await t.login('pA1');
    const other = await t.login('pA2');
    const post = async (who: typeof patient, patientId: string, path: string, body: unknown) => {
      t.clock.now = new Date(t.clock.now.getTime() + 61_234); // milliseconds not round
      const res = await t.call(who, 'POST', `/api/patients/${patientId}/${path}`, { body });
      expect(res.statusCode, `${path} ${res.body}`).toBe(201);
    };
    const { pA1, pA2 } = t.fixture.patientIds;
    // One answer per patient and instrument, so the program's pacing of answers does not come into it.
    const third = await t.login('pB');
    const { pB } = t.fixture.patientIds;
    await post(patient, pA1, 'phq9', phq9Body([2, 1, 1, 2, 1, 0, 1, 1, 3], 2));
    await post(patient, pA1, 'gad7', { items: [2, 2, 2, 1, 1, 1, 1] });
    await post(patient, pA1, 'wsas', { items: [null, 3, 5, 2, 6], workStatus: 'not_working' });
    await post(other, pA2, 'phq9', phq9Body([0, 0, 0, 0, 0, 0, 0, 0, 1], 1));
    await post(other, pA2, 'gad7', { items: [0, 0, 0, 0, 0, 0, 1] });
    await post(third, pB, 'phq9', phq9Body([1, 1, 0, 0, 0, 0, 0, 0, 0], 0));
    const read = () =>
      t.db
        .selectFrom('questionnaire_responses')
        .select(['id', 'instrument', 'fhir_observation', 'fhir_observations'])
        .orderBy('id')
        .execute();
    const written = await read();
    expect(written).toHaveLength(6);

    await asOwner(async (db) => {
      await down(db);
      // The state before: the total as it was written (no id, no members) ...
      await sql`
        update questionnaire_responses set fhir_observation = fhir_observation - 'id' - 'hasMember'
      `.execute(db);
      // ... and none at all for one row of each instrument (as the early demo rows were).
      await sql`
        update questionnaire_responses set fhir_observation = null
        where id in (select distinct on (instrument) id from questionnaire_responses order by instrument, id)
      `.execute(db);
      await up(db);
    });

    const backfilled = await read();
    expect(backfilled).toEqual(written);
    for (const row of backfilled) {
      const set = row.fhir_observations as { id: string }[];
      expect(set, row.instrument).toHaveLength(row.instrument === 'phq9' ? 2 : 1);
      expect(row.fhir_observation).toEqual(set[0]);
    }
  });

  it('refuses a value that is not an array', async () => {
    const patient = await t.login('pA1');
    const answered = await t.call(patient, 'POST', `/api/patients/${t.fixture.patientIds.pA1}/phq9`, {
      body: phq9Body([1, 1, 0, 0, 0, 0, 0, 0, 0], 1),
    });
    expect(answered.statusCode).toBe(201); // a row for the update to reach
    await expect(
      asOwner(async (db) => {
        await sql`update questionnaire_responses set fhir_observations = '{}'::jsonb`.execute(db);
      })
    ).rejects.toThrow(/fhir_observations_array/);
  });
});
