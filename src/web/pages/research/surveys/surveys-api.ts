/** The researcher's survey calls, loaded with the research face's chunk. */
import type {
  CreateSurveyBody,
  FrameImportReport,
  InvitationsCreated,
  PracticeLink,
  ResearchPracticeList,
  SurveyDetail,
  SurveyList,
  SurveyMonitoring,
  SurveySummary,
  SurveyVersionResult,
} from '../../../../contract/surveys.js';
import { apiRequest } from '../../../api/client.js';

export type {
  CreateSurveyBody,
  FrameImportReport,
  InvitationsCreated,
  PracticeLink,
  ResearchPracticeList,
  SurveyDetail,
  SurveyList,
  SurveyMonitoring,
  SurveySummary,
  SurveyVersionResult,
};

const enc = encodeURIComponent;
const signalOf = (signal?: AbortSignal) => (signal ? { signal } : {});

export const surveysApi = {
  list: (signal?: AbortSignal) => apiRequest<SurveyList>('GET', '/api/research/surveys', signalOf(signal)),
  create: (body: CreateSurveyBody) => apiRequest<SurveySummary>('POST', '/api/research/surveys', { body }),
  detail: (surveyId: string, signal?: AbortSignal) =>
    apiRequest<SurveyDetail>('GET', `/api/research/surveys/${enc(surveyId)}`, signalOf(signal)),
  putQuestionnaire: (surveyId: string, questionnaire: CreateSurveyBody['questionnaire']) =>
    apiRequest<SurveyVersionResult>('PUT', `/api/research/surveys/${enc(surveyId)}/questionnaire`, {
      body: { questionnaire },
    }),
  monitoring: (surveyId: string, signal?: AbortSignal) =>
    apiRequest<SurveyMonitoring>(
      'GET',
      `/api/research/surveys/${enc(surveyId)}/monitoring`,
      signalOf(signal)
    ),
  open: (surveyId: string) => apiRequest<unknown>('POST', `/api/research/surveys/${enc(surveyId)}/open`),
  close: (surveyId: string) => apiRequest<unknown>('POST', `/api/research/surveys/${enc(surveyId)}/close`),
  importFrame: (surveyId: string, csv: string, dryRun: boolean) =>
    apiRequest<FrameImportReport>('POST', `/api/research/surveys/${enc(surveyId)}/frame`, {
      body: { csv, dryRun },
    }),
  /** Invites every frame member not yet invited to `wave` (the server's default wave when omitted). */
  invite: (surveyId: string, wave?: string) =>
    apiRequest<InvitationsCreated>('POST', `/api/research/surveys/${enc(surveyId)}/invitations`, {
      body: wave ? { wave } : {},
    }),
  practices: (signal?: AbortSignal) =>
    apiRequest<ResearchPracticeList>('GET', '/api/research/practices', signalOf(signal)),
  createPracticeLink: (surveyId: string, practiceId: string, wave?: string) =>
    apiRequest<PracticeLink>('POST', `/api/research/surveys/${enc(surveyId)}/practice-links`, {
      body: wave ? { practiceId, wave } : { practiceId },
    }),
};
