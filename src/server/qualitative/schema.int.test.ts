/**
 * The qualitative tables (migration 2026_12_05_0015) on the test database: PGlite by default,
 * PostgreSQL 15 when DATABASE_URL is set (`npm run test:api` in CI runs both).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';

let database: TestDatabase;
let studyId: string;
let userId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const user = await database.db
    .insertInto('users')
    .values({ username: 'qual.lead', display_name: 'Lead', role: 'researcher', password_hash: 'x' })
    .returning('id')
    .executeTakeFirstOrThrow();
  userId = user.id;
  const study = await database.db
    .insertInto('qual_studies')
    .values({ title: 'Schema study', created_by: userId, created_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  studyId = study.id;
}, 60_000);
afterAll(async () => database?.close());

async function openSource(text: string): Promise<string> {
  const row = await database.db
    .insertInto('qual_sources')
    .values({
      study_id: studyId,
      title: 'T',
      language: 'nb',
      format: 'txt',
      status: 'open_for_coding',
      text,
      original_turns: null,
      proposals: '[]',
      imported_by: userId,
      imported_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

describe('qualitative schema', () => {
  it('stems Norwegian in the generated search vector: "søvnen" and "søvn" meet', async () => {
    // The snowball stemmer for Norwegian strips the definite ending -en: both stem to "søvn".
    const id = await openSource('Jeg har slitt med søvnen i hele høst.');
    const hits = await database.db
      .selectFrom('qual_sources')
      .select('id')
      .where(sql<boolean>`search_vector @@ plainto_tsquery('norwegian', ${'søvn'})`)
      .execute();
    expect(hits.map((h) => h.id)).toEqual([id]);
    const misses = await database.db
      .selectFrom('qual_sources')
      .select('id')
      .where(sql<boolean>`search_vector @@ plainto_tsquery('norwegian', ${'arbeid'})`)
      .execute();
    expect(misses).toEqual([]);
  });

  it('refuses an open source without text, and a destroyed key that still holds its text', async () => {
    await expect(
      database.db
        .insertInto('qual_sources')
        .values({
          study_id: studyId,
          title: 'T',
          language: 'nb',
          format: 'txt',
          status: 'open_for_coding',
          text: null,
          original_turns: null,
          proposals: '[]',
          imported_by: userId,
          imported_at: new Date(),
        })
        .execute()
    ).rejects.toThrow();
    const participant = await database.db
      .insertInto('qual_participants')
      .values({ study_id: studyId, pseudonym: 'GP-01', kind: 'gp', created_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await expect(
      database.db
        .insertInto('qual_identity_keys')
        .values({
          participant_id: participant.id,
          key_text: 'Kari Nordmann',
          created_by: userId,
          created_at: new Date(),
          destroyed_at: new Date(),
          destroyed_by: userId,
        })
        .execute()
    ).rejects.toThrow();
    // the same pseudonym twice in one study
    await expect(
      database.db
        .insertInto('qual_participants')
        .values({ study_id: studyId, pseudonym: 'GP-01', kind: 'gp', created_at: new Date() })
        .execute()
    ).rejects.toThrow();
  });
});
