/**
 * Saving a questionnaire response: once per idempotency key (a retried submission returns the
 * first one's row, even when two retries race on PostgreSQL), with its FHIR resources, in the
 * caller's transaction so the score, any safety alert and the audit event commit together.
 * Every response is stored with all its Observations (`fhir_observations`, the total first; for
 * PHQ-9 the total is a panel with item 9 as its member), built here from the caller's total.
 * A key is bound to its route and body: reused for anything else it is refused (422), never
 * answered with the earlier result (draft-ietf-httpapi-idempotency-key-header, section 2.7).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Observation } from 'fhir/r4.js';
import type { Transaction } from 'kysely';
import { responseObservations } from '../../domain/instruments/phq9-fhir.js';
import type { Database } from '../../db/schema.js';
import { HttpProblem } from '../problem.js';

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
  /** The total score Observation; its members (PHQ-9 item 9) are added by saveQuestionnaireResponse. */
  fhirObservation: Observation;
}

/** JSON with object keys sorted at every level, so the same body always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** What an idempotency key is bound to: the route it was used on and the body it carried. */
export interface IdempotentRequest {
  key: string;
  /** `METHOD /route/pattern`; the patient is the stored row's own. */
  route: string;
  body: unknown;
}

export function idempotencyMismatch(): HttpProblem {
  return new HttpProblem(422, 'Unprocessable Content', 'Idempotency-Key was used for a different request.', [
    { field: 'idempotency-key', reason: 'was used for a different request' },
  ]);
}

export async function saveQuestionnaireResponse(
  trx: Transaction<Database>,
  args: {
    patientId: string;
    submittedBy: string;
    now: Date;
    idempotency: IdempotentRequest | null;
    build: (id: string) => ResponseToStore;
  }
): Promise<{ row: StoredResponseRow; replayed: boolean }> {
  const { patientId, idempotency } = args;
  const idempotencyKey = idempotency?.key ?? null;
  const bodySha256 = idempotency
    ? createHash('sha256').update(canonicalJson(idempotency.body)).digest('hex')
    : null;
  /** The earlier response under this key, if it answered the very same request; else 422. */
  const replayOf = async (): Promise<StoredResponseRow | undefined> => {
    const found = await trx
      .selectFrom('questionnaire_responses')
      .select([...RESPONSE_COLUMNS, 'idempotency_route', 'idempotency_body_sha256'])
      .where('patient_id', '=', patientId)
      .where('idempotency_key', '=', idempotencyKey)
      .executeTakeFirst();
    if (!found) return undefined;
    const { idempotency_route: route, idempotency_body_sha256: hash, ...row } = found;
    if (route !== idempotency!.route || hash !== bodySha256) throw idempotencyMismatch();
    return row;
  };
  if (idempotency) {
    const existing = await replayOf();
    if (existing) return { row: existing, replayed: true };
  }
  const id = randomUUID();
  const r = args.build(id);
  const observations = responseObservations({
    instrument: r.instrument,
    responseId: id,
    total: r.fhirObservation,
    item9Score: r.item9Score,
  });
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
      // The old single column keeps the total (the panel), as fhir_observations[0] (migration 0011).
      fhir_observation: JSON.stringify(observations[0]),
      fhir_observations: JSON.stringify(observations),
      patient_note: r.note,
      idempotency_key: idempotencyKey,
      idempotency_route: idempotency?.route ?? null,
      idempotency_body_sha256: bodySha256,
    })
    .onConflict((oc) => oc.columns(['patient_id', 'idempotency_key']).doNothing())
    .returning(RESPONSE_COLUMNS)
    .executeTakeFirst();
  if (inserted) return { row: inserted, replayed: false };
  // A concurrent retry with the same key won the race (PostgreSQL); answer with its row.
  const winner = await replayOf();
  if (!winner) throw new Error('idempotent insert lost its row');
  return { row: winner, replayed: true };
}
