/**
 * Breaking the glass (issue 16): emergency access to a patient outside the care relation. When a
 * patient of the practice needs help now and neither their GP nor a covering colleague can give it
 * (the GP is away without a cover set, an urgent matter comes in at the desk), another GP of the
 * same practice may open the patient's record for a short time, saying why. The one rule, pure:
 *
 * - only a GP, only for a patient of their own practice (never another practice's patient);
 * - a reason from a short list, and a note of what happened (for the practice's log review; the
 *   patient sees the reason, never the note, as a patient access log shows no free text);
 * - it lasts EMERGENCY_ACCESS_HOURS and then ends by itself; it grants exactly what a treating GP
 *   has (the relation `emergency_access` in policy.ts), nothing that belongs to the list GP
 *   alone (recommending, inviting);
 * - it needs a fresh re-authentication (step-up `break_glass`, step-up.ts), and every use is
 *   audited with the basis `emergency_access`, visible to the patient.
 */
export const EMERGENCY_ACCESS_HOURS = 2;

export const EMERGENCY_REASONS = ['acute_contact', 'urgent_case', 'gp_unavailable'] as const;
export type EmergencyReason = (typeof EMERGENCY_REASONS)[number];

export const EMERGENCY_NOTE_MIN_LENGTH = 10;

export type EmergencyAccessRefusal = 'not_gp' | 'other_practice' | 'note_too_short';

export type EmergencyAccessDecision =
  { allowed: true; endsAt: Date } | { allowed: false; reason: EmergencyAccessRefusal };

export function decideEmergencyAccess(args: {
  actor: { role: string; practiceId: string | null };
  /** The patient's practice. */
  patientPracticeId: string;
  note: string;
  now: Date;
}): EmergencyAccessDecision {
  if (args.actor.role !== 'gp') return { allowed: false, reason: 'not_gp' };
  if (!args.actor.practiceId || args.actor.practiceId !== args.patientPracticeId)
    return { allowed: false, reason: 'other_practice' };
  if (args.note.trim().length < EMERGENCY_NOTE_MIN_LENGTH)
    return { allowed: false, reason: 'note_too_short' };
  return { allowed: true, endsAt: new Date(args.now.getTime() + EMERGENCY_ACCESS_HOURS * 3600_000) };
}
