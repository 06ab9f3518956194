import { describe, expect, it } from 'vitest';
import { afterFailedLogin, loginGate } from './login-lockout.js';

const now = new Date('2026-12-04T10:00:00Z');
const later = new Date(now.getTime() + 900_000);

describe('login lockout with device cookies', () => {
  it('does not hold a trusted device by the lockout strangers caused', () => {
    expect(
      loginGate({ trustedDevice: true, deviceLockedUntil: null, untrustedLockedUntil: later, now })
    ).toEqual({
      allowed: true,
    });
    expect(
      loginGate({ trustedDevice: false, deviceLockedUntil: null, untrustedLockedUntil: later, now })
    ).toEqual({
      allowed: false,
      lockedOut: 'new_devices',
      retryAfterSeconds: 900,
    });
  });

  it('holds a trusted device by its own lockout only', () => {
    expect(
      loginGate({ trustedDevice: true, deviceLockedUntil: later, untrustedLockedUntil: null, now })
    ).toEqual({
      allowed: false,
      lockedOut: 'this_device',
      retryAfterSeconds: 900,
    });
    expect(
      loginGate({ trustedDevice: false, deviceLockedUntil: later, untrustedLockedUntil: null, now })
    ).toEqual({
      allowed: true,
    });
  });

  it('lets five failures pass, then backs off doubling', () => {
    let state = { failures: 0, lockedUntil: now };
    const waits: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      state = afterFailedLogin(state.failures, now);
      waits.push((state.lockedUntil.getTime() - now.getTime()) / 1000);
    }
    expect(waits).toEqual([0, 0, 0, 0, 1, 2, 4]);
  });
});
