import { describe, expect, it } from 'vitest';
import { sealForSession, unsealForSession } from './sealed-token.js';

const session = { token: 'cookie-value-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', tokenHash: 'hash-1' };

describe('an EPJ token sealed to a session', () => {
  it('opens with the same session and with no other', () => {
    const sealed = sealForSession('epj-access-token', session);
    expect(sealed).not.toContain('epj-access-token');
    expect(unsealForSession(sealed, session)).toBe('epj-access-token');
    expect(unsealForSession(sealed, { ...session, token: `${session.token}x` })).toBeNull();
    expect(unsealForSession(sealed, { ...session, tokenHash: 'hash-2' })).toBeNull();
  });

  it('refuses an altered or truncated seal', () => {
    const sealed = Buffer.from(sealForSession('epj-access-token', session), 'base64url');
    sealed[sealed.length - 1]! ^= 1;
    expect(unsealForSession(sealed.toString('base64url'), session)).toBeNull();
    expect(unsealForSession('short', session)).toBeNull();
  });
});
