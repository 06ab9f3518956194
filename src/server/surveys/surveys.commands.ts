/**
 * The researcher's survey use cases (issue 14, "Questionnaires as data: versioned"): create a
 * survey from a Questionnaire, put a new questionnaire (a fielded version is never changed: the
 * edit becomes the next version; an unfielded draft version is replaced in place; the same content
 * changes nothing), open and close. Each writes and audits in one transaction.
 *
 * Opening fields the latest version (stamps `fielded_at`); a version added while the survey is
 * open is fielded at once, and respondents who already opened an earlier version keep it. The
 * version is the questionnaire's own `version`; `sequence` numbers a survey's versions 1, 2, 3 …
 */
import type { Transaction } from 'kysely';
import type { CreateSurveyBody, SurveySummary, SurveyVersionResult } from '../../contract/surveys.js';
import type { Database } from '../../db/schema.js';
import type { DataContext } from '../access/data-context.js';
import { decideVersion } from '../../domain/surveys/version.js';
import { badRequest, HttpProblem, notFound } from '../problem.js';
import { takeQuestionnaire } from './questionnaire-intake.js';
import { toSurveySummary } from './surveys.queries.js';

const DEFAULT_REMINDER_DAYS = [7, 14];

/** Locks the survey row for the rest of the transaction; 404 when there is none. */
export async function lockSurvey(trx: Transaction<Database>, surveyId: string) {
  const survey = await trx
    .selectFrom('surveys')
    .selectAll()
    .where('id', '=', surveyId)
    .forUpdate()
    .executeTakeFirst();
  if (!survey) throw notFound();
  return survey;
}

async function storedVersions(trx: Transaction<Database>, surveyId: string) {
  return trx
    .selectFrom('survey_versions')
    .select(['id', 'sequence', 'version', 'fingerprint', 'fielded_at', 'questionnaire'])
    .where('survey_id', '=', surveyId)
    .orderBy('sequence')
    .execute();
}

export async function createSurvey(ctx: DataContext, body: CreateSurveyBody): Promise<SurveySummary> {
  const taken = takeQuestionnaire(body.questionnaire);
  return ctx.withAudit(async (trx, audit) => {
    const survey = await trx
      .insertInto('surveys')
      .values({
        kind: body.kind,
        title: body.title,
        reminder_days: JSON.stringify(body.reminderDays ?? DEFAULT_REMINDER_DAYS),
        ...(body.sendRatePerMinute === undefined ? {} : { send_rate_per_minute: body.sendRatePerMinute }),
        created_by: ctx.actor.userId,
        created_at: ctx.now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('survey_versions')
      .values({
        survey_id: survey.id,
        sequence: 1,
        version: taken.questionnaire.version,
        questionnaire: JSON.stringify(taken.questionnaire),
        fingerprint: taken.fingerprint,
        created_by: ctx.actor.userId,
        created_at: ctx.now,
      })
      .execute();
    audit({ action: 'create', dataCategory: 'survey', patientIds: [null] });
    return toSurveySummary(survey, taken.questionnaire.version);
  });
}

/**
 * Saves a questionnaire as the survey's next version, as domain/surveys/version.ts decides: the
 * same content changes nothing; a version not yet fielded is replaced in place; a new version
 * string is added; and an edit that keeps the version string of a fielded questionnaire is stored
 * as the next version (the one the rule suggests), never over the fielded one.
 */
export async function putQuestionnaire(
  ctx: DataContext,
  surveyId: string,
  raw: unknown
): Promise<SurveyVersionResult> {
  const taken = takeQuestionnaire(raw);
  return ctx.withAudit(async (trx, audit) => {
    const survey = await lockSurvey(trx, surveyId);
    const stored = await storedVersions(trx, surveyId);
    const url = (stored[0]?.questionnaire as { url?: string } | undefined)?.url;
    if (url !== undefined && url !== taken.questionnaire.url) {
      throw badRequest([
        {
          field: 'questionnaire.url',
          reason: `must stay "${url}" for every version of this survey (another questionnaire is another survey)`,
        },
      ]);
    }
    const decision = decideVersion(
      stored.map((v) => ({
        version: v.version,
        fingerprint: v.fingerprint,
        fielded: v.fielded_at !== null,
      })),
      { version: taken.questionnaire.version, fingerprint: taken.fingerprint }
    );
    if (!decision.allowed && decision.reason === 'version-not-later') {
      throw badRequest([{ field: 'questionnaire.version', reason: decision.message }]);
    }
    if (decision.allowed && decision.action === 'unchanged') {
      const same = stored.find((v) => v.version === decision.version)!;
      return {
        version: same.version,
        sequence: same.sequence,
        outcome: 'unchanged' as const,
        fingerprint: same.fingerprint,
        note: null,
      };
    }
    if (decision.allowed && decision.action === 'replace-draft') {
      // Never fielded: nobody has been sent it, so the draft is simply replaced.
      const draft = stored.find((v) => v.version === decision.version)!;
      await trx
        .updateTable('survey_versions')
        .set({
          questionnaire: JSON.stringify(taken.questionnaire),
          fingerprint: taken.fingerprint,
          created_by: ctx.actor.userId,
          created_at: ctx.now,
        })
        .where('id', '=', draft.id)
        .where('fielded_at', 'is', null)
        .execute();
      audit({ action: 'update', dataCategory: 'survey questionnaire (draft version)', patientIds: [null] });
      return {
        version: draft.version,
        sequence: draft.sequence,
        outcome: 'replaced' as const,
        fingerprint: taken.fingerprint,
        note: null,
      };
    }
    // A new version: the one given, or (a fielded version edited in place) the next one.
    const version = decision.allowed ? decision.version : decision.suggestedVersion;
    const note = decision.allowed
      ? null
      : `version "${decision.version}" has been fielded, so this edit is saved as version "${version}"; answers already given keep the version they answered`;
    const questionnaire = { ...taken.questionnaire, version };
    const sequence = (stored.at(-1)?.sequence ?? 0) + 1;
    await trx
      .insertInto('survey_versions')
      .values({
        survey_id: surveyId,
        sequence,
        version,
        questionnaire: JSON.stringify(questionnaire),
        fingerprint: taken.fingerprint,
        created_by: ctx.actor.userId,
        created_at: ctx.now,
        // An open survey fields its new version at once; new respondents get it.
        fielded_at: survey.status === 'open' ? ctx.now : null,
      })
      .execute();
    audit({ action: 'create', dataCategory: 'survey questionnaire version', patientIds: [null] });
    return { version, sequence, outcome: 'created' as const, fingerprint: taken.fingerprint, note };
  });
}

export async function openSurvey(ctx: DataContext, surveyId: string): Promise<SurveySummary> {
  return ctx.withAudit(async (trx, audit) => {
    const survey = await lockSurvey(trx, surveyId);
    const latest = (await storedVersions(trx, surveyId)).at(-1);
    if (!latest) throw new HttpProblem(409, 'Conflict', 'The survey has no questionnaire to field.');
    if (survey.status === 'open') return toSurveySummary(survey, latest.version);
    if (!latest.fielded_at) {
      await trx
        .updateTable('survey_versions')
        .set({ fielded_at: ctx.now })
        .where('id', '=', latest.id)
        .execute();
    }
    const updated = await trx
      .updateTable('surveys')
      .set({ status: 'open', opened_at: survey.opened_at ?? ctx.now, closed_at: null })
      .where('id', '=', surveyId)
      .returningAll()
      .executeTakeFirstOrThrow();
    audit({ action: 'update', dataCategory: 'survey opened', patientIds: [null] });
    return toSurveySummary(updated, latest.version);
  });
}

export async function closeSurvey(ctx: DataContext, surveyId: string): Promise<SurveySummary> {
  return ctx.withAudit(async (trx, audit) => {
    const survey = await lockSurvey(trx, surveyId);
    const latest = (await storedVersions(trx, surveyId)).at(-1);
    if (survey.status === 'draft') {
      throw new HttpProblem(409, 'Conflict', 'The survey was never opened, so it cannot be closed.');
    }
    if (survey.status === 'closed') return toSurveySummary(survey, latest?.version ?? '');
    // E-mail waiting in the outbox stays there: the mailer sends nothing for a closed survey,
    // and a survey opened again sends what was waiting.
    const updated = await trx
      .updateTable('surveys')
      .set({ status: 'closed', closed_at: ctx.now })
      .where('id', '=', surveyId)
      .returningAll()
      .executeTakeFirstOrThrow();
    audit({ action: 'update', dataCategory: 'survey closed', patientIds: [null] });
    return toSurveySummary(updated, latest?.version ?? '');
  });
}
