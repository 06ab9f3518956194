/**
 * The study's three surveys in the demo (issue 14, "Demo data and figures"), seeded after the demo
 * practice and the registry twin exist:
 *
 * - the national GP survey, fielded to the registry twin's GPs: the frame from the twin
 *   (src/surveys/generate: age group, region, rural, specialist, list size), a synthetic address
 *   per GP (gp-00042@example.invalid: a reserved domain), the linkage keys (frame id → twin GP id)
 *   in their own table, one invitation per GP with a random token stored only as its hash (the
 *   token itself is thrown away: no demo invitation is ever e-mailed, and no e-mail is queued),
 *   and the responses of generateTwinSurvey's planted truth — response propensity by sex, age and
 *   region, and `own-talk-therapy` planted to go with the GP's registry talking-therapy effect —
 *   complete or partial as planted, with invitation states to match (non-responders reminded
 *   twice);
 * - the two anonymous patient surveys, each with a practice link at the demo practice and a few
 *   dozen synthetic anonymous responses (answers drawn item by item, branching respected), kept to
 *   the day as real anonymous responses are.
 *
 * One transaction for all of it, so a failure leaves nothing half-seeded. The frame and its
 * linkage keys go through the server's frame import (frame.commands.ts, with a researcher's data
 * context on this transaction); the rest is written through Kysely, because the server's
 * commands for invitations queue e-mail (the demo must not) and respondents answer through a
 * token. One audit line per survey, beside the frame import's own. Idempotent: a survey whose title the researcher already has
 * is left alone, so a second start adds nothing. A questionnaire that is missing or does not
 * validate is skipped with a log line.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Questionnaire } from 'fhir/r4.js';
import type { Kysely, Transaction } from 'kysely';
import { STUDY_QUESTIONNAIRES } from '../../content/surveys/index.js';
import type { Database } from '../../db/schema.js';
import { assembleQuestionnaire } from '../../domain/surveys/assemble.js';
import {
  answerableItems,
  enabledLinkIds,
  flattenItems,
  questionnaireTitle,
  type SurveyAnswer,
} from '../../domain/surveys/items.js';
import { buildQuestionnaireResponse } from '../../domain/surveys/response.js';
import { validateQuestionnaire } from '../../domain/surveys/validate.js';
import { contentFingerprint } from '../../domain/surveys/version.js';
import { Rng } from '../../registry/generate/random.js';
import { generateTwinSurvey, type TwinSurvey } from '../../surveys/generate/from-twin.js';
import { fillerAnswer, type FillerStyle } from '../../surveys/generate/plant.js';
import type { DataContext } from '../access/data-context.js';
import { withAuditedTransaction, type NewAuditEvent } from '../audit/audit-log.js';
import { importFrame } from '../surveys/frame.commands.js';
import { DEMO_PRACTICE_NAME } from './demo-seed.js';
import { seedContext } from './seed-context.js';
import { hashToken, respondentKey } from '../surveys/tokens.js';

export interface SurveySeedOptions {
  /** The registry twin the GP survey is fielded to (`gps/*.parquet` and truth.json). */
  registryDataDir: string;
  /** The demo researcher, who owns the surveys. */
  researcherId: string;
  /** The demo practice, where the waiting-room surveys' links are. */
  practiceId: string;
  now: Date;
  /** The audit chain's key (the seed's audit lines). */
  auditKey: Buffer;
  /** The server key respondent keys are derived from (server/surveys/tokens.ts). */
  serverKey: Buffer;
  /** Anonymous responses per patient survey (default 36). */
  anonymousResponses?: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface SurveySeedResult {
  created: { key: string; surveyId: string; title: string; responses: number; invitations: number }[];
  skipped: { key: string; reason: string }[];
}

const DAY = 86_400_000;
/** The GP survey went out this many days before the demo starts. */
const GP_SURVEY_DAYS_AGO = 30;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Validated and assembled (the patient-experience survey imports the PHQ-9); null with a reason. */
function prepare(raw: Questionnaire | undefined): { questionnaire: Questionnaire } | { reason: string } {
  if (!raw) return { reason: 'questionnaire missing' };
  const validation = validateQuestionnaire(raw);
  if (!validation.ok)
    return { reason: `questionnaire invalid: ${validation.errors.map((e) => e.message).join('; ')}` };
  const assembled = assembleQuestionnaire(validation.questionnaire);
  if (!assembled.ok)
    return {
      reason: `questionnaire cannot be assembled: ${assembled.errors.map((e) => e.message).join('; ')}`,
    };
  return { questionnaire: assembled.questionnaire };
}

function systemEvent(dataCategory: string): NewAuditEvent {
  return {
    actorUserId: null,
    actorRole: 'system',
    actorName: 'demo seed',
    actorPracticeId: null,
    patientId: null,
    action: 'create',
    dataCategory,
    accessBasis: 'system',
    outcome: 'allowed',
    requestId: null,
  };
}

async function insertSurvey(
  trx: Transaction<Database>,
  kind: 'identified' | 'anonymous',
  questionnaire: Questionnaire,
  options: SurveySeedOptions,
  openedAt: Date
): Promise<{ surveyId: string; versionId: string; title: string }> {
  const title = questionnaireTitle(questionnaire).nb.slice(0, 200);
  const survey = await trx
    .insertInto('surveys')
    .values({
      kind,
      title,
      status: 'open',
      created_by: options.researcherId,
      created_at: openedAt,
      opened_at: openedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const version = await trx
    .insertInto('survey_versions')
    .values({
      survey_id: survey.id,
      sequence: 1,
      version: questionnaire.version ?? '1',
      questionnaire: JSON.stringify(questionnaire),
      fingerprint: contentFingerprint(questionnaire),
      created_by: options.researcherId,
      created_at: openedAt,
      fielded_at: openedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { surveyId: survey.id, versionId: version.id, title };
}

/** The researcher's data context for the seed's frame import (seed-context.ts). */
function researcherContext(
  trx: Transaction<Database>,
  record: (events: readonly NewAuditEvent[]) => void,
  options: SurveySeedOptions,
  now: Date
): DataContext {
  const actor = {
    userId: options.researcherId,
    role: 'researcher' as const,
    displayName: 'demo seed',
    practiceId: null,
  };
  return seedContext(trx, record, actor, now);
}

/** A random token's hash: what an invitation stores (the token is not kept anywhere). */
const unusedTokenHash = () => hashToken(randomBytes(32).toString('base64url'));

async function seedGpSurvey(
  trx: Transaction<Database>,
  questionnaire: Questionnaire,
  twin: TwinSurvey,
  record: (events: readonly NewAuditEvent[]) => void,
  options: SurveySeedOptions
): Promise<SurveySeedResult['created'][number]> {
  const seed = options.seed ?? 1;
  const registryKeyOf = new Map(twin.linkage.entries.map((e) => [e.frameId, e.registryGpId]));
  const sentAt = new Date(options.now.getTime() - GP_SURVEY_DAYS_AGO * DAY);
  // The planted responses carry times from the survey date on; the demo moves them to its own.
  const shift = sentAt.getTime() - Date.parse(`${twin.truth.surveyDate}T08:00:00Z`);
  const at = (iso: string) => new Date(Math.min(Date.parse(iso) + shift, options.now.getTime() - 60_000));
  const { surveyId, versionId, title } = await insertSurvey(
    trx,
    'identified',
    questionnaire,
    options,
    sentAt
  );

  // Frame and linkage keys through the frame import (frame.commands.ts), inside this transaction.
  const csv = [
    'frame_id,email,sex,age_group,region,rural,specialist,list_size_group,registry_key',
    ...twin.dataset.frame.map((m) => {
      const a = m.attributes;
      const registryKey = registryKeyOf.get(m.frameId) ?? '';
      return [
        m.frameId,
        `gp-${m.frameId.replace(/^F/, '')}@example.invalid`,
        a.sex,
        a.age_group,
        a.region,
        a.rural,
        a.specialist,
        a.list_size_group ?? '',
        registryKey,
      ].join(',');
    }),
  ].join('\n');
  const imported = await importFrame(researcherContext(trx, record, options, sentAt), surveyId, { csv });
  if (imported.rejected.length > 0)
    (options.log ?? (() => {}))(
      `Demo GP survey: ${imported.rejected.length} frame rows rejected (first: line ${imported.rejected[0]!.line}, ${imported.rejected[0]!.field} ${imported.rejected[0]!.reason}).`
    );
  const members = await trx
    .selectFrom('survey_frame_members')
    .select(['id', 'frame_id'])
    .where('survey_id', '=', surveyId)
    .orderBy('frame_id')
    .execute();

  const responseOf = new Map(twin.dataset.responses.map((r) => [r.frameId!, r]));
  const rng = new Rng(seed, 'demo-invitations');
  const invitations = members.map((m) => {
    const response = responseOf.get(m.frame_id);
    const id = crypto.randomUUID();
    const opened = response ? new Date(at(response.updatedAt).getTime() - 20 * 60_000) : null;
    // Some who never answered opened the link and left (a realistic funnel).
    const openedOnly = !response && rng.next() < 0.08;
    const status = response ? response.status : openedOnly ? ('opened' as const) : ('sent' as const);
    const reminders = response
      ? Math.min(2, Math.floor((opened!.getTime() - sentAt.getTime()) / (7 * DAY)))
      : 2;
    return {
      row: {
        id,
        survey_id: surveyId,
        frame_member_id: m.id,
        wave: 'baseline',
        token_hash: unusedTokenHash(),
        status,
        version_id: response || openedOnly ? versionId : null,
        created_at: sentAt,
        sent_at: sentAt,
        opened_at: opened ?? (openedOnly ? new Date(sentAt.getTime() + 2 * DAY) : null),
        reminded_at: reminders > 0 ? new Date(sentAt.getTime() + (reminders === 2 ? 14 : 7) * DAY) : null,
        reminders_sent: reminders,
        completed_at: response?.status === 'complete' ? at(response.updatedAt) : null,
      },
      frameId: m.frame_id,
      response,
    };
  });
  for (let i = 0; i < invitations.length; i += 500) {
    await trx
      .insertInto('survey_invitations')
      .values(invitations.slice(i, i + 500).map((x) => x.row))
      .execute();
  }
  const responseRows = invitations
    .filter((x) => x.response)
    .map(({ row, frameId, response }) => {
      const r = response!;
      const id = crypto.randomUUID();
      const updated = at(r.updatedAt);
      const key = respondentKey(options.serverKey, surveyId, frameId);
      const complete = r.status === 'complete';
      return {
        id,
        survey_id: surveyId,
        version_id: versionId,
        invitation_id: row.id,
        status: r.status,
        answers: JSON.stringify(r.answers),
        fhir_response: complete
          ? JSON.stringify(
              buildQuestionnaireResponse(questionnaire, r.answers, {
                id,
                status: 'completed',
                authored: updated,
                respondentKey: key,
              })
            )
          : null,
        wave: 'baseline',
        respondent_key: key,
        started_at: new Date(updated.getTime() - 15 * 60_000),
        updated_at: updated,
        submitted_at: complete ? updated : null,
      };
    });
  for (let i = 0; i < responseRows.length; i += 200) {
    await trx
      .insertInto('survey_responses')
      .values(responseRows.slice(i, i + 200))
      .execute();
  }
  return { key: 'gp-national', surveyId, title, responses: responseRows.length, invitations: members.length };
}

/** Waiting-room demo answers: a little more spread than the GP survey, free text more rarely. */
const DEMO_FILLER: FillerStyle = { spread: 0.9, seedPrefix: 'demo-item', freeTextShare: 0.08 };

/** Answers in document order, each item only when enabled by the answers before it. */
export function syntheticAnswers(
  questionnaire: Questionnaire,
  rng: Rng,
  weights: Map<string, number[]>
): Record<string, SurveyAnswer[]> {
  const items = flattenItems(questionnaire);
  const answerable = new Set(answerableItems(items).map((i) => i.linkId));
  const answers: Record<string, SurveyAnswer[]> = {};
  for (const item of items) {
    if (!answerable.has(item.linkId)) continue;
    if (!enabledLinkIds(items, answers).has(item.linkId)) continue;
    // Optional items are skipped now and then, as people do.
    if (!item.required && rng.next() < 0.05) continue;
    const answer = fillerAnswer(item, rng, weights, undefined, DEMO_FILLER);
    if (answer) answers[item.linkId] = [answer];
  }
  return answers;
}

const SLUG_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

async function seedAnonymousSurvey(
  trx: Transaction<Database>,
  key: string,
  questionnaire: Questionnaire,
  options: SurveySeedOptions
): Promise<SurveySeedResult['created'][number]> {
  const openedAt = new Date(options.now.getTime() - 21 * DAY);
  const { surveyId, versionId, title } = await insertSurvey(
    trx,
    'anonymous',
    questionnaire,
    options,
    openedAt
  );
  const slug = Array.from(randomBytes(12), (b) => SLUG_ALPHABET[b % SLUG_ALPHABET.length]).join('');
  const link = await trx
    .insertInto('survey_practice_links')
    .values({
      survey_id: surveyId,
      practice_id: options.practiceId,
      slug,
      wave: 'baseline',
      created_by: options.researcherId,
      created_at: openedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const rng = new Rng(options.seed ?? 1, `demo-anonymous:${key}`);
  const weights = new Map<string, number[]>();
  const n = options.anonymousResponses ?? 36;
  const today = Date.UTC(options.now.getUTCFullYear(), options.now.getUTCMonth(), options.now.getUTCDate());
  const rows = Array.from({ length: n }, () => {
    const id = crypto.randomUUID();
    const answers = syntheticAnswers(questionnaire, rng, weights);
    // Kept to the day, as an anonymous response is (server/surveys/respondent.commands.ts).
    const day = new Date(today - Math.floor(rng.next() * 21) * DAY);
    return {
      id,
      survey_id: surveyId,
      version_id: versionId,
      practice_link_id: link.id,
      status: 'complete' as const,
      answers: JSON.stringify(answers),
      fhir_response: JSON.stringify(
        buildQuestionnaireResponse(questionnaire, answers, { id, status: 'completed', authored: day })
      ),
      wave: 'baseline',
      consent: true,
      started_at: day,
      updated_at: day,
      submitted_at: day,
    };
  });
  // Unrelated to the responses: the page nonces an anonymous submit leaves behind.
  await trx
    .insertInto('survey_anonymous_nonces')
    .values(rows.map(() => ({ survey_id: surveyId, nonce_hash: sha256(randomBytes(16).toString('hex')) })))
    .execute();
  await trx.insertInto('survey_responses').values(rows).execute();
  return { key, surveyId, title, responses: n, invitations: 0 };
}

const PLAN = [
  { key: 'gp-national', kind: 'identified' },
  { key: 'patient-preferences', kind: 'anonymous' },
  { key: 'patient-experience', kind: 'anonymous' },
] as const;

/**
 * Seeds the three study surveys (see the module comment). Returns what it created and skipped;
 * a second call creates nothing.
 */
export async function seedDemoSurveys(
  db: Kysely<Database>,
  options: SurveySeedOptions
): Promise<SurveySeedResult> {
  const log = options.log ?? (() => {});
  const result: SurveySeedResult = { created: [], skipped: [] };
  const existing = new Set(
    (
      await db.selectFrom('surveys').select('title').where('created_by', '=', options.researcherId).execute()
    ).map((s) => s.title)
  );
  const questionnaires = STUDY_QUESTIONNAIRES as Partial<Record<string, Questionnaire>>;
  const ready: { key: string; kind: 'identified' | 'anonymous'; questionnaire: Questionnaire }[] = [];
  for (const { key, kind } of PLAN) {
    const prepared = prepare(questionnaires[key]);
    if ('reason' in prepared) {
      log(`Demo survey ${key} skipped: ${prepared.reason}.`);
      result.skipped.push({ key, reason: prepared.reason });
      continue;
    }
    if (existing.has(questionnaireTitle(prepared.questionnaire).nb.slice(0, 200))) {
      result.skipped.push({ key, reason: 'already seeded' });
      continue;
    }
    ready.push({ key, kind, questionnaire: prepared.questionnaire });
  }
  // The twin is read (DuckDB) before the transaction, so the database is not held meanwhile.
  let twin: TwinSurvey | null = null;
  const gp = ready.find((r) => r.kind === 'identified');
  if (gp) {
    try {
      twin = await generateTwinSurvey({
        twinDir: options.registryDataDir,
        seed: options.seed ?? 1,
        questionnaire: gp.questionnaire,
      });
    } catch (error) {
      const reason = `no registry twin to field it to (${(error as Error).message})`;
      log(`Demo survey ${gp.key} skipped: ${reason}.`);
      result.skipped.push({ key: gp.key, reason });
      ready.splice(ready.indexOf(gp), 1);
    }
  }
  if (ready.length === 0) return result;
  await withAuditedTransaction(db, options.auditKey, options.now, async (trx, record) => {
    for (const { key, kind, questionnaire } of ready) {
      const created =
        kind === 'identified'
          ? await seedGpSurvey(trx, questionnaire, twin!, record, options)
          : await seedAnonymousSurvey(trx, key, questionnaire, options);
      result.created.push(created);
      record([systemEvent(`synthetic demo survey: ${key}, ${created.responses} responses`)]);
    }
  });
  for (const c of result.created)
    log(
      `Seeded the demo survey "${c.title}" (${c.invitations ? `${c.invitations} invited, ` : ''}${c.responses} synthetic responses).`
    );
  return result;
}

/**
 * For `npm start` (cli/serve.ts, after the demo practice and the registry twin): seeds the surveys
 * for the demo researcher `forsker` at the demo practice; does nothing when either is missing.
 */
export async function seedDemoSurveysForDemo(
  db: Kysely<Database>,
  options: Omit<SurveySeedOptions, 'researcherId' | 'practiceId'>
): Promise<SurveySeedResult | null> {
  const researcher = await db
    .selectFrom('users')
    .select('id')
    .where('username', '=', 'forsker')
    .where('role', '=', 'researcher')
    .executeTakeFirst();
  const practice = await db
    .selectFrom('practices')
    .select('id')
    .where('name', '=', DEMO_PRACTICE_NAME)
    .executeTakeFirst();
  if (!researcher || !practice) return null;
  return seedDemoSurveys(db, { ...options, researcherId: researcher.id, practiceId: practice.id });
}
