/**
 * Education, asked once, optional, with consent (issue 17; migration 0029): the patient's own
 * answer, read, given and deleted by the patient only, each act in the audit log. No GP route reads
 * this table; the dashboards use it only in aggregates.
 */
import type { EducationAnswer, EducationStatus } from '../../contract/outcomes.js';
import type { DataContext } from '../access/data-context.js';
import { badRequest } from '../problem.js';

type Row = { education: 'low' | 'medium' | 'high' | null; answered_at: Date | string } | undefined;

function statusOf(row: Row): EducationStatus {
  return {
    asked: row !== undefined,
    education: row?.education ?? null,
    answeredAt: row ? new Date(row.answered_at).toISOString() : null,
  };
}

export async function loadEducation(ctx: DataContext, patientId: string): Promise<EducationStatus> {
  const row = await ctx.db
    .selectFrom('patient_education')
    .select(['education', 'answered_at'])
    .where('patient_id', '=', patientId)
    .executeTakeFirst();
  await ctx.recordRead({ action: 'read', dataCategory: 'education', patientIds: [patientId] });
  return statusOf(row);
}

/** An answer is stored only with consent to its purpose; "declined" stores that the patient was asked. */
export async function answerEducation(
  ctx: DataContext,
  patientId: string,
  body: EducationAnswer
): Promise<EducationStatus> {
  if (body.answer !== 'declined' && !body.consent) {
    throw badRequest([{ field: 'consent', reason: 'must be true to store an answer' }]);
  }
  const education = body.answer === 'declined' ? null : body.answer;
  const values = {
    education,
    consent_given_at: education ? ctx.now : null,
    answered_at: ctx.now,
  };
  return ctx.withAudit(async (trx, audit) => {
    const row = await trx
      .insertInto('patient_education')
      .values({ patient_id: patientId, ...values })
      .onConflict((oc) => oc.column('patient_id').doUpdateSet(values))
      .returning(['education', 'answered_at'])
      .executeTakeFirstOrThrow();
    audit({ action: 'update', dataCategory: 'education', patientIds: [patientId] });
    return statusOf(row);
  });
}

/** Deletes the answer and its consent; the patient stays "asked", so the question does not return. */
export async function deleteEducation(ctx: DataContext, patientId: string): Promise<EducationStatus> {
  return ctx.withAudit(async (trx, audit) => {
    const row = await trx
      .updateTable('patient_education')
      .set({ education: null, consent_given_at: null })
      .where('patient_id', '=', patientId)
      .returning(['education', 'answered_at'])
      .executeTakeFirst();
    audit({ action: 'delete', dataCategory: 'education', patientIds: [patientId] });
    return statusOf(row);
  });
}
