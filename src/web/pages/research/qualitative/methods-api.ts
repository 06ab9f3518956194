/** The researcher's calls for the framework method and reflexive thematic analysis (issue 15). */
import type {
  CellQuotes,
  FrameworkView,
  MethodList,
  MethodSummary,
  SaveFrameworkBody,
  SaveThematicBody,
  ThematicView,
} from '../../../../contract/qualitative-methods.js';
import { apiRequest } from '../../../api/client.js';

const enc = encodeURIComponent;
const study = (studyId: string) => `/api/research/qualitative/studies/${enc(studyId)}`;

export const methodsApi = {
  list: (studyId: string, signal: AbortSignal) =>
    apiRequest<MethodList>('GET', `${study(studyId)}/methods`, { signal }),
  create: (studyId: string, method: 'framework' | 'thematic', title: string) =>
    apiRequest<MethodSummary>('POST', `${study(studyId)}/${method}`, { body: { title } }),
  framework: (studyId: string, id: string, signal: AbortSignal) =>
    apiRequest<FrameworkView>('GET', `${study(studyId)}/framework/${enc(id)}`, { signal }),
  saveFramework: (studyId: string, id: string, body: SaveFrameworkBody) =>
    apiRequest<MethodSummary>('PUT', `${study(studyId)}/framework/${enc(id)}`, { body }),
  cell: (studyId: string, id: string, caseId: string, themeId: string, signal: AbortSignal) =>
    apiRequest<CellQuotes>(
      'GET',
      `${study(studyId)}/framework/${enc(id)}/cell?case=${enc(caseId)}&theme=${enc(themeId)}`,
      { signal }
    ),
  thematic: (studyId: string, id: string, signal: AbortSignal) =>
    apiRequest<ThematicView>('GET', `${study(studyId)}/thematic/${enc(id)}`, { signal }),
  saveThematic: (studyId: string, id: string, body: SaveThematicBody) =>
    apiRequest<MethodSummary>('PUT', `${study(studyId)}/thematic/${enc(id)}`, { body }),
};
