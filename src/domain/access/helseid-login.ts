/**
 * Whether a HelseID login lets a GP in (issue 16): the one rule, pure, so the server and its tests
 * share it. HelseID says who the health worker is (the HPR number, from Helsepersonellregisteret)
 * and how sure it is (the security level: 4 is high, 3 substantial); the platform decides whether
 * that person is a GP here:
 *
 * - the security level must be at least the one configured (default 4);
 * - the token must carry an HPR number (1 to 9 digits);
 * - it must be the HPR number of a GP account on this platform (role `gp`); nobody else logs in
 *   through HelseID, and an HPR number alone never creates an account;
 * - that account must not be disabled.
 */
import { hprNumberProblem } from '../identifiers/norwegian-ids.js';

/** HelseID's claims this rule reads (HelseID's own names). */
export const HELSEID_CLAIMS = {
  hprNumber: 'helseid://claims/hpr/hpr_number',
  securityLevel: 'helseid://claims/identity/security_level',
} as const;

/** HelseID's security levels a login can have (Nivå 3 = substantial, Nivå 4 = high). */
export const HELSEID_SECURITY_LEVELS = [3, 4] as const;
export type HelseIdSecurityLevel = (typeof HELSEID_SECURITY_LEVELS)[number];

export type HelseIdRefusal = 'security_level' | 'no_hpr' | 'no_gp' | 'disabled';

export type HelseIdDecision = { allowed: true } | { allowed: false; reason: HelseIdRefusal };

/** The security level as a number (HelseID sends it as a string, "4"), or null. */
export function securityLevelOf(claim: unknown): number | null {
  const text = typeof claim === 'number' ? String(claim) : claim;
  return typeof text === 'string' && /^[0-9]$/.test(text) ? Number(text) : null;
}

/**
 * A usable HPR number from the claim (a string or number of 1 to 9 digits), else null. HelseID may
 * send the claim as a JSON array; one number (or the same one repeated) is that number, several
 * different ones are no answer to "which GP is this".
 */
export function hprNumberOf(claim: unknown): string | null {
  if (Array.isArray(claim)) {
    const numbers = [...new Set(claim.map((c) => hprNumberOf(c)))];
    return numbers.length === 1 ? numbers[0]! : null;
  }
  const text = typeof claim === 'number' && Number.isInteger(claim) ? String(claim) : claim;
  return typeof text === 'string' && hprNumberProblem(text) === null ? text : null;
}

export function decideHelseIdLogin(args: {
  securityLevel: unknown;
  minSecurityLevel: HelseIdSecurityLevel;
  hprNumber: unknown;
  /** The GP account whose hpr_number is the claim's, or null when there is none. */
  gp: { disabled: boolean } | null;
}): HelseIdDecision {
  const level = securityLevelOf(args.securityLevel);
  if (level === null || level < args.minSecurityLevel) return { allowed: false, reason: 'security_level' };
  if (!hprNumberOf(args.hprNumber)) return { allowed: false, reason: 'no_hpr' };
  if (!args.gp) return { allowed: false, reason: 'no_gp' };
  return args.gp.disabled ? { allowed: false, reason: 'disabled' } : { allowed: true };
}
