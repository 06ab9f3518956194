/**
 * The linkage table: survey frame id (a pseudonym the survey data carry) → registry GP id. It is
 * kept apart from the survey dataset, and only the linkage step (registry-link.ts) reads it; what
 * that step returns are summaries by answer group, never a GP's id.
 */
export interface LinkageEntry {
  frameId: string;
  registryGpId: string;
}

export interface SurveyLinkage {
  format: 'gpdep-survey-linkage/1';
  surveyId: string;
  entries: LinkageEntry[];
}

/** Checks a parsed linkage file: the format, and each frame id once. */
export function parseLinkage(json: unknown): SurveyLinkage {
  const l = json as Partial<SurveyLinkage> | null;
  if (
    !l ||
    l.format !== 'gpdep-survey-linkage/1' ||
    !Array.isArray(l.entries) ||
    typeof l.surveyId !== 'string'
  )
    throw new Error('Not a survey linkage file (format gpdep-survey-linkage/1 with surveyId and entries)');
  const seen = new Set<string>();
  l.entries.forEach((e, i) => {
    if (typeof e?.frameId !== 'string' || typeof e.registryGpId !== 'string')
      throw new Error(`Linkage entry ${i + 1}: frameId and registryGpId must be strings`);
    if (seen.has(e.frameId)) throw new Error(`Linkage entry ${i + 1}: frame id ${e.frameId} appears twice`);
    seen.add(e.frameId);
  });
  return l as SurveyLinkage;
}
