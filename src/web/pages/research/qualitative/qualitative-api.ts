/** The researcher's calls to the qualitative workspace (issue 15), loaded with the research chunk. */
import type { CodingList, Codebook, AgreementView } from '../../../../contract/qualitative-coding.js';
import type { ShareList, ShareView, StcList } from '../../../../contract/qualitative-stc.js';
import type { SearchResult, SourceText, StudyDetail, StudyList } from '../../../../contract/qualitative.js';
import { apiRequest } from '../../../api/client.js';

export type {
  AgreementView,
  Codebook,
  CodingList,
  SearchResult,
  ShareList,
  ShareView,
  SourceText,
  StcList,
  StudyDetail,
  StudyList,
};

const enc = encodeURIComponent;
const BASE = '/api/research/qualitative/studies';

export const qualitativeApi = {
  studies: (signal: AbortSignal) => apiRequest<StudyList>('GET', BASE, { signal }),
  study: (studyId: string, signal: AbortSignal) =>
    apiRequest<StudyDetail>('GET', `${BASE}/${enc(studyId)}`, { signal }),
  source: (studyId: string, sourceId: string, signal: AbortSignal) =>
    apiRequest<SourceText>('GET', `${BASE}/${enc(studyId)}/sources/${enc(sourceId)}`, { signal }),
  codings: (studyId: string, sourceId: string, signal: AbortSignal) =>
    apiRequest<CodingList>('GET', `${BASE}/${enc(studyId)}/sources/${enc(sourceId)}/codings`, { signal }),
  codebook: (studyId: string, signal: AbortSignal) =>
    apiRequest<Codebook>('GET', `${BASE}/${enc(studyId)}/codes`, { signal }),
  search: (studyId: string, q: string, signal: AbortSignal) =>
    apiRequest<SearchResult>('GET', `${BASE}/${enc(studyId)}/search?q=${enc(q)}&limit=50`, { signal }),
  analyses: (studyId: string, signal: AbortSignal) =>
    apiRequest<StcList>('GET', `${BASE}/${enc(studyId)}/stc`, { signal }),
  shares: (studyId: string, signal: AbortSignal) =>
    apiRequest<ShareList>('GET', `${BASE}/${enc(studyId)}/shares`, { signal }),
  share: (studyId: string, shareId: string, signal: AbortSignal) =>
    apiRequest<ShareView>('GET', `${BASE}/${enc(studyId)}/shares/${enc(shareId)}`, { signal }),
};
