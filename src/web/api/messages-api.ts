/**
 * Guidance between visits (issue 17): fetch functions for message threads, feedback on shared
 * exercises and guides, typed with the contract's types (`import type`: no schema code in the
 * browser). Used by the patient, GP and guide faces alike.
 */
import type {
  AssignGuideBody,
  ExerciseFeedback,
  FeedbackBody,
  GuideAssignment,
  GuidePatients,
  MessageThread,
  MessageThreadList,
  PatientGuides,
  ReplyBody,
  SharedEntryList,
  StartThreadBody,
} from '../../contract/messages.js';
import { apiRequest, type Language } from './client.js';

export type {
  ExerciseFeedback,
  GuideAssignment,
  GuidePatients,
  MessageThread,
  MessageThreadList,
  PatientGuides,
  SharedEntryList,
};
export type ThreadMessage = MessageThread['messages'][number];
export type SharedEntry = SharedEntryList['entries'][number];

const enc = encodeURIComponent;
const base = (patientId: string) => `/api/patients/${enc(patientId)}`;
const opts = (signal?: AbortSignal) => (signal ? { signal } : {});

export const messagesApi = {
  threads: (patientId: string, signal?: AbortSignal) =>
    apiRequest<MessageThreadList>('GET', `${base(patientId)}/threads`, opts(signal)),
  startThread: (patientId: string, body: StartThreadBody) =>
    apiRequest<MessageThread>('POST', `${base(patientId)}/threads`, { body }),
  reply: (patientId: string, threadId: string, body: ReplyBody) =>
    apiRequest<MessageThread>('POST', `${base(patientId)}/threads/${enc(threadId)}/messages`, { body }),
  markRead: (patientId: string, threadId: string) =>
    apiRequest<MessageThread>('POST', `${base(patientId)}/threads/${enc(threadId)}/read`),
  sharedEntries: (patientId: string, lang: Language, signal?: AbortSignal) =>
    apiRequest<SharedEntryList>('GET', `${base(patientId)}/exercise-feedback?lang=${lang}`, opts(signal)),
  addFeedback: (patientId: string, entryId: string, body: FeedbackBody) =>
    apiRequest<ExerciseFeedback>('POST', `${base(patientId)}/workbook/${enc(entryId)}/feedback`, { body }),
  openFeedback: (patientId: string, feedbackId: string) =>
    apiRequest<ExerciseFeedback>('POST', `${base(patientId)}/exercise-feedback/${enc(feedbackId)}/opened`),
  guides: (patientId: string, signal?: AbortSignal) =>
    apiRequest<PatientGuides>('GET', `${base(patientId)}/guides`, opts(signal)),
  assignGuide: (patientId: string, body: AssignGuideBody) =>
    apiRequest<GuideAssignment>('POST', `${base(patientId)}/guides`, { body }),
  endGuide: (patientId: string, assignmentId: string) =>
    apiRequest<GuideAssignment>('POST', `${base(patientId)}/guides/${enc(assignmentId)}/end`),
  guidePatients: (signal?: AbortSignal) =>
    apiRequest<GuidePatients>('GET', '/api/guide/patients', opts(signal)),
};
