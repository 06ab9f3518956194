/**
 * Saving a questionnaire response: once per idempotency key (a retried submission returns the
 * first one's row, even when two retries race on PostgreSQL), with its FHIR resources, in the
 * caller's transaction so the score, any safety alert and the audit event commit together.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

export const RESPONSE_COLUMNS = [
  'id',
  'instrument',
  'answered_at',
  'total_score',
  'severity',
  'item9_score',
  'difficulty',
  'item_scores',
  'work_status',
  'patient_note',
] as const;

export interface StoredResponseRow {
  id: string;
  instrument: 'phq9' | 'gad7' | 'wsas';
  answered_at: Date | string;
  total_score: number;
  severity: string;
  item9_score: number | null;
  difficulty: number | null;
  item_scores: (number | null)[];
  work_status: string | null;
  patient_note: string | null;
}

export interface ResponseToStore {
  instrument: 'phq9' | 'gad7' | 'wsas';
  version: string;
  itemScores: (number | null)[];
  difficulty: number | null;
  total: number;
  severity: string;
  item9Score: number | null;
  workStatus: string | null;
  note: string | null;
  fhirResponse: unknown;
  fhirObservation: unknown;
}

export async function saveQuestionnaireResponse(
  trx: Transaction<Database>,
  args: {
    patientId: string;
    submittedBy: string;
    now: Date;
    idempotencyKey: string | null;
    build: (id: string) => ResponseToStore;
  }
): Promise<{ row: StoredResponseRow; replayed: boolean }> {
  const { patientId, idempotencyKey } = args;
  const findByKey = () =>
    trx
      .selectFrom('questionnaire_responses')
      .select(RESPONSE_COLUMNS)
      .where('patient_id', '=', patientId)
      .where('idempotency_key', '=', idempotencyKey)
      .executeTakeFirst();
  if (idempotencyKey) {
    const existing = await findByKey();
    if (existing) return { row: existing, replayed: true };
  }
  const id = randomUUID();
  const r = args.build(id);
  const inserted = await trx
    .insertInto('questionnaire_responses')
    .values({
      id,
      patient_id: patientId,
      instrument: r.instrument,
      instrument_version: r.version,
      answered_at: args.now,
      submitted_by: args.submittedBy,
      item_scores: JSON.stringify(r.itemScores),
      difficulty: r.difficulty,
      total_score: r.total,
      severity: r.severity,
      item9_score: r.item9Score,
      work_status: r.workStatus,
      fhir_resource: JSON.stringify(r.fhirResponse),
      fhir_observation: JSON.stringify(r.fhirObservation),
      patient_note: r.note,
      idempotency_key: idempotencyKey,
    })
    .onConflict((oc) => oc.columns(['patient_id', 'idempotency_key']).doNothing())
    .returning(RESPONSE_COLUMNS)
    .executeTakeFirst();
  if (inserted) return { row: inserted, replayed: false };
  // A concurrent retry with the same key won the race (PostgreSQL); answer with its row.
  const winner = await findByKey();
  if (!winner) throw new Error('idempotent insert lost its row');
  return { row: winner, replayed: true };
}
