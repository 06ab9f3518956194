/**
 * The suitability checklist recorded with the recommendation (issue 11 §4): each contraindication
 * the GP found present, with their reason to go ahead (domain/followup/plan.ts).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table program_enrolments add column contraindications jsonb not null default '[]';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table program_enrolments drop column if exists contraindications;`.execute(db);
}
