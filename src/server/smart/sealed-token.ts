/**
 * Sealing the EPJ's access token to the GP's session (issue 16): AES-256-GCM with a key derived
 * (HKDF-SHA-256) from the session cookie's value, which the server never stores (it keeps only its
 * hash). So the token can be used only while that browser sends its cookie; a copy of the database
 * alone cannot call anyone's record system.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const SALT = Buffer.from('gp-dep epj access token', 'utf8');

function keyFor(sessionToken: string, tokenHash: string): Buffer {
  // The hash as `info` binds the seal to this session row too.
  return Buffer.from(hkdfSync('sha256', Buffer.from(sessionToken, 'utf8'), SALT, tokenHash, 32));
}

export function sealForSession(secret: string, session: { token: string; tokenHash: string }): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(session.token, session.tokenHash), iv);
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The secret, or null when the seal is not this session's (or was altered). */
export function unsealForSession(
  sealed: string,
  session: { token: string; tokenHash: string }
): string | null {
  const raw = Buffer.from(sealed, 'base64url');
  if (raw.length < 29) return null;
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      keyFor(session.token, session.tokenHash),
      raw.subarray(0, 12)
    );
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
