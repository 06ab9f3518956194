/**
 * The researcher's reads of surveys: the list, one survey with its versions and practice links,
 * and one version's questionnaire. Each read is audited (no patient: `patientIds: [null]`).
 * Nothing here returns a frame member, an e-mail address or an answer.
 */
import type { Selectable } from 'kysely';
import type { Questionnaire } from 'fhir/r4.js';
import type {
  PracticeLink,
  ResearchPracticeList,
  SurveyDetail,
  SurveyList,
  SurveySummary,
  SurveyVersionDetail,
} from '../../contract/surveys.js';
import type { SurveysTable } from '../../db/schema.js';
import type { DataContext } from '../access/data-context.js';
import { notFound } from '../problem.js';
import { questionCount } from './questionnaire-intake.js';

const iso = (value: Date | string | null): string | null =>
  value === null ? null : new Date(value).toISOString();

export function toSurveySummary(row: Selectable<SurveysTable>, latestVersion: string): SurveySummary {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    status: row.status,
    reminderDays: row.reminder_days,
    sendRatePerMinute: row.send_rate_per_minute,
    createdAt: new Date(row.created_at).toISOString(),
    openedAt: iso(row.opened_at),
    closedAt: iso(row.closed_at),
    latestVersion,
  };
}

/** Where a practice link sends the respondent (the web app's anonymous survey page). */
export function practiceLinkPath(slug: string): string {
  return `/undersokelse/${slug}`;
}

export async function listSurveys(ctx: DataContext): Promise<SurveyList> {
  const rows = await ctx.db
    .selectFrom('surveys as s')
    .selectAll('s')
    .select((eb) =>
      eb
        .selectFrom('survey_versions as v')
        .select('v.version')
        .whereRef('v.survey_id', '=', 's.id')
        .orderBy('v.sequence', 'desc')
        .limit(1)
        .as('latest')
    )
    .orderBy('s.created_at', 'desc')
    .execute();
  await ctx.recordRead({ action: 'read', dataCategory: 'surveys', patientIds: [null] });
  return { items: rows.map((row) => toSurveySummary(row, row.latest ?? '')) };
}

/**
 * The platform's practices by name, for the researcher's practice links (a waiting-room poster is
 * made per practice). Names and ids only: no GP, no patient.
 */
export async function listPracticesForLinks(ctx: DataContext): Promise<ResearchPracticeList> {
  const rows = await ctx.db.selectFrom('practices').select(['id', 'name']).orderBy('name').execute();
  await ctx.recordRead({ action: 'read', dataCategory: 'survey practices', patientIds: [null] });
  return { items: rows };
}

export async function getSurvey(
  ctx: DataContext,
  surveyId: string,
  publicUrl: string
): Promise<SurveyDetail> {
  const survey = await ctx.db.selectFrom('surveys').selectAll().where('id', '=', surveyId).executeTakeFirst();
  if (!survey) throw notFound();
  const versions = await ctx.db
    .selectFrom('survey_versions')
    .select(['sequence', 'version', 'fingerprint', 'created_at', 'fielded_at', 'questionnaire'])
    .where('survey_id', '=', surveyId)
    .orderBy('sequence')
    .execute();
  const frame = await ctx.db
    .selectFrom('survey_frame_members')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('survey_id', '=', surveyId)
    .executeTakeFirstOrThrow();
  const links = await ctx.db
    .selectFrom('survey_practice_links as l')
    .innerJoin('practices as p', 'p.id', 'l.practice_id')
    .select(['l.practice_id', 'p.name', 'l.wave', 'l.slug'])
    .where('l.survey_id', '=', surveyId)
    .orderBy('p.name')
    .orderBy('l.wave')
    .execute();
  await ctx.recordRead({ action: 'read', dataCategory: 'survey', patientIds: [null] });
  return {
    survey: toSurveySummary(survey, versions.at(-1)?.version ?? ''),
    versions: versions.map((v) => ({
      sequence: v.sequence,
      version: v.version,
      fingerprint: v.fingerprint,
      createdAt: new Date(v.created_at).toISOString(),
      fieldedAt: iso(v.fielded_at),
      questions: questionCount(v.questionnaire as Questionnaire),
    })),
    frameSize: Number(frame.n),
    practiceLinks: links.map((l) => toPracticeLink(l, publicUrl)),
  };
}

export function toPracticeLink(
  link: { practice_id: string; name: string; wave: string; slug: string },
  publicUrl: string
): PracticeLink {
  const path = practiceLinkPath(link.slug);
  return {
    practiceId: link.practice_id,
    practiceName: link.name,
    wave: link.wave,
    slug: link.slug,
    path,
    url: `${publicUrl.replace(/\/$/, '')}${path}`,
  };
}

export async function getSurveyVersion(
  ctx: DataContext,
  surveyId: string,
  version: string
): Promise<SurveyVersionDetail> {
  const row = await ctx.db
    .selectFrom('survey_versions')
    .select(['sequence', 'version', 'fingerprint', 'fielded_at', 'questionnaire'])
    .where('survey_id', '=', surveyId)
    .where('version', '=', version)
    .executeTakeFirst();
  if (!row) throw notFound();
  await ctx.recordRead({ action: 'read', dataCategory: 'survey questionnaire version', patientIds: [null] });
  return {
    sequence: row.sequence,
    version: row.version,
    fingerprint: row.fingerprint,
    fieldedAt: iso(row.fielded_at),
    questionnaire: row.questionnaire,
  };
}
