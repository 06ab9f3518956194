/**
 * The respondent's calls (public: no login). The invitation token travels in the request body,
 * never in a URL, so it reaches no log; the page reads it from the address's `#` part and then
 * removes it from the address bar (a shared practice tablet keeps no link to someone's survey).
 */
import type {
  AnonymousQuestionnaire,
  AnonymousReceived,
  AnonymousSubmitBody,
  AnswersSaved,
  RespondentQuestionnaire,
} from '../../../contract/surveys.js';
import type { SurveyAnswers } from '../../../domain/surveys/items.js';
import { apiRequest } from '../../api/client.js';

export type { AnonymousQuestionnaire, AnonymousReceived, AnswersSaved, RespondentQuestionnaire };

const enc = encodeURIComponent;

export const surveyApi = {
  open: (token: string) =>
    apiRequest<RespondentQuestionnaire>('POST', '/api/survey-invitations/open', { body: { token } }),
  save: (token: string, answers: SurveyAnswers) =>
    apiRequest<AnswersSaved>('PUT', '/api/survey-invitations/answers', { body: { token, answers } }),
  submit: (token: string, answers: SurveyAnswers) =>
    apiRequest<AnswersSaved>('POST', '/api/survey-invitations/submit', { body: { token, answers } }),
  optOut: (token: string) =>
    apiRequest<{ optedOut: true }>('POST', '/api/survey-invitations/opt-out', { body: { token } }),
  practice: (slug: string) => apiRequest<AnonymousQuestionnaire>('GET', `/api/survey-links/${enc(slug)}`),
  submitAnonymous: (slug: string, body: Omit<AnonymousSubmitBody, 'answers'> & { answers: SurveyAnswers }) =>
    apiRequest<AnonymousReceived>('POST', `/api/survey-links/${enc(slug)}/responses`, { body }),
};

/** The token after `#` in the address, once; the address bar keeps the page without it. */
export function takeTokenFromAddress(): string | null {
  const token = window.location.hash.replace(/^#/, '').trim();
  if (token === '') return null;
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
  return token;
}

/** A random nonce per page load: a second submit with it stores nothing (it is never stored with the answers). */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
