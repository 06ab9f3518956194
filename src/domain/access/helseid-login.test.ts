import { describe, expect, it } from 'vitest';
import { decideHelseIdLogin, hprNumberOf, securityLevelOf } from './helseid-login.js';

const base = { securityLevel: '4', minSecurityLevel: 4 as const, hprNumber: '100000001' };

describe('HelseID login rule', () => {
  it('reads the security level and the HPR number as HelseID sends them', () => {
    expect(securityLevelOf('4')).toBe(4);
    expect(securityLevelOf(3)).toBe(3);
    expect(securityLevelOf('high')).toBeNull();
    expect(securityLevelOf(undefined)).toBeNull();
    expect(hprNumberOf('100000001')).toBe('100000001');
    expect(hprNumberOf(9144889)).toBe('9144889');
    expect(hprNumberOf('1234567890')).toBeNull();
    // HelseID may send the claim as an array: one number is that number, two different ones none.
    expect(hprNumberOf(['100000001'])).toBe('100000001');
    expect(hprNumberOf(['100000001', 100000001])).toBe('100000001');
    expect(hprNumberOf(['100000001', '100000002'])).toBeNull();
    expect(hprNumberOf([])).toBeNull();
    expect(hprNumberOf([['100000001']])).toBe('100000001');
    expect(hprNumberOf('')).toBeNull();
  });

  it('lets an active GP in at the level required, and refuses each missing condition', () => {
    expect(decideHelseIdLogin({ ...base, gp: { disabled: false } })).toEqual({ allowed: true });
    expect(
      decideHelseIdLogin({ ...base, minSecurityLevel: 3, securityLevel: '3', gp: { disabled: false } })
    ).toEqual({ allowed: true });
    expect(decideHelseIdLogin({ ...base, securityLevel: '3', gp: { disabled: false } })).toEqual({
      allowed: false,
      reason: 'security_level',
    });
    expect(decideHelseIdLogin({ ...base, securityLevel: undefined, gp: { disabled: false } })).toEqual({
      allowed: false,
      reason: 'security_level',
    });
    expect(decideHelseIdLogin({ ...base, hprNumber: undefined, gp: null })).toEqual({
      allowed: false,
      reason: 'no_hpr',
    });
    expect(decideHelseIdLogin({ ...base, gp: null })).toEqual({ allowed: false, reason: 'no_gp' });
    expect(decideHelseIdLogin({ ...base, gp: { disabled: true } })).toEqual({
      allowed: false,
      reason: 'disabled',
    });
  });
});
