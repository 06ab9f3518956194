/**
 * Writes a simulated network (platform-research/simulate/network.ts) into the database in bulk, as
 * rows the app's own queries read: the same tables, the same FHIR resources beside the score
 * columns and the same scoring (domain/instruments) as a real answer, one audit line per patient.
 *
 * Safety rule (docs/platform-simulate.md): synthetic network data is never mixed into a database
 * silently. The run is refused when the database holds any patient outside a simulated practice
 * (the demo practice and real patients alike) unless `force` is given, and always when a network
 * with the same seed is already there. Every practice it makes is recorded in simulated_practices,
 * and the research extract marks those practices `synthetic`.
 */
import type { Kysely, Transaction } from 'kysely';
import { scoreGad7 } from '../../domain/instruments/gad7.js';
import {
  PHQ9_VERSION,
  scorePhq9,
  type Phq9Answers,
  type Phq9ItemScore,
} from '../../domain/instruments/phq9.js';
import {
  gad7QuestionnaireResponse,
  gad7TotalObservation,
  phq9Observations,
  phq9QuestionnaireResponse,
  responseObservations,
  wsasQuestionnaireResponse,
  wsasTotalObservation,
} from '../../domain/instruments/phq9-fhir.js';
import { scoreWsas } from '../../domain/instruments/wsas.js';
import { syntheticFodselsnummer } from '../../domain/identifiers/norwegian-ids.js';
import {
  FIRST_SERIAL,
  type SimMeasurement,
  type SimNetwork,
  type SimPatient,
  type SimulationParameters,
} from '../../platform-research/simulate/network.js';
import type { Database } from '../../db/schema.js';
import { withAuditedTransaction, type NewAuditEvent } from '../audit/audit-log.js';
import { hashPassword } from '../auth/passwords.js';

/** Every simulated GP's password (synthetic accounts only; change it before showing anyone). */
export const SIMULATION_PASSWORD = 'gpdep-simulert-2026';

/** The researcher account a simulation makes, to make the extract with. */
export const researcherUsername = (seed: number) => `sim.s${seed}.forsker`;

export class SimulationRefused extends Error {
  override name = 'SimulationRefused';
}

/** Why this database may not take the network (null: it may). */
export async function simulationRefusal(
  db: Kysely<Database>,
  seed: number,
  force: boolean
): Promise<string | null> {
  const sameSeed = await db
    .selectFrom('simulation_runs')
    .select('id')
    .where('seed', '=', seed)
    .executeTakeFirst();
  if (sameSeed)
    return `A network with seed ${seed} is already in this database (run ${sameSeed.id}); use another seed or a fresh database.`;
  const other = await db
    .selectFrom('patients')
    .leftJoin('simulated_practices as s', 's.practice_id', 'patients.practice_id')
    .where('s.practice_id', 'is', null)
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .executeTakeFirstOrThrow();
  const n = Number(other.n);
  if (n > 0 && !force)
    return `This database holds ${n} patient${n === 1 ? '' : 's'} that are not simulated (the demo practice or real data). Synthetic network data is not mixed in silently: use a fresh data folder or database, or --force to add the network beside them (its practices stay marked as simulated).`;
  return null;
}

/**
 * Another network (another seed) may already hold a national id this one drew: such a patient
 * gets the next free synthetic number of the same birth date and sex. Changes `network` in place;
 * returns how many were moved (0 on a database without other networks).
 */
async function avoidTakenNationalIds(db: Kysely<Database>, network: SimNetwork): Promise<number> {
  const taken = new Set<string>();
  const ids = network.patients.map((p) => p.nationalId);
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await db
      .selectFrom('patients')
      .select('national_id')
      .where('national_id', 'in', ids.slice(i, i + 1000))
      .execute();
    for (const r of rows) if (r.national_id) taken.add(r.national_id);
  }
  if (taken.size === 0) return 0;
  const used = new Set(ids);
  let moved = 0;
  for (const p of network.patients) {
    if (!taken.has(p.nationalId)) continue;
    for (let serial = FIRST_SERIAL; ; serial++) {
      const candidate = syntheticFodselsnummer(p.birthDate, p.sex, serial);
      if (taken.has(candidate) || used.has(candidate)) continue;
      const free = await db
        .selectFrom('patients')
        .select('id')
        .where('national_id', '=', candidate)
        .executeTakeFirst();
      if (free) {
        taken.add(candidate);
        continue;
      }
      p.nationalId = candidate;
      used.add(candidate);
      moved++;
      break;
    }
  }
  return moved;
}

export interface WriteNetworkResult {
  runId: string;
  rows: Record<string, number>;
}

const chunked = async <T>(rows: readonly T[], size: number, write: (chunk: T[]) => Promise<unknown>) => {
  for (let i = 0; i < rows.length; i += size) await write(rows.slice(i, i + size));
};

function measurementRow(patient: SimPatient, gpId: string, m: SimMeasurement) {
  const submittedBy = m.byGp ? gpId : (patient.userId ?? gpId);
  if (m.instrument === 'phq9') {
    const answers: Phq9Answers = {
      items: m.items as Phq9ItemScore[],
      difficulty: m.total > 0 ? (Math.min(3, Math.floor(m.total / 7)) as 0 | 1 | 2 | 3) : null,
    };
    const score = scorePhq9(answers);
    const observations = phq9Observations({
      responseId: m.id,
      patientId: patient.id,
      effectiveAt: m.answeredAt,
      score,
    });
    return {
      id: m.id,
      patient_id: patient.id,
      instrument: 'phq9' as const,
      instrument_version: PHQ9_VERSION,
      answered_at: m.answeredAt,
      submitted_by: submittedBy,
      item_scores: JSON.stringify(answers.items),
      difficulty: answers.difficulty,
      total_score: score.total,
      severity: score.severity,
      item9_score: score.item9Score,
      work_status: null,
      fhir_resource: JSON.stringify(
        phq9QuestionnaireResponse({
          id: m.id,
          patientId: patient.id,
          authoredAt: m.answeredAt,
          answers,
          score,
        })
      ),
      fhir_observation: JSON.stringify(observations[0]),
      fhir_observations: JSON.stringify(observations),
      patient_note: null,
      idempotency_key: null,
    };
  }
  const isGad = m.instrument === 'gad7';
  const scored = isGad
    ? (() => {
        const s = scoreGad7(m.items);
        return { total: s.total, band: s.severity as string };
      })()
    : (() => {
        const s = scoreWsas({ items: m.items, workStatus: m.workStatus! });
        return { total: s.total, band: s.band as string };
      })();
  const total = isGad
    ? gad7TotalObservation({
        responseId: m.id,
        patientId: patient.id,
        effectiveAt: m.answeredAt,
        total: scored.total,
        severity: scored.band,
      })
    : wsasTotalObservation({
        responseId: m.id,
        patientId: patient.id,
        effectiveAt: m.answeredAt,
        total: scored.total,
        band: scored.band,
      });
  const observations = responseObservations({
    instrument: m.instrument,
    responseId: m.id,
    total,
    item9Score: null,
  });
  return {
    id: m.id,
    patient_id: patient.id,
    instrument: m.instrument,
    instrument_version: '2026.1',
    answered_at: m.answeredAt,
    submitted_by: submittedBy,
    item_scores: JSON.stringify(m.items),
    difficulty: null,
    total_score: scored.total,
    severity: scored.band,
    item9_score: null,
    work_status: m.workStatus,
    fhir_resource: JSON.stringify(
      isGad
        ? gad7QuestionnaireResponse({
            id: m.id,
            patientId: patient.id,
            authoredAt: m.answeredAt,
            items: m.items,
            total: scored.total,
          })
        : wsasQuestionnaireResponse({
            id: m.id,
            patientId: patient.id,
            authoredAt: m.answeredAt,
            answers: { items: m.items, workStatus: m.workStatus! },
            total: scored.total,
          })
    ),
    fhir_observation: JSON.stringify(observations[0]),
    fhir_observations: JSON.stringify(observations),
    patient_note: null,
    idempotency_key: null,
  };
}

/**
 * Writes the network in one transaction (all or nothing), refusing as simulationRefusal says.
 * `now` is the time the rows are written (the audit lines carry it).
 */
export async function writeNetwork(
  db: Kysely<Database>,
  auditKey: Buffer,
  network: SimNetwork,
  options: { force: boolean; parameters: SimulationParameters; now?: Date }
): Promise<WriteNetworkResult> {
  const refusal = await simulationRefusal(db, network.seed, options.force);
  if (refusal) throw new SimulationRefused(refusal);
  const now = options.now ?? new Date();
  await avoidTakenNationalIds(db, network);
  // One hash for every simulated account: argon2 per account would take minutes.
  const passwordHash = await hashPassword(SIMULATION_PASSWORD);
  const rows: Record<string, number> = {};
  const count = (table: string, n: number) => (rows[table] = (rows[table] ?? 0) + n);
  const runId = network.runId;

  await withAuditedTransaction(db, auditKey, now, async (trx: Transaction<Database>, record) => {
    await trx
      .insertInto('simulation_runs')
      .values({
        id: runId,
        seed: network.seed,
        gps: network.gps.length,
        patients: network.patients.length,
        simulated_end: network.end,
        created_at: now,
        parameters: JSON.stringify(options.parameters),
        forced: options.force,
      })
      .execute();
    await trx
      .insertInto('practices')
      .values(network.practices.map((p) => ({ id: p.id, name: p.name, urgent_email: null })))
      .execute();
    await trx
      .insertInto('simulated_practices')
      .values(network.practices.map((p) => ({ practice_id: p.id, run_id: runId })))
      .execute();
    count('practices', network.practices.length);
    await trx
      .insertInto('users')
      .values(
        network.gps.map((gp) => ({
          id: gp.id,
          username: gp.username,
          display_name: gp.displayName,
          role: 'gp' as const,
          password_hash: passwordHash,
          practice_id: gp.practiceId,
          hpr_number: gp.hprNumber,
        }))
      )
      .execute();
    count('users (GPs)', network.gps.length);
    // A researcher to make the research extract of this network with (same password).
    await trx
      .insertInto('users')
      .values({
        username: researcherUsername(network.seed),
        display_name: `Forsker (simulert, seed ${network.seed})`,
        role: 'researcher',
        password_hash: passwordHash,
        practice_id: null,
      })
      .execute();
    count('users (researcher)', 1);
    const withAccount = network.patients.filter((p) => p.userId);
    await chunked(withAccount, 1000, (chunk) =>
      trx
        .insertInto('users')
        .values(
          chunk.map((p) => ({
            id: p.userId!,
            username: p.username!,
            display_name: p.displayName,
            role: 'patient' as const,
            // No password: a simulated patient cannot log in.
            password_hash: null,
            practice_id: null,
          }))
        )
        .execute()
    );
    count('users (patients)', withAccount.length);
    await chunked(network.patients, 1000, (chunk) =>
      trx
        .insertInto('patients')
        .values(
          chunk.map((p) => ({
            id: p.id,
            user_id: p.userId,
            display_name: p.displayName,
            birth_year: p.birthYear,
            sex: p.sex,
            practice_id: p.practiceId,
            created_at: p.createdAt,
            national_id: p.nationalId,
          }))
        )
        .execute()
    );
    count('patients', network.patients.length);
    await chunked(network.patients, 1000, (chunk) =>
      trx
        .insertInto('gp_list_entries')
        .values(chunk.map((p) => ({ gp_user_id: p.gpId, patient_id: p.id, valid_from: p.listedFrom })))
        .execute()
    );
    await chunked(network.patients, 1000, (chunk) =>
      trx
        .insertInto('patient_education')
        .values(
          chunk.map((p) => ({
            patient_id: p.id,
            education: p.education.answer,
            consent_given_at: p.education.answer ? p.education.answeredAt : null,
            answered_at: p.education.answeredAt,
          }))
        )
        .execute()
    );
    count('patient_education', network.patients.length);

    const withCourse = network.patients.filter((p) => p.course);
    await chunked(withCourse, 500, (chunk) =>
      trx
        .insertInto('program_enrolments')
        .values(
          chunk.map((p) => {
            const c = p.course!;
            return {
              id: c.id,
              patient_id: p.id,
              status: c.status,
              recommended_by: p.gpId,
              recommended_at: c.recommendedAt,
              modules_completed: c.modules.filter((m) => m.completedAt).length,
              finished_at: c.finishedAt,
              started_at: c.startedAt,
              guidance_level: c.guidanceLevel,
              baseline_phq9: c.measurements[0]!.total,
              baseline_item9: 0,
            };
          })
        )
        .execute()
    );
    count('program_enrolments', withCourse.length);
    await chunked(withCourse, 1000, (chunk) =>
      trx
        .insertInto('invitations')
        .values(
          chunk.map((p) => {
            const i = p.course!.invitation;
            return {
              id: i.id,
              patient_id: p.id,
              // Never a usable code: simulated patients cannot log in.
              code_hash: i.codeHash,
              created_by: p.gpId,
              created_at: i.createdAt,
              expires_at: i.expiresAt,
              used_at: i.usedAt,
            };
          })
        )
        .execute()
    );
    count('invitations', withCourse.length);
    const modules = withCourse.flatMap((p) =>
      p.course!.modules.map((m) => ({
        patient_id: p.id,
        module_id: m.moduleId,
        started_at: m.startedAt,
        lessons_viewed: '[]',
        seconds_spent: m.completedAt ? 1200 : 300,
        completed_at: m.completedAt,
      }))
    );
    await chunked(modules, 1000, (chunk) => trx.insertInto('module_progress').values(chunk).execute());
    count('module_progress', modules.length);
    const followUps = withCourse.flatMap((p) =>
      p.course!.followUps.map((f) => ({
        id: f.id,
        patient_id: p.id,
        gp_user_id: p.gpId,
        module_id: f.moduleId,
        planned_at: f.plannedAt,
        status: f.status,
        held_at: f.heldAt,
        created_at: p.course!.startedAt ?? p.course!.recommendedAt,
      }))
    );
    await chunked(followUps, 1000, (chunk) => trx.insertInto('follow_ups').values(chunk).execute());
    count('follow_ups', followUps.length);
    const responses = withCourse.flatMap((p) =>
      p.course!.measurements.map((m) => measurementRow(p, p.gpId, m))
    );
    await chunked(responses, 500, (chunk) =>
      trx.insertInto('questionnaire_responses').values(chunk).execute()
    );
    count('questionnaire_responses', responses.length);

    const events: NewAuditEvent[] = network.patients.map((p) => ({
      actorUserId: null,
      actorRole: 'system',
      actorName: 'platform:simulate',
      actorPracticeId: null,
      patientId: p.id,
      action: 'create',
      dataCategory: 'synthetic network record',
      accessBasis: 'system',
      outcome: 'allowed',
      requestId: null,
    }));
    record(events);
  });
  return { runId, rows };
}
