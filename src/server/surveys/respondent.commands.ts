/**
 * The respondent's use cases (issue 14): public, without a login.
 *
 * Identified (by the single-use token from the e-mail, sent in the request body, never in a URL):
 * open the questionnaire (the version is fixed at first open, so a respondent who resumes after a
 * new version was published keeps answering the one they started), save partial answers (save
 * and resume), submit (the final check; a repeated submit of the same answers stores nothing and
 * says so; different answers after submitting are refused), and opt out (no more e-mail, at once).
 *
 * Anonymous (by a practice's link): the questionnaire of the latest fielded version, and one
 * submit per page load (a random nonce from the page; a second submit with it stores nothing). The
 * response row has no invitation, token, IP address or user agent, its times are kept to the day,
 * the nonce is kept apart (hashed, without time or link), and nothing about it goes to the audit
 * log: a timestamped audit line beside it would undo all of that.
 *
 * PHQ-9 item 9 above 0 in saved or submitted answers: `crisisResources: true`, so the page shows
 * the crisis numbers at once. Nobody reads survey answers as they arrive; no follow-up is promised.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Questionnaire } from 'fhir/r4.js';
import type { Kysely, Transaction } from 'kysely';
import type {
  AnonymousQuestionnaire,
  AnonymousReceived,
  AnonymousSubmitBody,
  AnswersSaved,
  RespondentQuestionnaire,
} from '../../contract/surveys.js';
import type { Database } from '../../db/schema.js';
import { checkAnswers } from '../../domain/surveys/answers.js';
import { phq9ItemNinePositive } from '../../domain/surveys/assemble.js';
import type { SurveyAnswers } from '../../domain/surveys/items.js';
import { buildQuestionnaireResponse } from '../../domain/surveys/response.js';
import { withAuditedTransaction, type NewAuditEvent } from '../audit/audit-log.js';
import { canonicalJson } from '../patients/questionnaire-store.js';
import { badRequest, HttpProblem } from '../problem.js';
import { hashNonce, hashToken, isWellFormedToken, respondentKey } from './tokens.js';

export const SURVEY_PROBLEM = {
  unknownLink: 'https://gp-dep.example/problems/survey-link-unknown',
  closed: 'https://gp-dep.example/problems/survey-closed',
  notOpen: 'https://gp-dep.example/problems/survey-not-open',
  alreadySubmitted: 'https://gp-dep.example/problems/survey-already-submitted',
} as const;

function problem(status: number, type: string, detail: string, field?: { field: string; reason: string }) {
  const p = new HttpProblem(
    status,
    status === 404 ? 'Not Found' : status === 410 ? 'Gone' : status === 409 ? 'Conflict' : 'Bad Request',
    detail,
    field ? [field] : undefined
  );
  p.type = type;
  return p;
}

const unknownToken = () =>
  problem(
    404,
    SURVEY_PROBLEM.unknownLink,
    'This survey link is not valid. Open the whole link from the e-mail; if it still does not work, ask the research team for a new one.',
    { field: 'token', reason: 'is not a valid survey link' }
  );

const closedSurvey = () =>
  problem(
    410,
    SURVEY_PROBLEM.closed,
    'This survey is closed and no longer takes answers. Thank you for your interest.'
  );

const notOpenSurvey = () =>
  problem(409, SURVEY_PROBLEM.notOpen, 'This survey has not opened yet. Try the link again later.');

const alreadySubmitted = () =>
  problem(
    409,
    SURVEY_PROBLEM.alreadySubmitted,
    'Your answers to this survey have already been sent, and they cannot be changed now. Thank you for taking part.'
  );

/** The answer problems as a 400 naming `answers.<linkId>`. */
function answerProblems(problems: { linkId: string; reason: string }[]): HttpProblem {
  return badRequest(
    problems.map((p) => ({ field: p.linkId === '' ? 'answers' : `answers.${p.linkId}`, reason: p.reason }))
  );
}

/** What the public survey routes need, read once per request (one clock reading). */
export interface RespondentDeps {
  readonly db: Kysely<Database>;
  readonly auditKey: Buffer;
  /** Derives tokens and respondent keys (never stored). */
  readonly serverKey: Buffer;
  readonly now: Date;
  readonly requestId: string;
}

export function respondentDeps(app: FastifyInstance, requestId: string): RespondentDeps {
  return {
    db: app.db,
    auditKey: app.secrets.auditKey,
    serverKey: app.secrets.csrfKey,
    now: app.now(),
    requestId,
  };
}

function respondentEvent(deps: RespondentDeps, action: string, dataCategory: string): NewAuditEvent {
  return {
    actorUserId: null,
    actorRole: 'survey_respondent',
    actorName: 'survey respondent (invitation)',
    actorPracticeId: null,
    patientId: null,
    action,
    dataCategory,
    accessBasis: 'survey_token',
    outcome: 'allowed',
    requestId: deps.requestId,
  };
}

/** The invitation a token names, locked, with its survey; refusals as problems. */
async function lockInvitation(trx: Transaction<Database>, token: string) {
  if (!isWellFormedToken(token)) throw unknownToken();
  const found = await trx
    .selectFrom('survey_invitations as i')
    .innerJoin('survey_frame_members as m', 'm.id', 'i.frame_member_id')
    .innerJoin('surveys as s', 's.id', 'i.survey_id')
    .select([
      'i.id',
      'i.survey_id',
      'i.status',
      'i.version_id',
      'i.wave',
      'i.opened_at',
      'm.id as member_id',
      'm.frame_id',
      's.status as survey_status',
    ])
    .where('i.token_hash', '=', hashToken(token))
    .forUpdate('i')
    .executeTakeFirst();
  if (!found) throw unknownToken();
  return found;
}

type LockedInvitation = Awaited<ReturnType<typeof lockInvitation>>;

function assertOpen(invitation: LockedInvitation): void {
  if (invitation.survey_status === 'closed') throw closedSurvey();
  if (invitation.survey_status !== 'open') throw notOpenSurvey();
}

async function latestFieldedVersion(trx: Transaction<Database> | Kysely<Database>, surveyId: string) {
  const version = await trx
    .selectFrom('survey_versions')
    .select(['id', 'version', 'questionnaire'])
    .where('survey_id', '=', surveyId)
    .where('fielded_at', 'is not', null)
    .orderBy('sequence', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!version) throw notOpenSurvey();
  return version;
}

/** The invitation's version, fixing it now if this is the first time it is needed. */
async function versionOf(trx: Transaction<Database>, invitation: LockedInvitation, now: Date) {
  if (invitation.version_id) {
    return trx
      .selectFrom('survey_versions')
      .select(['id', 'version', 'questionnaire'])
      .where('id', '=', invitation.version_id)
      .executeTakeFirstOrThrow();
  }
  const version = await latestFieldedVersion(trx, invitation.survey_id);
  await trx
    .updateTable('survey_invitations')
    .set({ version_id: version.id, opened_at: invitation.opened_at ?? now })
    .where('id', '=', invitation.id)
    .execute();
  return version;
}

export async function openInvitation(deps: RespondentDeps, token: string): Promise<RespondentQuestionnaire> {
  return withAuditedTransaction(deps.db, deps.auditKey, deps.now, async (trx, record) => {
    const invitation = await lockInvitation(trx, token);
    assertOpen(invitation);
    if (invitation.status === 'complete') throw alreadySubmitted();
    const version = await versionOf(trx, invitation, deps.now);
    await trx
      .updateTable('survey_invitations')
      .set({ status: 'opened', opened_at: invitation.opened_at ?? deps.now })
      .where('id', '=', invitation.id)
      .where('status', 'in', ['queued', 'sent'])
      .execute();
    if (invitation.opened_at === null) {
      await trx
        .updateTable('survey_invitations')
        .set({ opened_at: deps.now })
        .where('id', '=', invitation.id)
        .where('opened_at', 'is', null)
        .execute();
    }
    const saved = await trx
      .selectFrom('survey_responses')
      .select(['answers', 'status'])
      .where('invitation_id', '=', invitation.id)
      .executeTakeFirst();
    const answers = (saved?.answers ?? {}) as SurveyAnswers;
    record([respondentEvent(deps, 'read', 'survey questionnaire opened')]);
    return {
      kind: 'identified' as const,
      version: version.version,
      questionnaire: version.questionnaire,
      answers: answers,
      status: saved ? ('partial' as const) : ('not_started' as const),
      crisisResources: phq9ItemNinePositive(answers),
    };
  });
}

async function writeIdentified(
  deps: RespondentDeps,
  token: string,
  answers: Record<string, unknown>,
  final: boolean
): Promise<AnswersSaved & { created: boolean }> {
  return withAuditedTransaction(deps.db, deps.auditKey, deps.now, async (trx, record) => {
    const invitation = await lockInvitation(trx, token);
    const existing = await trx
      .selectFrom('survey_responses')
      .select(['id', 'answers', 'status', 'started_at'])
      .where('invitation_id', '=', invitation.id)
      .executeTakeFirst();
    if (invitation.status === 'complete' || existing?.status === 'complete') {
      // The same answers again (a double click, a retry after a lost reply): nothing new is stored.
      if (final && existing && canonicalJson(existing.answers) === canonicalJson(answers)) {
        return {
          status: 'complete' as const,
          savedAt: deps.now.toISOString(),
          crisisResources: phq9ItemNinePositive(answers as SurveyAnswers),
          alreadySubmitted: true,
          created: false,
        };
      }
      throw alreadySubmitted();
    }
    assertOpen(invitation);
    const version = await versionOf(trx, invitation, deps.now);
    const questionnaire = version.questionnaire as Questionnaire;
    const problems = checkAnswers(questionnaire, answers, { final });
    if (problems.length > 0) throw answerProblems(problems);
    const checked = answers as SurveyAnswers;
    const key = respondentKey(deps.serverKey, invitation.survey_id, invitation.frame_id);
    const responseId = existing?.id ?? randomUUID();
    const fhir = final
      ? JSON.stringify(
          buildQuestionnaireResponse(questionnaire, checked, {
            id: responseId,
            status: 'completed',
            authored: deps.now,
            respondentKey: key,
          })
        )
      : null;
    const status = final ? ('complete' as const) : ('partial' as const);
    if (existing) {
      await trx
        .updateTable('survey_responses')
        .set({
          answers: JSON.stringify(checked),
          status,
          fhir_response: fhir,
          updated_at: deps.now,
          submitted_at: final ? deps.now : null,
        })
        .where('id', '=', existing.id)
        .execute();
    } else {
      await trx
        .insertInto('survey_responses')
        .values({
          id: responseId,
          survey_id: invitation.survey_id,
          version_id: version.id,
          invitation_id: invitation.id,
          status,
          answers: JSON.stringify(checked),
          fhir_response: fhir,
          wave: invitation.wave,
          respondent_key: key,
          started_at: deps.now,
          updated_at: deps.now,
          submitted_at: final ? deps.now : null,
        })
        .execute();
    }
    await trx
      .updateTable('survey_invitations')
      .set(final ? { status: 'complete', completed_at: deps.now } : { status: 'partial' })
      .where('id', '=', invitation.id)
      .execute();
    if (final) {
      // No reminder after the answers are in.
      await trx
        .updateTable('survey_emails')
        .set({ cancelled_at: deps.now })
        .where('invitation_id', '=', invitation.id)
        .where('sent_at', 'is', null)
        .where('gave_up_at', 'is', null)
        .where('cancelled_at', 'is', null)
        .execute();
    }
    record([
      respondentEvent(
        deps,
        existing ? 'update' : 'create',
        final ? 'survey response submitted' : 'survey response saved (partial)'
      ),
    ]);
    return {
      status,
      savedAt: deps.now.toISOString(),
      crisisResources: phq9ItemNinePositive(checked),
      alreadySubmitted: false,
      created: final,
    };
  });
}

export function saveAnswers(deps: RespondentDeps, token: string, answers: Record<string, unknown>) {
  return writeIdentified(deps, token, answers, false);
}

export function submitAnswers(deps: RespondentDeps, token: string, answers: Record<string, unknown>) {
  return writeIdentified(deps, token, answers, true);
}

/** No more e-mail to this person about this survey, from now on (every wave). Works when closed too. */
export async function optOut(deps: RespondentDeps, token: string): Promise<{ optedOut: true }> {
  return withAuditedTransaction(deps.db, deps.auditKey, deps.now, async (trx, record) => {
    const invitation = await lockInvitation(trx, token);
    await trx
      .updateTable('survey_frame_members')
      .set({ opted_out_at: deps.now })
      .where('id', '=', invitation.member_id)
      .where('opted_out_at', 'is', null)
      .execute();
    await trx
      .updateTable('survey_invitations')
      .set({ status: 'opted_out' })
      .where('frame_member_id', '=', invitation.member_id)
      .where('status', 'in', ['queued', 'sent', 'opened'])
      .execute();
    const invitations = trx
      .selectFrom('survey_invitations')
      .select('id')
      .where('frame_member_id', '=', invitation.member_id);
    await trx
      .updateTable('survey_emails')
      .set({ cancelled_at: deps.now })
      .where('invitation_id', 'in', invitations)
      .where('sent_at', 'is', null)
      .where('gave_up_at', 'is', null)
      .where('cancelled_at', 'is', null)
      .execute();
    record([respondentEvent(deps, 'update', 'survey opt-out')]);
    return { optedOut: true as const };
  });
}

// --- anonymous ---------------------------------------------------------------------------------

const unknownSlug = () =>
  problem(
    404,
    SURVEY_PROBLEM.unknownLink,
    'This survey link is not valid. Scan the code on the poster again, or ask at the reception.',
    { field: 'slug', reason: 'is not a survey link' }
  );

async function practiceLink(db: Kysely<Database> | Transaction<Database>, slug: string) {
  const link = await db
    .selectFrom('survey_practice_links as l')
    .innerJoin('surveys as s', 's.id', 'l.survey_id')
    .innerJoin('practices as p', 'p.id', 'l.practice_id')
    .select(['l.id', 'l.survey_id', 'l.wave', 's.status', 's.title', 's.kind', 'p.name as practice_name'])
    .where('l.slug', '=', slug.toLowerCase())
    .executeTakeFirst();
  if (!link || link.kind !== 'anonymous') throw unknownSlug();
  if (link.status === 'closed') throw closedSurvey();
  if (link.status !== 'open') throw notOpenSurvey();
  return link;
}

export async function anonymousQuestionnaire(
  deps: Pick<RespondentDeps, 'db'>,
  slug: string
): Promise<AnonymousQuestionnaire> {
  const link = await practiceLink(deps.db, slug);
  const version = await latestFieldedVersion(deps.db, link.survey_id);
  return {
    kind: 'anonymous',
    title: link.title,
    practiceName: link.practice_name,
    version: version.version,
    questionnaire: version.questionnaire,
  };
}

/** The start of the UTC day: an anonymous response's only time. */
export function dayOf(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

export async function submitAnonymous(
  deps: Pick<RespondentDeps, 'db' | 'now'>,
  slug: string,
  body: AnonymousSubmitBody
): Promise<AnonymousReceived & { created: boolean }> {
  if (!body.consent) {
    throw badRequest([
      {
        field: 'consent',
        reason: 'must be true: answers are stored only after the consent page is accepted',
      },
    ]);
  }
  return deps.db.transaction().execute(async (trx) => {
    const link = await practiceLink(trx, slug);
    const version = await trx
      .selectFrom('survey_versions')
      .select(['id', 'version', 'questionnaire'])
      .where('survey_id', '=', link.survey_id)
      .where('version', '=', body.version)
      .where('fielded_at', 'is not', null)
      .executeTakeFirst();
    if (!version) {
      throw badRequest([
        { field: 'version', reason: 'is not a version of this survey that has been fielded' },
      ]);
    }
    const questionnaire = version.questionnaire as Questionnaire;
    const problems = checkAnswers(questionnaire, body.answers, { final: true });
    if (problems.length > 0) throw answerProblems(problems);
    const answers = body.answers as SurveyAnswers;
    const crisisResources = phq9ItemNinePositive(answers);
    const first = await trx
      .insertInto('survey_anonymous_nonces')
      .values({ survey_id: link.survey_id, nonce_hash: hashNonce(link.survey_id, body.nonce) })
      .onConflict((oc) => oc.columns(['survey_id', 'nonce_hash']).doNothing())
      .returning('nonce_hash')
      .executeTakeFirst();
    if (!first) return { received: true as const, crisisResources, alreadySubmitted: true, created: false };
    const day = dayOf(deps.now);
    const id = randomUUID();
    await trx
      .insertInto('survey_responses')
      .values({
        id,
        survey_id: link.survey_id,
        version_id: version.id,
        practice_link_id: link.id,
        status: 'complete',
        answers: JSON.stringify(answers),
        fhir_response: JSON.stringify(
          buildQuestionnaireResponse(questionnaire, answers, { id, status: 'completed', authored: day })
        ),
        wave: link.wave,
        consent: true,
        started_at: day,
        updated_at: day,
        submitted_at: day,
      })
      .execute();
    return { received: true as const, crisisResources, alreadySubmitted: false, created: true };
  });
}
