/**
 * The device cookie (OWASP, "device cookies"): `nonce.signature`, where the signature is an HMAC
 * of the username and the nonce with a key derived from the server's CSRF key. It proves that
 * this browser has logged in to this account before; it is no credential by itself. Stored only
 * as a hash of the nonce, with that device's own lockout.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const DEVICE_COOKIE = '__Host-gpdep_device';
/** How long a browser stays trusted without a new login. */
export const DEVICE_COOKIE_DAYS = 180;

function deviceKey(serverKey: Buffer): Buffer {
  return createHmac('sha256', serverKey).update('gpdep device cookie v1').digest();
}

function sign(serverKey: Buffer, username: string, nonce: string): string {
  return createHmac('sha256', deviceKey(serverKey)).update(`${username}\n${nonce}`).digest('base64url');
}

export function issueDeviceCookie(serverKey: Buffer, username: string): string {
  const nonce = randomBytes(24).toString('base64url');
  return `${nonce}.${sign(serverKey, username, nonce)}`;
}

/** The nonce's hash when the cookie is genuine and was issued for this username; else null. */
export function trustedDeviceNonceHash(
  serverKey: Buffer,
  username: string,
  cookie: string | undefined
): string | null {
  if (!cookie) return null;
  const [nonce, signature, extra] = cookie.split('.');
  if (!nonce || !signature || extra !== undefined) return null;
  const expected = Buffer.from(sign(serverKey, username, nonce));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  return createHash('sha256').update(nonce).digest('hex');
}
