/**
 * The demo practice, created on first start of an empty database: one practice, two GPs, forty
 * patients in every program state (not yet recommended, recommended, mid-program, finished), one
 * researcher, one admin, and one guide (veileder.lund) assigned to three of lege.berg's patients. All names and answers are synthetic and generated from a fixed seed.
 *
 * Over 400 lines because the forty patients' histories are one story told in one place (states,
 * answers and timestamps depend on each other); everything is written through the server's rules.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { MODULE_CONTENT } from '../../content/modules.js';
import { scoreGad7 } from '../../domain/instruments/gad7.js';
import { scoreWsas, WORK_STATUSES, type WorkStatus } from '../../domain/instruments/wsas.js';
import type { ModuleId } from '../../domain/program/progress.js';
import {
  scorePhq9,
  PHQ9_VERSION,
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
import { syntheticFodselsnummer } from '../../domain/identifiers/norwegian-ids.js';
import { withAuditedTransaction, type NewAuditEvent } from '../audit/audit-log.js';
import { hashPassword } from '../auth/passwords.js';
import { openOrJoinUrgentCase } from '../urgent/urgent-cases.js';
import type { Database, ProgramStatus } from '../../db/schema.js';

export const DEMO_PASSWORD = 'gpdep-demo-2026';
/** Demo patients (pasientNN) of lege.berg that the guide veileder.lund is assigned to. */
export const DEMO_GUIDED_PATIENTS = [16, 19, 20] as const;
export const DEMO_PRACTICE_NAME = 'Fjordlia legesenter (demo, syntetiske data)';

const FIRST_NAMES: ReadonlyArray<[string, 'female' | 'male']> = [
  ['Astrid', 'female'],
  ['Bjørn', 'male'],
  ['Camilla', 'female'],
  ['Dag', 'male'],
  ['Eli', 'female'],
  ['Fredrik', 'male'],
  ['Guro', 'female'],
  ['Henrik', 'male'],
  ['Ida', 'female'],
  ['Jon', 'male'],
  ['Kari', 'female'],
  ['Lars', 'male'],
  ['Marit', 'female'],
  ['Nils', 'male'],
  ['Oda', 'female'],
  ['Petter', 'male'],
  ['Ragnhild', 'female'],
  ['Sindre', 'male'],
  ['Tone', 'female'],
  ['Vegard', 'male'],
];
const LAST_NAMES = [
  'Aasen',
  'Bakke',
  'Dahl',
  'Eide',
  'Fjeld',
  'Haugland',
  'Lie',
  'Moen',
  'Nygård',
  'Rønning',
];

/** A small deterministic generator (mulberry32), so every fresh demo looks the same. */
function seededRandom(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Spreads a total over items 1-8 (item 9 given separately), each 0-3. */
function answersForTotal(total: number, item9: Phq9ItemScore, random: () => number): Phq9Answers {
  const items: Phq9ItemScore[] = [0, 0, 0, 0, 0, 0, 0, 0, item9];
  let remaining = Math.max(0, Math.min(24, total - item9));
  while (remaining > 0) {
    const index = Math.floor(random() * 8);
    if ((items[index] as number) < 3) {
      items[index] = ((items[index] as number) + 1) as Phq9ItemScore;
      remaining -= 1;
    }
  }
  const anyPositive = items.some((s) => s > 0);
  return { items, difficulty: anyPositive ? (Math.min(3, Math.floor(total / 7)) as 0 | 1 | 2 | 3) : null };
}

const DAY = 24 * 60 * 60 * 1000;

interface DemoPatientPlan {
  status: ProgramStatus | 'not_recommended';
  modulesCompleted: number;
  /** PHQ-9 totals, oldest first, one every 14 days ending a few days ago. */
  totals: number[];
  latestItem9: Phq9ItemScore;
}

function planFor(index: number, random: () => number): DemoPatientPlan {
  const baseline = 8 + Math.floor(random() * 12); // 8-19: mild to moderately severe
  const item9 = index === 3 ? 1 : index === 23 ? 2 : 0;
  switch (index % 4) {
    case 1:
      return {
        status: 'not_recommended',
        modulesCompleted: 0,
        totals: index % 8 === 1 ? [baseline] : [],
        latestItem9: 0,
      };
    case 2:
      return { status: 'recommended', modulesCompleted: 0, totals: [baseline], latestItem9: 0 };
    case 3: {
      const modules = 1 + (index % 4 === 3 ? Math.floor(random() * 4) : 0);
      const totals = [baseline];
      for (let m = 1; m <= modules; m += 1)
        totals.push(Math.max(0, baseline - Math.round(m * (1 + random() * 2))));
      // The demo's item-9 patients are getting worse, as such patients often are.
      if (item9 > 0) totals[totals.length - 1] = Math.min(27, baseline + 3);
      return { status: 'active', modulesCompleted: modules, totals, latestItem9: item9 };
    }
    default: {
      const totals = [baseline];
      for (let m = 1; m <= 5; m += 1)
        totals.push(Math.max(0, Math.round(baseline * (1 - m * 0.12) - random() * 2)));
      return { status: 'finished', modulesCompleted: 5, totals, latestItem9: 0 };
    }
  }
}

/** Module progress, baseline GAD-7/WSAS, follow-ups and mood ratings that match the plan's PHQ-9 history. */
async function seedProgramHistory(
  trx: Transaction<Database>,
  patientId: string,
  gpId: string,
  plan: DemoPatientPlan,
  firstAt: number,
  now: Date,
  random: () => number
): Promise<void> {
  const baseline = plan.totals[0] ?? 10;
  if (plan.status !== 'recommended') {
    const answeredAt = new Date(firstAt);
    const gadItems = Array.from({ length: 7 }, () =>
      Math.min(3, Math.round((baseline / 27) * 3 * (0.6 + random() * 0.6)))
    );
    const gad = scoreGad7(gadItems);
    const wsasItems = Array.from({ length: 5 }, () =>
      Math.min(8, Math.round((baseline / 27) * 8 * (0.7 + random() * 0.6)))
    );
    const workStatus = WORK_STATUSES[Math.floor(random() * 4)] as WorkStatus;
    const wsas = scoreWsas({ items: wsasItems, workStatus });
    for (const [instrument, items, total, band, extra] of [
      ['gad7', gadItems, gad.total, gad.severity, null],
      ['wsas', wsasItems, wsas.total, wsas.band, workStatus],
    ] as const) {
      const id = randomUUID();
      const observations = responseObservations({
        instrument,
        responseId: id,
        total:
          instrument === 'gad7'
            ? gad7TotalObservation({
                responseId: id,
                patientId,
                effectiveAt: answeredAt,
                total,
                severity: band,
              })
            : wsasTotalObservation({ responseId: id, patientId, effectiveAt: answeredAt, total, band }),
        item9Score: null,
      });
      await trx
        .insertInto('questionnaire_responses')
        .values({
          id,
          patient_id: patientId,
          instrument,
          instrument_version: '2026.1',
          answered_at: answeredAt,
          submitted_by: gpId,
          item_scores: JSON.stringify(items),
          difficulty: null,
          total_score: total,
          severity: band,
          item9_score: null,
          work_status: extra,
          // The same FHIR resources a real answer gets (domain/instruments/phq9-fhir.ts).
          fhir_resource: JSON.stringify(
            instrument === 'gad7'
              ? gad7QuestionnaireResponse({ id, patientId, authoredAt: answeredAt, items, total })
              : wsasQuestionnaireResponse({
                  id,
                  patientId,
                  authoredAt: answeredAt,
                  answers: { items, workStatus: extra },
                  total,
                })
          ),
          fhir_observation: JSON.stringify(observations[0]),
          fhir_observations: JSON.stringify(observations),
          patient_note: null,
          idempotency_key: null,
        })
        .execute();
    }
    for (let k = 1; k <= plan.modulesCompleted; k += 1) {
      const moduleId = `m${k}` as ModuleId;
      const content = MODULE_CONTENT[moduleId].nb;
      // Nine days before the PHQ-9 that follows it (the latest module twelve days ago): past the week
      // between modules (issue 11 §3), so an active demo patient's next module is open.
      const completedAt = new Date(firstAt + (14 * k - 9) * DAY);
      await trx
        .insertInto('module_progress')
        .values({
          patient_id: patientId,
          module_id: moduleId,
          started_at: new Date(completedAt.getTime() - 4 * DAY),
          lessons_viewed: JSON.stringify(content.lessons.map((l) => l.id)),
          seconds_spent: 900 + Math.floor(random() * 900),
          completed_at: completedAt,
        })
        .execute();
      await trx
        .insertInto('quiz_answers')
        .values(
          content.quiz.map((q) => ({
            patient_id: patientId,
            module_id: moduleId,
            question_id: q.id,
            option_id: q.correctOptionId,
            correct: true,
            answered_at: completedAt,
          }))
        )
        .execute();
    }
    // A week of daily mood ratings (module 1's exercise) for the mood chart.
    if (plan.status === 'active') {
      for (let d = 7; d >= 1; d -= 1) {
        const at = new Date(now.getTime() - d * DAY);
        await trx
          .insertInto('workbook_entries')
          .values({
            id: randomUUID(),
            patient_id: patientId,
            module_id: 'm1',
            exercise_id: 'mood-rating',
            answers: JSON.stringify({ mood: Math.max(0, Math.min(10, Math.round(4 + random() * 4))) }),
            revision: 1,
            shared_with_gp: false,
            created_at: at,
            updated_at: at,
          })
          .execute();
      }
    }
  }
  // Follow-ups: one after each module, about every 14 days, 20 minutes; past ones held.
  const planned =
    plan.status === 'recommended' ? 1 : plan.status === 'finished' ? 5 : plan.modulesCompleted + 1;
  for (let k = 1; k <= planned; k += 1) {
    const plannedAt = new Date(firstAt + 14 * k * DAY);
    plannedAt.setUTCHours(8 + (k % 6), 0, 0, 0);
    await trx
      .insertInto('follow_ups')
      .values({
        patient_id: patientId,
        gp_user_id: gpId,
        module_id: `m${k}`,
        planned_at: plannedAt,
        status: plannedAt.getTime() < now.getTime() ? 'done' : 'planned',
        held_at: plannedAt.getTime() < now.getTime() ? plannedAt : null,
        created_at: new Date(firstAt),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
      .then(async (followUp) => {
        if (plannedAt.getTime() < now.getTime()) {
          await trx
            .insertInto('follow_up_notes')
            .values({
              follow_up_id: followUp.id,
              patient_id: patientId,
              gp_user_id: gpId,
              discussed: `Gjennomgang av modul ${k}.`,
              plan: `Fortsette med modul ${Math.min(5, k + 1)}.`,
              next_step: 'Hjemmeoppgaven fra modulen.',
              mode: 'in_person',
              duration_minutes: 20,
              sick_leave_status: k % 3 === 0 ? 'graded' : 'none',
              sick_leave_percent: k % 3 === 0 ? 50 : null,
              sick_leave_from:
                k % 3 === 0 ? new Date(plannedAt.getTime() - 7 * DAY).toISOString().slice(0, 10) : null,
              sick_leave_to: null,
              fee_codes: JSON.stringify(['2ad', '615']),
              created_at: plannedAt,
            })
            .execute();
        } else if (k === planned && plan.status === 'active' && random() < 0.6) {
          // The patient's own agenda for the next talk.
          await trx
            .insertInto('follow_up_agendas')
            .values({
              follow_up_id: followUp.id,
              patient_id: patientId,
              talk_about: 'Det er tungt å komme i gang om morgenen.',
              tried: 'Gikk en kort tur tre dager denne uka.',
              updated_at: now,
            })
            .execute();
        }
      });
  }
}

/** Seeds the demo practice if the database has no users yet. Returns whether it seeded. */
export async function seedDemoData(
  db: Kysely<Database>,
  auditKey: Buffer,
  now = new Date()
): Promise<boolean> {
  const existing = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (existing) return false;
  const random = seededRandom(20261123);
  const hash = () => hashPassword(DEMO_PASSWORD);

  const userRows = [
    { username: 'lege.berg', display_name: 'Ingrid Berg (lege, demo)', role: 'gp' as const },
    { username: 'lege.haugen', display_name: 'Anders Haugen (lege, demo)', role: 'gp' as const },
    { username: 'forsker', display_name: 'Sara Forsker (demo)', role: 'researcher' as const },
    { username: 'admin', display_name: 'Systemadministrator (demo)', role: 'admin' as const },
    // A guide at the practice (issue 17): a psychiatric nurse who helps some of lege.berg's patients.
    {
      username: 'veileder.lund',
      display_name: 'Marte Lund (psykiatrisk sykepleier, demo)',
      role: 'guide' as const,
    },
  ];
  const patientUsers = Array.from({ length: 40 }, (_, i) => {
    const n = i + 1;
    const [first, sex] = FIRST_NAMES[i % FIRST_NAMES.length] as [string, 'female' | 'male'];
    const last = LAST_NAMES[(i * 7) % LAST_NAMES.length] as string;
    return { n, sex, username: `pasient${String(n).padStart(2, '0')}`, display_name: `${first} ${last}` };
  });
  const hashes = await Promise.all([...userRows, ...patientUsers].map(() => hash()));

  await withAuditedTransaction(db, auditKey, now, async (trx, record) => {
    const practice = await trx
      .insertInto('practices')
      .values({ name: DEMO_PRACTICE_NAME, urgent_email: 'post@demo.gpdep.invalid' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const staff = await trx
      .insertInto('users')
      .values(
        userRows.map((u, i) => ({
          ...u,
          password_hash: hashes[i] as string,
          practice_id: u.role === 'gp' || u.role === 'guide' ? practice.id : null,
          // Where urgent cases and message notices are sent (a reserved domain: nothing leaves the machine).
          notify_email: u.role === 'gp' || u.role === 'guide' ? `${u.username}@demo.gpdep.invalid` : null,
          // Made-up HPR numbers (the FHIR Practitioner's identifier; what HelseID's claim matches).
          hpr_number: u.role === 'gp' ? demoHprNumber(i) : null,
        }))
      )
      .returning(['id', 'username'])
      .execute();
    const gpIds = staff.filter((s) => s.username.startsWith('lege.')).map((s) => s.id);
    const guideId = staff.find((s) => s.username === 'veileder.lund')!.id;
    const audit: NewAuditEvent[] = [];
    const patientIdOf = new Map<number, string>();

    for (const patient of patientUsers) {
      const user = await trx
        .insertInto('users')
        .values({
          username: patient.username,
          display_name: patient.display_name,
          role: 'patient',
          password_hash: hashes[userRows.length + patient.n - 1] as string,
          practice_id: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const gpId = (patient.n <= 20 ? gpIds[0] : gpIds[1]) as string;
      const birthYear = 1960 + Math.floor(random() * 45);
      const created = await trx
        .insertInto('patients')
        .values({
          user_id: user.id,
          display_name: patient.display_name,
          birth_year: birthYear,
          sex: patient.sex,
          practice_id: practice.id,
          national_id: demoNationalId(birthYear, patient.sex, patient.n),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      patientIdOf.set(patient.n, created.id);
      await trx
        .insertInto('gp_list_entries')
        .values({ gp_user_id: gpId, patient_id: created.id, valid_from: '2020-01-01' })
        .execute();

      const plan = planFor(patient.n, random);
      // Some recommendations are ten days old and the invitation still unused (a worklist item).
      const staleInvitation = plan.status === 'recommended' && patient.n % 8 === 6;
      // A patient the GP has not recommended the program to answered their one PHQ-9 a month ago (in
      // the office), so they may answer again now; the others' latest PHQ-9 is three days old.
      const firstAt =
        plan.status === 'not_recommended'
          ? now.getTime() - 30 * DAY
          : now.getTime() - (plan.totals.length * 14 - 11 + (staleInvitation ? 7 : 0)) * DAY;
      if (plan.status !== 'not_recommended') {
        await trx
          .insertInto('program_enrolments')
          .values({
            patient_id: created.id,
            status: plan.status,
            recommended_by: gpId,
            recommended_at: new Date(firstAt),
            modules_completed: plan.modulesCompleted,
            finished_at: plan.status === 'finished' ? new Date(firstAt + (14 * 5 - 9) * DAY) : null,
            started_at: plan.status === 'recommended' ? null : new Date(firstAt + DAY / 2),
            guidance_level: 'guided',
            baseline_phq9: plan.totals[0] ?? null,
            baseline_item9: 0,
          })
          .execute();
        await trx
          .insertInto('invitations')
          .values({
            patient_id: created.id,
            // A random, never-shown code: demo patients log in with the demo password.
            code_hash: randomUUID(),
            created_by: gpId,
            created_at: new Date(firstAt),
            expires_at: new Date(firstAt + 30 * DAY),
            used_at: plan.status === 'recommended' ? null : new Date(firstAt + DAY / 2),
          })
          .execute();
        await seedProgramHistory(trx, created.id, gpId, plan, firstAt, now, random);
      }
      for (const [k, total] of plan.totals.entries()) {
        const isLatest = k === plan.totals.length - 1;
        const answeredAt = new Date(firstAt + k * 14 * DAY);
        const answers = answersForTotal(total, isLatest ? plan.latestItem9 : 0, random);
        const score = scorePhq9(answers);
        const id = randomUUID();
        const observations = phq9Observations({
          responseId: id,
          patientId: created.id,
          effectiveAt: answeredAt,
          score,
        });
        await trx
          .insertInto('questionnaire_responses')
          .values({
            id,
            patient_id: created.id,
            instrument: 'phq9',
            instrument_version: PHQ9_VERSION,
            answered_at: answeredAt,
            submitted_by: user.id,
            item_scores: JSON.stringify(answers.items),
            difficulty: answers.difficulty,
            total_score: score.total,
            severity: score.severity,
            item9_score: score.item9Score,
            fhir_resource: JSON.stringify(
              phq9QuestionnaireResponse({ id, patientId: created.id, authoredAt: answeredAt, answers, score })
            ),
            // The total as the panel, item 9 its member (the same set a real answer gets).
            fhir_observation: JSON.stringify(observations[0]),
            fhir_observations: JSON.stringify(observations),
            idempotency_key: null,
          })
          .execute();
        if (score.item9Positive) {
          const alert = await trx
            .insertInto('safety_alerts')
            .values({
              patient_id: created.id,
              response_id: id,
              item9_score: score.item9Score,
              created_at: answeredAt,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          // As a real answer would: an urgent case with its deadline and notifications.
          await openOrJoinUrgentCase(trx, {
            patientId: created.id,
            alertId: alert.id,
            now: answeredAt,
          });
        }
      }
      audit.push({
        actorUserId: null,
        actorRole: 'system',
        actorName: 'demo seed',
        actorPracticeId: null,
        patientId: created.id,
        action: 'create',
        dataCategory: 'synthetic demo record',
        accessBasis: 'system',
        outcome: 'allowed',
        requestId: null,
      });
    }
    // lege.berg has assigned the guide to three of her patients (one mid-program, two finished).
    for (const n of DEMO_GUIDED_PATIENTS) {
      const patientId = patientIdOf.get(n)!;
      await trx
        .insertInto('guide_assignments')
        .values({
          patient_id: patientId,
          guide_user_id: guideId,
          assigned_by: gpIds[0]!,
          starts_at: new Date(now.getTime() - 10 * DAY),
          ends_at: null,
          ended_by: null,
        })
        .execute();
      audit.push({
        actorUserId: null,
        actorRole: 'system',
        actorName: 'demo seed',
        actorPracticeId: null,
        patientId,
        action: 'create',
        dataCategory: 'guide assignment',
        accessBasis: 'system',
        outcome: 'allowed',
        requestId: null,
      });
    }
    // New on the lists, no account yet: the GP's invitation code is how they get one (the code
    // never changes the password of an account that has one).
    for (const [index, fresh] of PATIENTS_WITHOUT_ACCOUNT.entries()) {
      const gpId = gpIds[index % 2] as string;
      const created = await trx
        .insertInto('patients')
        .values({
          user_id: null,
          display_name: fresh.name,
          birth_year: fresh.birthYear,
          sex: fresh.sex,
          practice_id: practice.id,
          national_id: demoNationalId(fresh.birthYear, fresh.sex, 100 + index),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('gp_list_entries')
        .values({ gp_user_id: gpId, patient_id: created.id, valid_from: '2020-01-01' })
        .execute();
      audit.push({
        actorUserId: null,
        actorRole: 'system',
        actorName: 'demo seed',
        actorPracticeId: null,
        patientId: created.id,
        action: 'create',
        dataCategory: 'synthetic demo record',
        accessBasis: 'system',
        outcome: 'allowed',
        requestId: null,
      });
    }
    record(audit);
  });
  return true;
}

/** Demo patients on the lists without an account: two for each GP (lege.berg first). */
/**
 * A synthetic fødselsnummer (month + 80: never a real person's) for demo patient `n`, on a birth
 * date spread over the year without drawing from the seeded random stream (which the rest of the
 * demo's values depend on).
 */
export function demoNationalId(birthYear: number, sex: 'female' | 'male', n: number): string {
  const month = (n % 12) + 1;
  const day = ((n * 7) % 28) + 1;
  const date = `${birthYear}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return syntheticFodselsnummer(date, sex, n);
}

/** Made-up HPR numbers for the demo's staff (9-digit, in a range kept for the demo). */
export function demoHprNumber(index: number): string {
  return String(990000001 + index);
}

export const PATIENTS_WITHOUT_ACCOUNT: ReadonlyArray<{
  name: string;
  sex: 'female' | 'male';
  birthYear: number;
}> = [
  { name: 'Sigrid Nyland', sex: 'female', birthYear: 1988 },
  { name: 'Hanne Lid', sex: 'female', birthYear: 1979 },
  { name: 'Jonas Vik', sex: 'male', birthYear: 1994 },
  { name: 'Emil Strand', sex: 'male', birthYear: 1971 },
];
