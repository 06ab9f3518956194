/** The user group's calls (issue 15): its studies, what is shared with it, and its comments. */
import type {
  CommentBody,
  ShareList,
  ShareView,
  UserGroupComment,
  UserGroupStudies,
} from '../../../contract/qualitative-stc.js';
import { apiRequest } from '../../api/client.js';

export type { ShareList, ShareView, UserGroupComment, UserGroupStudies };

const enc = encodeURIComponent;
const BASE = '/api/research/qualitative/studies';

export const userGroupApi = {
  studies: (signal: AbortSignal) =>
    apiRequest<UserGroupStudies>('GET', '/api/user-group/studies', { signal }),
  shares: (studyId: string, signal: AbortSignal) =>
    apiRequest<ShareList>('GET', `${BASE}/${enc(studyId)}/shares`, { signal }),
  share: (studyId: string, shareId: string, signal: AbortSignal) =>
    apiRequest<ShareView>('GET', `${BASE}/${enc(studyId)}/shares/${enc(shareId)}`, { signal }),
  comment: (studyId: string, shareId: string, body: CommentBody) =>
    apiRequest<UserGroupComment>('POST', `${BASE}/${enc(studyId)}/shares/${enc(shareId)}/comments`, { body }),
};
