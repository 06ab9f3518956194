/**
 * Second factors for staff on password login (issue 16): who needs one, what a right password
 * leads to, and the rules of a TOTP code. Patients log in with ID-porten (or, in the demo, a
 * password alone); staff who log in with a password made here prove a second factor: a TOTP
 * authenticator app, a passkey, or one of their one-time recovery codes.
 *
 * Whether staff must enrol is a policy (STAFF_SECOND_FACTOR): `optional` (the embedded demo's
 * default) asks for the factor only of staff who have enrolled one; `required` sends staff
 * without a factor to enrolment before anything else.
 */
import { ROLES, type Role } from './policy.js';

export const SECOND_FACTOR_POLICIES = ['optional', 'required'] as const;
export type SecondFactorPolicy = (typeof SECOND_FACTOR_POLICIES)[number];

export const SECOND_FACTOR_KINDS = ['totp', 'passkey'] as const;
export type SecondFactorKind = (typeof SECOND_FACTOR_KINDS)[number];

/** Every role but the patient: staff, and the user group's members, who also log in here. */
export const STAFF_ROLES: readonly Role[] = ROLES.filter((role) => role !== 'patient');

export function isStaff(role: Role): boolean {
  return STAFF_ROLES.includes(role);
}

/**
 * What a right password leads to: a session at once; first the second factor (the user has one);
 * or a session that can only enrol one (the policy demands a factor and the user has none yet).
 */
export type AfterPassword = 'session' | 'second_factor' | 'enrol_first';

export function afterPassword(facts: {
  role: Role;
  policy: SecondFactorPolicy;
  confirmedFactors: number;
}): AfterPassword {
  if (!isStaff(facts.role)) return 'session';
  if (facts.confirmedFactors > 0) return 'second_factor';
  return facts.policy === 'required' ? 'enrol_first' : 'session';
}

/** A pending login (right password, factor not yet given) lives this long and allows this many tries. */
export const PENDING_LOGIN_SECONDS = 5 * 60;
export const PENDING_LOGIN_MAX_ATTEMPTS = 5;

/** One-time recovery codes given at the first enrolment. */
export const RECOVERY_CODE_COUNT = 10;

/** TOTP as authenticator apps do it (RFC 6238): 30-second steps, 6 digits; one step of skew each way. */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_SKEW_STEPS = 1;

/** The time step a moment falls in. */
export function totpStep(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/**
 * A code that matched time step `matched` is accepted when that step lies within the skew of now
 * and is later than the last step used with this factor: a code is never accepted twice, nor an
 * older one after a newer one (replay).
 */
export function totpStepAccepted(matched: number, now: Date, lastUsedStep: number | null): boolean {
  if (Math.abs(matched - totpStep(now)) > TOTP_SKEW_STEPS) return false;
  return lastUsedStep === null || matched > lastUsedStep;
}

/** A removal that would leave a user who must have a factor without one is refused. */
export function mayRemoveFactor(facts: { policy: SecondFactorPolicy; confirmedFactors: number }): boolean {
  return facts.policy === 'optional' || facts.confirmedFactors > 1;
}
