import { describe, expect, it } from 'vitest';
import {
  afterPassword,
  isStaff,
  mayRemoveFactor,
  STAFF_ROLES,
  totpStep,
  totpStepAccepted,
} from './second-factor.js';

describe('who needs a second factor', () => {
  it('counts every role but the patient as staff', () => {
    expect(STAFF_ROLES).toEqual(['gp', 'researcher', 'admin', 'user_group', 'guide']);
    expect(isStaff('patient')).toBe(false);
  });

  it('asks staff with a factor for it, whatever the policy', () => {
    for (const policy of ['optional', 'required'] as const)
      expect(afterPassword({ role: 'gp', policy, confirmedFactors: 1 })).toBe('second_factor');
  });

  it('lets staff without a factor in under the optional policy, and sends them to enrol under required', () => {
    expect(afterPassword({ role: 'admin', policy: 'optional', confirmedFactors: 0 })).toBe('session');
    expect(afterPassword({ role: 'admin', policy: 'required', confirmedFactors: 0 })).toBe('enrol_first');
  });

  it('never asks a patient', () => {
    expect(afterPassword({ role: 'patient', policy: 'required', confirmedFactors: 0 })).toBe('session');
    expect(afterPassword({ role: 'patient', policy: 'required', confirmedFactors: 2 })).toBe('session');
  });

  it('keeps the last factor of a user who must have one', () => {
    expect(mayRemoveFactor({ policy: 'required', confirmedFactors: 1 })).toBe(false);
    expect(mayRemoveFactor({ policy: 'required', confirmedFactors: 2 })).toBe(true);
    expect(mayRemoveFactor({ policy: 'optional', confirmedFactors: 1 })).toBe(true);
  });
});

describe('TOTP time steps', () => {
  const now = new Date('2026-12-05T12:00:10Z');
  const step = totpStep(now);

  it('has 30-second steps', () => {
    expect(totpStep(new Date('2026-12-05T12:00:29Z'))).toBe(step);
    expect(totpStep(new Date('2026-12-05T12:00:30Z'))).toBe(step + 1);
  });

  it('accepts one step of skew either way, not two', () => {
    expect(totpStepAccepted(step - 1, now, null)).toBe(true);
    expect(totpStepAccepted(step + 1, now, null)).toBe(true);
    expect(totpStepAccepted(step - 2, now, null)).toBe(false);
    expect(totpStepAccepted(step + 2, now, null)).toBe(false);
  });

  it('refuses the step already used, and any earlier one (replay)', () => {
    expect(totpStepAccepted(step, now, step)).toBe(false);
    expect(totpStepAccepted(step - 1, now, step)).toBe(false);
    expect(totpStepAccepted(step + 1, now, step)).toBe(true);
  });
});
