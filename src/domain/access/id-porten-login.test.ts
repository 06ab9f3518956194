import { describe, expect, it } from 'vitest';
import { syntheticFodselsnummer } from '../identifiers/norwegian-ids.js';
import { acrSatisfies, decideIdPortenLogin } from './id-porten-login.js';

const pid = syntheticFodselsnummer('1985-04-12', 'female');
const withAccount = { userId: 'u1', userDisabled: false, hasOpenInvitation: false };

describe('ID-porten login rule', () => {
  it('ranks the levels of assurance: high satisfies substantial, not the other way round', () => {
    expect(acrSatisfies('idporten-loa-high', 'idporten-loa-substantial')).toBe(true);
    expect(acrSatisfies('idporten-loa-substantial', 'idporten-loa-high')).toBe(false);
    expect(acrSatisfies('Level3', 'idporten-loa-substantial')).toBe(false);
    expect(acrSatisfies(undefined, 'idporten-loa-substantial')).toBe(false);
  });

  it('lets a patient with an account in, and refuses each missing condition with its reason', () => {
    const base = { acr: 'idporten-loa-substantial', requiredAcr: 'idporten-loa-substantial' as const, pid };
    expect(decideIdPortenLogin({ ...base, patient: withAccount })).toEqual({
      allowed: true,
      kind: 'existing_account',
    });
    expect(decideIdPortenLogin({ ...base, requiredAcr: 'idporten-loa-high', patient: withAccount })).toEqual({
      allowed: false,
      reason: 'acr',
    });
    expect(decideIdPortenLogin({ ...base, pid: '12345678901', patient: withAccount })).toEqual({
      allowed: false,
      reason: 'pid',
    });
    expect(decideIdPortenLogin({ ...base, patient: null })).toEqual({ allowed: false, reason: 'no_patient' });
    expect(decideIdPortenLogin({ ...base, patient: { ...withAccount, userDisabled: true } })).toEqual({
      allowed: false,
      reason: 'disabled',
    });
  });

  it('makes an account at a first login only through the GP’s open invitation', () => {
    const base = { acr: 'idporten-loa-high', requiredAcr: 'idporten-loa-substantial' as const, pid };
    const noAccount = { userId: null, userDisabled: false, hasOpenInvitation: false };
    expect(decideIdPortenLogin({ ...base, patient: noAccount })).toEqual({
      allowed: false,
      reason: 'no_invitation',
    });
    expect(decideIdPortenLogin({ ...base, patient: { ...noAccount, hasOpenInvitation: true } })).toEqual({
      allowed: true,
      kind: 'first_login',
    });
  });
});
