/** The researcher's calls to the qualitative workspace (issue 15), loaded with the research chunk. */
import type {
  AgreementView,
  Codebook,
  CodeView,
  CodingList,
  CodingView,
  CreateCodeBody,
  CreateMemoBody,
  MergeCodeResult,
  UpdateCodeBody,
  MemoList,
  MemoView,
} from '../../../../contract/qualitative-coding.js';
import type {
  DecideBody,
  DecisionsRecorded,
  ImportSourceBody,
  SearchResult,
  SourceReview,
  SourceSummary,
  SourceText,
  StudyDetail,
  StudyList,
  WithdrawalRecord,
} from '../../../../contract/qualitative.js';
import type {
  SentenceTrace,
  ShareList,
  ShareView,
  StcAnalysisView,
  StcDocument,
  StcList,
  StcSummary,
} from '../../../../contract/qualitative-stc.js';
import type { RefiImportBody, RefiImportResult } from '../../../../contract/qualitative-exchange.js';
import { apiRequest } from '../../../api/client.js';

export type {
  AgreementView,
  Codebook,
  CodeView,
  CodingList,
  CodingView,
  DecideBody,
  MemoView,
  SearchResult,
  SentenceTrace,
  ShareList,
  ShareView,
  SourceReview,
  SourceText,
  StcAnalysisView,
  StcDocument,
  StcList,
  StudyDetail,
  StudyList,
  WithdrawalRecord,
};

const enc = encodeURIComponent;
const BASE = '/api/research/qualitative/studies';
const study = (studyId: string) => `${BASE}/${enc(studyId)}`;
const source = (studyId: string, sourceId: string) => `${study(studyId)}/sources/${enc(sourceId)}`;

export const qualitativeApi = {
  studies: (signal: AbortSignal) => apiRequest<StudyList>('GET', BASE, { signal }),
  study: (studyId: string, signal: AbortSignal) => apiRequest<StudyDetail>('GET', study(studyId), { signal }),
  source: (studyId: string, sourceId: string, signal: AbortSignal) =>
    apiRequest<SourceText>('GET', source(studyId, sourceId), { signal }),
  codings: (studyId: string, sourceId: string, signal: AbortSignal, coder: 'me' | 'all' = 'me') =>
    apiRequest<CodingList>('GET', `${source(studyId, sourceId)}/codings?coder=${coder}`, { signal }),
  codebook: (studyId: string, signal: AbortSignal) =>
    apiRequest<Codebook>('GET', `${study(studyId)}/codes`, { signal }),
  search: (studyId: string, q: string, signal: AbortSignal) =>
    apiRequest<SearchResult>('GET', `${study(studyId)}/search?q=${enc(q)}&limit=50`, { signal }),
  analyses: (studyId: string, signal: AbortSignal) =>
    apiRequest<StcList>('GET', `${study(studyId)}/stc`, { signal }),
  analysis: (studyId: string, analysisId: string, signal: AbortSignal) =>
    apiRequest<StcAnalysisView>('GET', `${study(studyId)}/stc/${enc(analysisId)}`, { signal }),
  shares: (studyId: string, signal: AbortSignal) =>
    apiRequest<ShareList>('GET', `${study(studyId)}/shares`, { signal }),
  share: (studyId: string, shareId: string, signal: AbortSignal) =>
    apiRequest<ShareView>('GET', `${study(studyId)}/shares/${enc(shareId)}`, { signal }),
  agreement: (studyId: string, coderIds: readonly string[], signal: AbortSignal) =>
    apiRequest<AgreementView>('GET', `${study(studyId)}/agreement?coders=${coderIds.join(',')}`, { signal }),
  review: (studyId: string, sourceId: string, signal: AbortSignal) =>
    apiRequest<SourceReview>('GET', `${source(studyId, sourceId)}/review`, { signal }),
  memos: (studyId: string, sourceId: string, signal: AbortSignal) =>
    apiRequest<MemoList>('GET', `${study(studyId)}/memos?sourceId=${enc(sourceId)}`, { signal }),

  importSource: (studyId: string, body: ImportSourceBody) =>
    apiRequest<SourceSummary>('POST', `${study(studyId)}/sources`, { body }),
  importProject: (studyId: string, body: RefiImportBody) =>
    apiRequest<RefiImportResult>('POST', `${study(studyId)}/refi-import`, { body }),
  decide: (studyId: string, sourceId: string, body: DecideBody) =>
    apiRequest<DecisionsRecorded>('POST', `${source(studyId, sourceId)}/decisions`, { body }),
  applyReview: (studyId: string, sourceId: string) =>
    apiRequest<SourceReview>('POST', `${source(studyId, sourceId)}/apply`, {}),
  withdraw: (studyId: string, participantId: string) =>
    apiRequest<WithdrawalRecord>('POST', `${study(studyId)}/participants/${enc(participantId)}/withdraw`, {}),
  updateCode: (studyId: string, codeId: string, body: UpdateCodeBody) =>
    apiRequest<CodeView>('PATCH', `${study(studyId)}/codes/${enc(codeId)}`, { body }),
  mergeCode: (studyId: string, codeId: string, intoCodeId: string) =>
    apiRequest<MergeCodeResult>('POST', `${study(studyId)}/codes/${enc(codeId)}/merge`, {
      body: { intoCodeId },
    }),
  codeMemos: (studyId: string, codeId: string, signal: AbortSignal) =>
    apiRequest<MemoList>('GET', `${study(studyId)}/memos?codeId=${enc(codeId)}`, { signal }),
  createCode: (studyId: string, body: CreateCodeBody) =>
    apiRequest<CodeView>('POST', `${study(studyId)}/codes`, { body }),
  code: (studyId: string, sourceId: string, body: { codeId: string; start: number; end: number }) =>
    apiRequest<CodingView>('POST', `${source(studyId, sourceId)}/codings`, { body }),
  uncode: (studyId: string, sourceId: string, codingId: string) =>
    apiRequest<null>('DELETE', `${source(studyId, sourceId)}/codings/${enc(codingId)}`, {}),
  createMemo: (studyId: string, body: CreateMemoBody) =>
    apiRequest<MemoView>('POST', `${study(studyId)}/memos`, { body }),
  createAnalysis: (studyId: string, title: string) =>
    apiRequest<StcSummary>('POST', `${study(studyId)}/stc`, { body: { title } }),
  saveAnalysis: (
    studyId: string,
    analysisId: string,
    body: { revision: number; title: string; document: StcDocument }
  ) => apiRequest<StcSummary>('PUT', `${study(studyId)}/stc/${enc(analysisId)}`, { body }),
  trace: (studyId: string, analysisId: string, paragraph: string, sentence: number, signal: AbortSignal) =>
    apiRequest<SentenceTrace>(
      'GET',
      `${study(studyId)}/stc/${enc(analysisId)}/trace?paragraph=${enc(paragraph)}&sentence=${sentence}`,
      { signal }
    ),
  shareSynthesis: (studyId: string, analysisId: string, message: string) =>
    apiRequest<ShareView>('POST', `${study(studyId)}/stc/${enc(analysisId)}/shares`, { body: { message } }),
};
