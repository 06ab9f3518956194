import { describe, expect, it } from 'vitest';
import {
  mayIssueFirstLoginCode,
  mayStartRecovery,
  patientAccountState,
  redeemOutcome,
  type PatientAccountState,
} from './patient-account.js';

describe('patient account and invitation codes', () => {
  it('derives the state from the user row', () => {
    expect(patientAccountState(null)).toBe('none');
    expect(patientAccountState({ passwordHash: 'h', disabledAt: null })).toBe('active');
    expect(patientAccountState({ passwordHash: null, disabledAt: null })).toBe('awaiting_password');
    expect(patientAccountState({ passwordHash: 'h', disabledAt: new Date() })).toBe('disabled');
  });

  it('never lets a code change the credentials of an account that has them', () => {
    const states: PatientAccountState[] = ['none', 'active', 'awaiting_password', 'disabled'];
    const outcomes = Object.fromEntries(states.map((s) => [s, redeemOutcome(s)]));
    expect(outcomes).toEqual({
      none: 'create_account',
      active: 'refuse_has_credentials',
      awaiting_password: 'set_password',
      disabled: 'refuse_disabled',
    });
    // Only states without a password may receive a first-login code.
    expect(states.filter(mayIssueFirstLoginCode)).toEqual(['none', 'awaiting_password']);
    expect(states.filter(mayStartRecovery)).toEqual(['active', 'awaiting_password']);
  });
});
