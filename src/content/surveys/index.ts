/**
 * The GP-DEP study's three survey Questionnaires (FHIR R4, bokmål with English in the translation
 * extension), loaded from the JSON files beside this one. Imported as modules so the compiled
 * server carries them. Written for this platform; the patient-experience survey imports the
 * platform's PHQ-9 as an SDC subQuestionnaire (assemble with domain/surveys/assemble.ts).
 * docs/surveys/questionnaires.md describes the subset, the languages and the versioning rule.
 */
import type { Questionnaire } from 'fhir/r4.js';
import gpNational from './gp-national.json' with { type: 'json' };
import patientExperience from './patient-experience.json' with { type: 'json' };
import patientPreferences from './patient-preferences.json' with { type: 'json' };

export const STUDY_QUESTIONNAIRES = {
  /** "Oppfølging av deprimerte pasienter: nasjonal spørreundersøkelse blant fastleger". */
  'gp-national': gpNational as Questionnaire,
  /** The anonymous waiting-room survey of patients' preferences (no PHQ-9). */
  'patient-preferences': patientPreferences as Questionnaire,
  /** Patients' experience of being met and helped, with the PHQ-9 (modular: assemble first). */
  'patient-experience': patientExperience as Questionnaire,
} as const;

export type StudySurveyId = keyof typeof STUDY_QUESTIONNAIRES;
