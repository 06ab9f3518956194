/**
 * The secrets of second factors at rest. A TOTP secret must be readable by the server (it computes
 * the expected code), so it is sealed, not hashed: AES-256-GCM under the server's factor key
 * (SECOND_FACTOR_KEY, outside the database in production), bound to its factor row, so a sealed
 * secret copied onto another row does not open. Recovery codes are only ever compared, so only a
 * SHA-256 of each is kept: 80 random bits each, too many to guess from the hash.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { ServerSecrets } from '../context.js';

/** The key that seals TOTP secrets: the configured one, or (tests) one derived from the CSRF key. */
export function factorKeyOf(secrets: ServerSecrets): Buffer {
  if (secrets.factorKey) return secrets.factorKey;
  return Buffer.from(hkdfSync('sha256', secrets.csrfKey, Buffer.alloc(0), 'gpdep second-factor key', 32));
}

const VERSION = 'v1';

export function sealSecret(key: Buffer, factorId: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(`totp:${factorId}`));
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url')}`;
}

export function openSecret(key: Buffer, factorId: string, sealed: string): string {
  const [version, body] = sealed.split('.');
  if (version !== VERSION || !body) throw new Error('Unknown sealed secret format');
  const bytes = Buffer.from(body, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
  decipher.setAAD(Buffer.from(`totp:${factorId}`));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString(
    'utf8'
  );
}

/** Crockford's base32 without the letters people misread (I, L, O, U). */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A recovery code as shown: 16 characters (80 bits) in four groups, e.g. `7KQ2-M9XD-3RTW-HB4F`. */
export function newRecoveryCode(): string {
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => ALPHABET[b % 32]!);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

/** What the user typed, as stored: upper case, no spaces or dashes, easily confused letters mapped. */
export function normaliseRecoveryCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

export function hashRecoveryCode(typed: string): string {
  return createHash('sha256')
    .update(`gpdep-recovery:${normaliseRecoveryCode(typed)}`)
    .digest('hex');
}
