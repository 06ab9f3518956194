/**
 * Invitation codes: 10 characters from an alphabet without look-alikes (no 0/O, 1/I/L), about 49
 * bits, shown once to the GP to print for the patient. Only an HMAC of the code is stored, keyed
 * with a server secret, so a copy of the database does not let anyone try codes offline.
 */
import { createHmac, randomInt } from 'node:crypto';

const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const INVITATION_VALID_DAYS = 30;

export function newInvitationCode(): string {
  let code = '';
  for (let i = 0; i < 10; i += 1) code += ALPHABET[randomInt(ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

/** Normalises what a patient types: case, spaces and dashes do not matter. */
export function normaliseInvitationCode(typed: string): string {
  return typed.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

export function hashInvitationCode(key: Buffer, code: string): string {
  return createHmac('sha256', key).update('invitation:').update(normaliseInvitationCode(code)).digest('hex');
}
