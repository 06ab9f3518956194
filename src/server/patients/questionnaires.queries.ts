/**
 * Reading questionnaire answers back (issue 12 §1): the PHQ-9 answers with their items and note,
 * and every measurement (PHQ-9, GAD-7, WSAS) for the charts. Each read is audited.
 */
import type {
  MeasurementItem,
  MeasurementList,
  Phq9Item,
  Phq9List,
  Severity,
} from '../../contract/measures.js';
import type { DataContext } from '../access/data-context.js';
import { RESPONSE_COLUMNS, type StoredResponseRow } from './questionnaire-store.js';

export function toPhq9Item(row: StoredResponseRow): Phq9Item {
  return {
    id: row.id,
    instrument: 'phq9',
    answeredAt: new Date(row.answered_at).toISOString(),
    totalScore: row.total_score,
    severity: row.severity as Severity,
    item9Score: row.item9_score ?? 0,
    difficulty: row.difficulty,
    itemScores: row.item_scores as number[],
    note: row.patient_note,
  };
}

export function toMeasurement(row: StoredResponseRow): MeasurementItem {
  return {
    id: row.id,
    instrument: row.instrument,
    answeredAt: new Date(row.answered_at).toISOString(),
    totalScore: row.total_score,
    band: row.severity,
    item9Score: row.item9_score,
    itemScores: row.item_scores,
    workStatus: row.work_status,
  };
}

/** The patient's PHQ-9 answers, newest first. */
export function listPhq9Responses(ctx: DataContext, patientId: string): Promise<Phq9List> {
  return ctx.withAudit(async (trx, audit) => {
    const rows = await trx
      .selectFrom('questionnaire_responses')
      .select(RESPONSE_COLUMNS)
      .where('patient_id', '=', patientId)
      .where('instrument', '=', 'phq9')
      .orderBy('answered_at', 'desc')
      .execute();
    audit({ action: 'read', dataCategory: 'PHQ-9 responses', patientIds: [patientId] });
    return { items: rows.map(toPhq9Item) };
  });
}

/** Every measurement of the patient, oldest first. */
export function listMeasurements(ctx: DataContext, patientId: string): Promise<MeasurementList> {
  return ctx.withAudit(async (trx, audit) => {
    const rows = await trx
      .selectFrom('questionnaire_responses')
      .select(RESPONSE_COLUMNS)
      .where('patient_id', '=', patientId)
      .orderBy('answered_at', 'asc')
      .execute();
    audit({ action: 'read', dataCategory: 'PHQ-9, GAD-7 and WSAS scores', patientIds: [patientId] });
    return { items: rows.map(toMeasurement) };
  });
}
