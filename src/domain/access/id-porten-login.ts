/**
 * Whether an ID-porten login lets a patient in (issue 16): the one rule, pure, so the server and
 * its tests share it. ID-porten says who the person is (`pid`: fødselsnummer or d-nummer) and how
 * sure it is (`acr`: substantial or high); the platform decides whether that person is a patient
 * here and may have an account:
 *
 * - the level of assurance must be at least the one configured (high ≥ substantial);
 * - `pid` must be a valid person number and match a patient's `national_id`;
 * - a patient with an account logs in to it (unless it is disabled);
 * - a patient without an account gets one only through the GP's open invitation (the first login
 *   links the invitation, as the invitation code does for password login); without one, no
 *   account is made: a fødselsnummer alone never creates access.
 */
import { parsePersonNumber } from '../identifiers/norwegian-ids.js';

export const ID_PORTEN_ACR = ['idporten-loa-substantial', 'idporten-loa-high'] as const;
export type IdPortenAcr = (typeof ID_PORTEN_ACR)[number];

export type IdPortenRefusal = 'acr' | 'pid' | 'no_patient' | 'no_invitation' | 'disabled';

export interface IdPortenPatientFacts {
  userId: string | null;
  userDisabled: boolean;
  hasOpenInvitation: boolean;
}

export type IdPortenDecision =
  { allowed: true; kind: 'existing_account' | 'first_login' } | { allowed: false; reason: IdPortenRefusal };

export function acrSatisfies(given: unknown, required: IdPortenAcr): boolean {
  const rank = ID_PORTEN_ACR.indexOf(given as IdPortenAcr);
  return rank >= 0 && rank >= ID_PORTEN_ACR.indexOf(required);
}

/** A usable `pid`: a valid fødselsnummer or d-nummer, else null. */
export function personNumberFromPid(pid: unknown): string | null {
  return typeof pid === 'string' && parsePersonNumber(pid) ? pid : null;
}

export function decideIdPortenLogin(args: {
  acr: unknown;
  requiredAcr: IdPortenAcr;
  pid: unknown;
  /** The patient whose national_id is the pid, or null when there is none. */
  patient: IdPortenPatientFacts | null;
}): IdPortenDecision {
  if (!acrSatisfies(args.acr, args.requiredAcr)) return { allowed: false, reason: 'acr' };
  if (!personNumberFromPid(args.pid)) return { allowed: false, reason: 'pid' };
  if (!args.patient) return { allowed: false, reason: 'no_patient' };
  if (args.patient.userId) {
    return args.patient.userDisabled
      ? { allowed: false, reason: 'disabled' }
      : { allowed: true, kind: 'existing_account' };
  }
  return args.patient.hasOpenInvitation
    ? { allowed: true, kind: 'first_login' }
    : { allowed: false, reason: 'no_invitation' };
}
