import { describe, expect, it } from 'vitest';
import {
  LOGIN_MAX_BACKOFF_SECONDS,
  loginBackoffSeconds,
  SESSION_LIFETIMES,
  sessionState,
} from './session-policy.js';

describe('session policy', () => {
  const start = new Date('2026-11-23T08:00:00Z');
  const session = {
    lastSeenAt: start,
    idleTimeoutSeconds: 900,
    absoluteExpiresAt: new Date(start.getTime() + 3600_000),
    revokedAt: null,
  };

  it('expires exactly at the idle timeout and at the absolute lifetime', () => {
    expect(sessionState(session, new Date(start.getTime() + 899_999))).toBe('active');
    expect(sessionState(session, new Date(start.getTime() + 900_000))).toBe('idle_expired');
    const busy = { ...session, lastSeenAt: new Date(start.getTime() + 3599_000) };
    expect(sessionState(busy, new Date(start.getTime() + 3600_000))).toBe('absolute_expired');
    expect(sessionState({ ...session, revokedAt: start }, start)).toBe('revoked');
  });

  it('keeps every role within NIST AAL2 limits (1 h idle, 24 h absolute)', () => {
    for (const lifetime of Object.values(SESSION_LIFETIMES)) {
      expect(lifetime.idleSeconds).toBeLessThanOrEqual(3600);
      expect(lifetime.absoluteSeconds).toBeLessThanOrEqual(24 * 3600);
    }
  });

  it('backs off after five failures, doubling, never past the cap', () => {
    expect([0, 1, 4].map(loginBackoffSeconds)).toEqual([0, 0, 0]);
    expect([5, 6, 7].map(loginBackoffSeconds)).toEqual([1, 2, 4]);
    expect(loginBackoffSeconds(100)).toBe(LOGIN_MAX_BACKOFF_SECONDS);
  });
});
