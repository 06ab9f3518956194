/**
 * The one reader of `survey_linkage_keys` (frame id ↔ pseudonymous registry key): the linkage
 * step of the analysis asks for it here, in the format src/surveys/analyze/linkage-table.ts reads,
 * and keeps it apart from the survey data. No route returns it. A test checks that no other module
 * of the server names the table (except the frame import, which writes it).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

export interface SurveyLinkageFile {
  format: 'gpdep-survey-linkage/1';
  surveyId: string;
  entries: { frameId: string; registryGpId: string }[];
}

export async function surveyLinkage(db: Kysely<Database>, surveyId: string): Promise<SurveyLinkageFile> {
  const rows = await db
    .selectFrom('survey_linkage_keys')
    .select(['frame_id', 'registry_key'])
    .where('survey_id', '=', surveyId)
    .orderBy('frame_id')
    .execute();
  return {
    format: 'gpdep-survey-linkage/1',
    surveyId,
    entries: rows.map((r) => ({ frameId: r.frame_id, registryGpId: r.registry_key })),
  };
}
