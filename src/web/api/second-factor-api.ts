/**
 * Second factors and step-up, as the browser calls them (contract: src/contract/second-factor.ts).
 * WebAuthn goes through @simplewebauthn/browser: it turns the server's options into the
 * navigator.credentials call and the answer back into JSON.
 */
import { startAuthentication, startRegistration } from '@simplewebauthn/browser';
import type {
  FactorAdded,
  ProveBody,
  RecoveryCodes,
  SecondFactorList,
  StepUpStatus,
  TotpEnrolment,
} from '../../contract/second-factor.js';
import type { SessionResponse } from '../../contract/auth.js';
import { apiRequest } from './client.js';

export type { FactorAdded, ProveBody, SecondFactorList, StepUpStatus, TotpEnrolment };

const enc = encodeURIComponent;
// The options are the server's; the browser library takes them as they are.
type AuthOptions = Parameters<typeof startAuthentication>[0]['optionsJSON'];
type RegOptions = Parameters<typeof startRegistration>[0]['optionsJSON'];

export const secondFactorApi = {
  /** Finishing a password login: a wrong code answers 401 without ending anything. */
  prove: (body: ProveBody) =>
    apiRequest<SessionResponse>('POST', '/api/auth/second-factor', { body, expectUnauthorized: true }),
  provePasskey: async () => {
    const optionsJSON = await apiRequest<AuthOptions>('POST', '/api/auth/second-factor/passkey-options', {
      expectUnauthorized: true,
    });
    const response = await startAuthentication({ optionsJSON });
    return secondFactorApi.prove({ method: 'passkey', response: response });
  },

  list: (signal?: AbortSignal) =>
    apiRequest<SecondFactorList>('GET', '/api/auth/factors', signal ? { signal } : {}),
  startTotp: () => apiRequest<TotpEnrolment>('POST', '/api/auth/factors/totp'),
  confirmTotp: (factorId: string, code: string, label: string) =>
    apiRequest<FactorAdded>('POST', `/api/auth/factors/totp/${enc(factorId)}/confirm`, {
      body: { code, ...(label.trim() ? { label: label.trim() } : {}) },
    }),
  registerPasskey: async (label: string) => {
    const optionsJSON = await apiRequest<RegOptions>('POST', '/api/auth/factors/passkeys/options');
    const response = await startRegistration({ optionsJSON });
    return apiRequest<FactorAdded>('POST', '/api/auth/factors/passkeys', {
      body: { ...(label.trim() ? { label: label.trim() } : {}), response },
    });
  },
  remove: (factorId: string) => apiRequest<void>('DELETE', `/api/auth/factors/${enc(factorId)}`),
  renewRecoveryCodes: () => apiRequest<RecoveryCodes>('POST', '/api/auth/recovery-codes'),

  stepUpStatus: (signal?: AbortSignal) =>
    apiRequest<StepUpStatus>('GET', '/api/auth/step-up', signal ? { signal } : {}),
  stepUp: (body: ProveBody) =>
    apiRequest<StepUpStatus>('POST', '/api/auth/step-up', { body, afterStepUp: true }),
  stepUpPasskey: async () => {
    const optionsJSON = await apiRequest<AuthOptions>('POST', '/api/auth/step-up/passkey-options');
    const response = await startAuthentication({ optionsJSON });
    return secondFactorApi.stepUp({ method: 'passkey', response: response });
  },
};
