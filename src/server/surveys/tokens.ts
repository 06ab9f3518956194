/**
 * The secrets of fielding a survey, in one place.
 *
 * Invitation tokens: 256 bits, base64url (43 characters), one per invitation. Only the token's
 * SHA-256 is stored (as session tokens are), so a copy of the database gives nobody a working
 * link. The token is derived from the invitation's id with a key kept outside the database (an
 * HMAC with a key derived from the server key), so the e-mail outbox can put the same link in the
 * invitation and in each reminder, after a restart too, without the token ever being written
 * down. Whoever has both the database and the server key could derive tokens; that is the same
 * trust as the key that signs sessions' CSRF tokens and hashes invitation codes. Changing the
 * server key makes links already sent stop working.
 *
 * Respondent keys: a stable pseudonym per frame member within a survey (HMAC of survey and frame
 * id), so one person's waves link up without the response carrying their frame id or e-mail.
 *
 * Anonymous nonces: the page's random nonce is stored only as a hash, without time or link.
 */
import { createHash, createHmac, randomInt } from 'node:crypto';

function subKey(serverKey: Buffer, purpose: string): Buffer {
  return createHmac('sha256', serverKey).update(`gpdep-survey:${purpose}`).digest();
}

/** The invitation's token (what the link carries). */
export function invitationToken(serverKey: Buffer, invitationId: string): string {
  return createHmac('sha256', subKey(serverKey, 'invitation-token:v1'))
    .update(invitationId)
    .digest('base64url');
}

/** What is stored and looked up: the SHA-256 of the token, hex. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A token as the page may send it: 43 base64url characters (anything else is unknown at once). */
export function isWellFormedToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

/** The pseudonymous respondent key of a frame member in a survey (hex). */
export function respondentKey(serverKey: Buffer, surveyId: string, frameId: string): string {
  return createHmac('sha256', subKey(serverKey, 'respondent-key:v1'))
    .update(`${surveyId}\u0000${frameId}`)
    .digest('hex');
}

/** The stored form of an anonymous page's nonce (hex). */
export function hashNonce(surveyId: string, nonce: string): string {
  return createHash('sha256').update(`${surveyId}\u0000${nonce}`, 'utf8').digest('hex');
}

const SLUG_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** A practice link's slug: 12 characters without look-alikes (60 bits), for a printed QR poster. */
export function newPracticeSlug(): string {
  let slug = '';
  for (let i = 0; i < 12; i += 1) slug += SLUG_ALPHABET[randomInt(SLUG_ALPHABET.length)];
  return slug;
}
