/** The researcher's survey calls, loaded with the research face's chunk. */
import type {
  FrameImportReport,
  InvitationsCreated,
  SurveyDetail,
  SurveyList,
  SurveyMonitoring,
} from '../../../../contract/surveys.js';
import { apiRequest } from '../../../api/client.js';

export type { FrameImportReport, InvitationsCreated, SurveyDetail, SurveyList, SurveyMonitoring };

const enc = encodeURIComponent;
const signalOf = (signal?: AbortSignal) => (signal ? { signal } : {});

export const surveysApi = {
  list: (signal?: AbortSignal) => apiRequest<SurveyList>('GET', '/api/research/surveys', signalOf(signal)),
  detail: (surveyId: string, signal?: AbortSignal) =>
    apiRequest<SurveyDetail>('GET', `/api/research/surveys/${enc(surveyId)}`, signalOf(signal)),
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
  invite: (surveyId: string) =>
    apiRequest<InvitationsCreated>('POST', `/api/research/surveys/${enc(surveyId)}/invitations`, {
      body: {},
    }),
};
