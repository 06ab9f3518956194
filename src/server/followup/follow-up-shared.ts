/**
 * What the follow-up routes share: the response shapes, the plan as the routes return it, finding
 * one follow-up of a patient, and the read-audit shorthand.
 */
import { sql, type Kysely } from 'kysely';
import { Type } from 'typebox';
import { eventsForRequest, recordAccess } from '../audit/audit-log.js';
import { notFound } from '../problem.js';
import { Nullable, Uuid } from '../schemas.js';
import type { Database } from '../../db/schema.js';

export const FollowUpSchema = Type.Object({
  id: Uuid,
  plannedAt: Type.String(),
  durationMinutes: Type.Integer(),
  moduleId: Nullable(Type.String()),
  kind: Type.String(),
  status: Type.String(),
  gp: Type.Object({ id: Uuid, displayName: Type.String() }),
  heldAt: Nullable(Type.String()),
});

export const Iso = Type.String();
export const CardSchema = Type.Object({
  followUp: Type.Object({
    id: Uuid,
    plannedAt: Iso,
    durationMinutes: Type.Integer(),
    moduleId: Nullable(Type.String()),
    status: Type.String(),
  }),
  patient: Type.Object({
    id: Uuid,
    displayName: Type.String(),
    birthYear: Type.Integer(),
    sex: Type.String(),
  }),
  agenda: Nullable(Type.Object({ talkAbout: Type.String(), tried: Type.String(), updatedAt: Iso })),
  sinceLastTime: Type.Object({
    since: Iso,
    modulesCompleted: Type.Array(Type.String()),
    modulesCompletedTotal: Type.Integer(),
    /** Exercise entries saved or changed since the last follow-up (a count; content only if shared). */
    exercisesDone: Type.Integer(),
    exercisesSaved: Type.Integer(),
    minutesSpent: Type.Integer(),
    homework: Type.Object({ moduleId: Type.String(), title: Type.String(), description: Type.String() }),
  }),
  scores: Type.Object({
    phq9: Type.Array(
      Type.Object({ answeredAt: Iso, total: Type.Integer(), severity: Type.String(), item9: Type.Integer() })
    ),
    wsas: Type.Array(
      Type.Object({
        answeredAt: Iso,
        total: Type.Integer(),
        band: Type.String(),
        workStatus: Nullable(Type.String()),
      })
    ),
    gad7: Type.Array(Type.Object({ answeredAt: Iso, total: Type.Integer(), severity: Type.String() })),
    baselinePhq9: Nullable(Type.Integer()),
    changeSinceBaseline: Nullable(Type.Integer()),
    /** Treat to target as the worklist sees it (domain/followup/treat-to-target.ts). */
    target: Type.Object({
      checkpoint: Nullable(Type.Union([Type.Literal(4), Type.Literal(8)])),
      signal: Nullable(Type.Boolean()),
      improvementPercent: Nullable(Type.Integer()),
    }),
  }),
  alerts: Type.Array(
    Type.Object({ id: Uuid, item9Score: Type.Integer(), answeredAt: Iso, acknowledgedAt: Nullable(Iso) })
  ),
  shared: Type.Array(
    Type.Object({
      id: Uuid,
      moduleId: Type.String(),
      exerciseTitle: Type.String(),
      updatedAt: Iso,
      answers: Type.Array(
        Type.Object({
          label: Type.String(),
          value: Type.Union([Type.String(), Type.Number(), Type.Array(Type.String()), Type.Null()]),
        })
      ),
    })
  ),
  module: Type.Object({
    id: Type.String(),
    /** False before the patient has completed any module (the digest is then a preview). */
    completedByPatient: Type.Boolean(),
    number: Type.Integer(),
    title: Type.String(),
    digest: Type.Array(Type.String()),
    questions: Type.Array(Type.String()),
    bridges: Type.Array(Type.Object({ context: Type.String(), text: Type.String() })),
  }),
  work: Type.Object({
    workStatus: Nullable(Type.String()),
    sickLeave: Nullable(
      Type.Object({
        status: Type.String(),
        percent: Nullable(Type.Integer()),
        from: Nullable(Type.String()),
        to: Nullable(Type.String()),
      })
    ),
  }),
  previousNotes: Type.Array(
    Type.Object({ createdAt: Iso, discussed: Type.String(), plan: Type.String(), nextStep: Type.String() })
  ),
  /** Treat-to-target decisions already recorded, so the card asks only for the ones due. */
  decisions: Type.Array(Type.Object({ week: Type.Integer(), choice: Type.String(), decidedAt: Iso })),
  program: Type.Object({
    status: Type.String(),
    guidanceLevel: Nullable(Type.String()),
    startedAt: Nullable(Iso),
  }),
});

export const PatientFollowUpParams = Type.Object(
  { patientId: Uuid, followUpId: Uuid },
  { additionalProperties: false }
);
export const LangQuery = Type.Object(
  { lang: Type.Optional(Type.Enum(['nb', 'en'] as const)) },
  { additionalProperties: false }
);
export const DECISIONS = [
  'continue',
  'more_gp_talks',
  'consider_medication',
  'low_threshold_service',
  'refer_dps',
] as const;
export const DAY = 24 * 60 * 60 * 1000;

export const audit = (
  request: Parameters<typeof eventsForRequest>[0],
  action: 'read' | 'create' | 'update' | 'export',
  dataCategory: string,
  patientId: string
) => recordAccess(request, { action, dataCategory, patientIds: [patientId] });

export async function followUps(db: Kysely<Database>, patientId: string) {
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
    moduleId: r.module_id,
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
