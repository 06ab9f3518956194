/**
 * Whether a launch from a GP's record system (EPJ) opens the platform (issue 16, SMART App Launch):
 * the one rule, pure. The EPJ says who the user is (the Practitioner behind `fhirUser`, with an
 * HPR number) and which patient is open there (the launch context's Patient, with a fødselsnummer
 * or d-nummer). The platform decides, with its own rules and nothing the EPJ asserts beyond those
 * two identities:
 *
 * - the EPJ must be one this platform is configured to trust (checked before anything is sent);
 * - the practitioner's HPR number must be an active GP account here;
 * - the patient's person number must be a patient here;
 * - that GP must have the patient now by the platform's access rule (list, cover, escalation):
 *   being open in the EPJ grants nothing by itself.
 *
 * Each refusal is a reason the login page words for the GP, who can still log in another way.
 */
import { parsePersonNumber } from '../identifiers/norwegian-ids.js';

export type EpjLaunchRefusal =
  'no_hpr' | 'no_gp' | 'gp_disabled' | 'no_person_number' | 'no_patient' | 'not_your_patient';

export interface EpjLaunchFacts {
  /** The HPR number on the EPJ's Practitioner, if it had a usable one. */
  hprNumber: string | null;
  /** The GP account with that HPR number, or null. */
  gp: { userId: string; disabled: boolean } | null;
  /** The person number on the EPJ's Patient, if it had one. */
  personNumber: string | null;
  /** The patient here with that person number, or null. */
  patient: { patientId: string } | null;
  /** Whether the platform's access rule lets this GP open this patient now. */
  gpMayOpenPatient: boolean;
}

export type EpjLaunchDecision =
  { allowed: true; gpUserId: string; patientId: string } | { allowed: false; reason: EpjLaunchRefusal };

export function decideEpjLaunch(facts: EpjLaunchFacts): EpjLaunchDecision {
  if (!facts.hprNumber) return { allowed: false, reason: 'no_hpr' };
  if (!facts.gp) return { allowed: false, reason: 'no_gp' };
  if (facts.gp.disabled) return { allowed: false, reason: 'gp_disabled' };
  if (!facts.personNumber || !parsePersonNumber(facts.personNumber))
    return { allowed: false, reason: 'no_person_number' };
  if (!facts.patient) return { allowed: false, reason: 'no_patient' };
  if (!facts.gpMayOpenPatient) return { allowed: false, reason: 'not_your_patient' };
  return { allowed: true, gpUserId: facts.gp.userId, patientId: facts.patient.patientId };
}
