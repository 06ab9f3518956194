/**
 * A survey as the analysis and the exports read it (src/surveys/dataset.ts), loaded from the
 * survey tables: the questionnaire version, the frame members' attributes (identified surveys; an
 * anonymous survey has an empty frame) and the complete and partial responses with their wave,
 * pseudonymous respondent key and questionnaire version.
 *
 * As in the registry layer, nothing here computes a statistic: this module only reads rows and
 * lays them out; weighting, shares, suppression and exports happen in src/surveys/. It never reads
 * e-mail addresses, tokens or the linkage table (server/surveys/linkage.queries.ts holds that).
 */
import type { Questionnaire } from 'fhir/r4.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { SurveyAnswers } from '../../domain/surveys/items.js';
import type { FrameMember, SurveyDataset, SurveyResponseRecord } from '../../surveys/dataset.js';

export interface LoadDatasetOptions {
  /**
   * A questionnaire version (`Questionnaire.version`, as responses name it): the dataset then holds that version's questionnaire and only the
   * responses to it. Default: the latest fielded version (the latest version when none is
   * fielded yet) and every response.
   */
  version?: string;
}

export interface SurveyFacts {
  id: string;
  kind: 'identified' | 'anonymous';
  title: string;
  status: 'draft' | 'open' | 'closed';
  /** Every version (`Questionnaire.version`), in the order saved. */
  versions: string[];
}

/** The survey's kind, title, status and versions; null when there is no such survey. */
export async function loadSurveyFacts(db: Kysely<Database>, surveyId: string): Promise<SurveyFacts | null> {
  const survey = await db
    .selectFrom('surveys')
    .select(['id', 'kind', 'title', 'status'])
    .where('id', '=', surveyId)
    .executeTakeFirst();
  if (!survey) return null;
  const versions = await db
    .selectFrom('survey_versions')
    .select('version')
    .where('survey_id', '=', surveyId)
    .orderBy('sequence')
    .execute();
  return { ...survey, versions: versions.map((v) => v.version) };
}

function iso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

/**
 * The dataset of one survey; null when the survey (or the requested version) does not exist.
 * Responses are in a stable order (by their time, then id), so two loads give the same export.
 */
export async function loadSurveyDataset(
  db: Kysely<Database>,
  surveyId: string,
  options: LoadDatasetOptions = {}
): Promise<SurveyDataset | null> {
  const survey = await db
    .selectFrom('surveys')
    .select(['id', 'kind'])
    .where('id', '=', surveyId)
    .executeTakeFirst();
  if (!survey) return null;
  const versions = await db
    .selectFrom('survey_versions')
    .select(['id', 'version', 'questionnaire', 'fielded_at'])
    .where('survey_id', '=', surveyId)
    .orderBy('sequence', 'desc')
    .execute();
  const chosen =
    options.version === undefined
      ? (versions.find((v) => v.fielded_at !== null) ?? versions[0])
      : versions.find((v) => v.version === options.version);
  if (!chosen) return null;
  const versionOf = new Map(versions.map((v) => [v.id, v.version]));

  const frameRows =
    survey.kind === 'identified'
      ? await db
          .selectFrom('survey_frame_members')
          .select(['frame_id', 'attributes'])
          .where('survey_id', '=', surveyId)
          .orderBy('frame_id')
          .execute()
      : [];
  const frame: FrameMember[] = frameRows.map((m) => ({
    frameId: m.frame_id,
    attributes: { ...(m.attributes ?? {}) },
  }));

  let responseQuery = db
    .selectFrom('survey_responses as r')
    .leftJoin('survey_invitations as i', 'i.id', 'r.invitation_id')
    .leftJoin('survey_frame_members as m', 'm.id', 'i.frame_member_id')
    .select([
      'r.id',
      'r.status',
      'r.answers',
      'r.wave',
      'r.respondent_key',
      'r.updated_at',
      'r.submitted_at',
      'r.version_id',
      'm.frame_id',
    ])
    .where('r.survey_id', '=', surveyId);
  if (options.version !== undefined) responseQuery = responseQuery.where('r.version_id', '=', chosen.id);
  const rows = await responseQuery.orderBy('r.updated_at').orderBy('r.id').execute();

  const responses = rows.map((r): SurveyResponseRecord => ({
    responseId: r.id,
    ...(r.frame_id === null ? {} : { frameId: r.frame_id }),
    ...(r.respondent_key === null ? {} : { respondentKey: r.respondent_key }),
    wave: r.wave,
    status: r.status,
    updatedAt: iso(r.submitted_at ?? r.updated_at),
    questionnaireVersion: versionOf.get(r.version_id)!,
    answers: (r.answers ?? {}) as SurveyAnswers,
  }));
  return {
    surveyId,
    questionnaire: chosen.questionnaire as Questionnaire,
    frame,
    responses,
  };
}
