/**
 * The synthetic GP survey of a registry twin: its GPs as the frame (twin-frame.ts, frame.ts),
 * responses with planted truth (plant.ts), and the linkage table kept apart from both.
 */
import type { Questionnaire } from 'fhir/r4.js';
import type { SurveyLinkage } from '../analyze/linkage-table.js';
import { frameFromRegistry } from './frame.js';
import { plantSurvey, type PlantedSurvey } from './plant.js';
import { readTwinGps } from './twin-frame.js';

export interface TwinSurveyOptions {
  twinDir: string;
  seed: number;
  questionnaire: Questionnaire;
  surveyId?: string;
  /** Default: 1 June of the twin's last year (the GPs' planted effects are for the data years). */
  surveyDate?: string;
  responseRate?: number;
}

export interface TwinSurvey extends PlantedSurvey {
  linkage: SurveyLinkage;
}

export async function generateTwinSurvey(options: TwinSurveyOptions): Promise<TwinSurvey> {
  const { gps, years } = await readTwinGps(options.twinDir);
  const surveyDate = options.surveyDate ?? `${years?.[1] ?? 2016}-06-01`;
  const surveyId = options.surveyId ?? options.questionnaire.id ?? 'gp-national';
  const missing = gps.filter((g) => g.uTalk === undefined).length;
  if (missing) throw new Error(`${missing} GPs of the twin have no u.talk in truth.json`);
  const { members, linkage } = frameFromRegistry(gps, { surveyDate, seed: options.seed });
  const planted = plantSurvey(members, {
    seed: options.seed,
    surveyId,
    questionnaire: options.questionnaire,
    surveyDate,
    ...(options.responseRate === undefined ? {} : { responseRate: options.responseRate }),
  });
  return { ...planted, linkage: { format: 'gpdep-survey-linkage/1', surveyId, entries: linkage } };
}
