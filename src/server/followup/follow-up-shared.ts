/**
 * What the follow-up queries and commands share: the plan as the routes return it and finding one
 * follow-up of a patient. (The response shapes are in src/contract/followup.ts.)
 */
import { sql, type Kysely } from 'kysely';
import type { FollowUp, FollowUpModuleId } from '../../contract/followup.js';
import type { Database } from '../../db/schema.js';
import { notFound } from '../problem.js';

export const DAY = 24 * 60 * 60 * 1000;

export async function followUps(db: Kysely<Database>, patientId: string): Promise<FollowUp[]> {
  const rows = await db
    .selectFrom('follow_ups as f')
    .innerJoin('users as u', 'u.id', 'f.gp_user_id')
    .select([
      'f.id',
      'f.planned_at',
      'f.duration_minutes',
      'f.module_id',
      'f.kind',
      'f.status',
      'f.held_at',
      'u.id as gp_id',
      'u.display_name as gp_name',
    ])
    .where('f.patient_id', '=', patientId)
    .where('f.status', '!=', 'cancelled')
    // In the order they happen: a talk held early sorts by when it was held.
    .orderBy(sql`coalesce(f.held_at, f.planned_at)`)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    plannedAt: new Date(r.planned_at).toISOString(),
    durationMinutes: r.duration_minutes,
    moduleId: r.module_id as FollowUpModuleId | null,
    kind: r.kind,
    status: r.status,
    gp: { id: r.gp_id, displayName: r.gp_name },
    heldAt: r.held_at ? new Date(r.held_at).toISOString() : null,
  }));
}

export async function findFollowUp(db: Kysely<Database>, patientId: string, followUpId: string) {
  const row = await db
    .selectFrom('follow_ups')
    .selectAll()
    .where('id', '=', followUpId)
    .where('patient_id', '=', patientId)
    .executeTakeFirst();
  if (!row) throw notFound();
  return row;
}
