/**
 * A survey as the analysis and the exports see it: the questionnaire version answered, the
 * sampling frame (for identified surveys) and the responses. The server builds one from the
 * database, the synthetic generator builds one from the registry twin, and the weighting,
 * linkage, report and exports read nothing else — so they run without the web server.
 */
import type { Questionnaire } from 'fhir/r4.js';
import type { SurveyAnswers } from '../domain/surveys/items.js';

/** Frame characteristics the survey reports non-response and weights by (all categorical). */
export const FRAME_ATTRIBUTES = [
  'sex',
  'age_group',
  'region',
  'rural',
  'specialist',
  'list_size_group',
] as const;
export type FrameAttribute = (typeof FRAME_ATTRIBUTES)[number];

export interface FrameMember {
  /** The frame's id for this person (the GP id in the GP survey's frame). */
  frameId: string;
  /** Categorical values, for example { sex: 'F', age_group: '40-49', region: 'Vest', rural: 'no' }. */
  attributes: Partial<Record<FrameAttribute, string>>;
}

export type ResponseStatus = 'partial' | 'complete';

export interface SurveyResponseRecord {
  /** Stable id of the response (never the invitation token). */
  responseId: string;
  /** The frame member who answered; absent in an anonymous survey. */
  frameId?: string;
  /** Stable pseudonymous respondent id that links one person's waves; absent when anonymous. */
  respondentKey?: string;
  /** Wave label: 'baseline', '6m', '12m' (a survey fielded once has one wave). */
  wave: string;
  status: ResponseStatus;
  /** ISO date-time of submission (complete) or of the last save (partial). */
  updatedAt: string;
  /** `Questionnaire.version` the response answered. */
  questionnaireVersion: string;
  answers: SurveyAnswers;
}

export interface SurveyDataset {
  surveyId: string;
  /** The questionnaire version the export and labels follow (the latest fielded one). */
  questionnaire: Questionnaire;
  /** The sampling frame; empty for an anonymous survey. */
  frame: readonly FrameMember[];
  responses: readonly SurveyResponseRecord[];
}
