/**
 * Invitation codes: 10 characters from an alphabet without look-alikes (no 0/O, 1/I/L), about 49
 * bits, shown once to the GP to print for the patient. Only an HMAC of the code is stored, keyed
 * with a server secret, so a copy of the database does not let anyone try codes offline.
 */
import { createHmac, randomInt } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import {
  patientAccountState,
  type InvitationPurpose,
  type PatientAccountState,
} from '../../domain/access/patient-account.js';

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

/**
 * Issues a new code for a patient and revokes any unused one, so only the latest printout works.
 * Returns the code (to show once) and its expiry.
 */
export async function replaceInvitation(
  trx: Transaction<Database>,
  key: Buffer,
  patientId: string,
  createdBy: string,
  now: Date,
  purpose: InvitationPurpose = 'first_login'
): Promise<{ code: string; expiresAt: Date }> {
  const code = newInvitationCode();
  const expiresAt = new Date(now.getTime() + INVITATION_VALID_DAYS * 24 * 60 * 60 * 1000);
  await trx
    .updateTable('invitations')
    .set({ revoked_at: now })
    .where('patient_id', '=', patientId)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .execute();
  await trx
    .insertInto('invitations')
    .values({
      patient_id: patientId,
      code_hash: hashInvitationCode(key, code),
      created_by: createdBy,
      created_at: now,
      expires_at: expiresAt,
      purpose,
    })
    .execute();
  return { code, expiresAt };
}

/** The patient's account as the invitation rules see it (domain/access/patient-account.ts). */
export async function loadPatientAccountState(
  trx: Transaction<Database>,
  patientId: string
): Promise<{ state: PatientAccountState; userId: string | null }> {
  const row = await trx
    .selectFrom('patients as p')
    .leftJoin('users as u', 'u.id', 'p.user_id')
    .select(['p.user_id', 'u.password_hash', 'u.disabled_at'])
    .where('p.id', '=', patientId)
    .executeTakeFirstOrThrow();
  const user = row.user_id ? { passwordHash: row.password_hash, disabledAt: row.disabled_at } : null;
  return { state: patientAccountState(user), userId: row.user_id };
}
