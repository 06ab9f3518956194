/**
 * Password hashing with Argon2id at the OWASP minimum (19 MiB memory, 2 iterations, 1 lane);
 * argon2 salts each hash itself and stores the parameters in the PHC string.
 */
import argon2 from 'argon2';

const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** Verified against when the user does not exist, so both answers take the same time (R-B9). */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('not-a-real-password-for-timing');
  return dummyHash;
}

/** ASVS 5 rules: length only, no composition rules; a few known-bad passwords refused. */
const COMMON_PASSWORDS = new Set([
  'password1234',
  'passord12345',
  '123456789012',
  'qwertyuiopas',
  'sommer2026!!',
  'vinter2026!!',
]);

export function passwordProblems(password: string): string[] {
  const problems: string[] = [];
  if (password.length < PASSWORD_MIN_LENGTH)
    problems.push(`must be at least ${PASSWORD_MIN_LENGTH} characters`);
  if (password.length > PASSWORD_MAX_LENGTH)
    problems.push(`must be at most ${PASSWORD_MAX_LENGTH} characters`);
  if (COMMON_PASSWORDS.has(password.toLowerCase())) problems.push('is too common');
  return problems;
}
