/**
 * Who may see what: the one place where access to patient data is decided.
 *
 * Every HTTP route declares a RouteAccess (the server refuses to start if one does not). For routes
 * about one patient, decidePatientAccess is called with facts loaded from the database about that
 * patient; it returns the basis that is written to the audit log ("why it was allowed").
 *
 * Rules (deny by default):
 * - a patient sees only their own data (basis `self`);
 * - a GP sees only patients on their own list, now (basis `gp_list`), or, while a registered
 *   absence lasts, patients of the absent colleague they cover for (basis `absence_cover`) — each
 *   written to the audit log as such; and, while an urgent case that passed its deadline is
 *   escalated to the whole practice and still open, every GP in the patient's practice (basis
 *   `urgent_escalation`). Nothing else grants access: what a GP wrote or planned while covering
 *   (a follow-up, a decision) gives them no access of its own once the cover ends;

 * - a guide (a named helper at the practice, e.g. a psychiatric nurse) sees a patient only while a
 *   GP of the patient has assigned them (basis `assigned_guide`), and only on the guidance routes
 *   (messages, shared workbook entries and feedback, the guidance summary): GUIDANCE_RELATIONS.
 *   GP-only acts (recommendation, treatment decisions, breaking the glass, the record) name
 *   TREATING_GP_RELATIONS, which holds no guide relation;
 * - a researcher sees no person-level clinical data at all;
 * - an admin manages users but does not read clinical data;
 * - a user-group member (a qualitative study's user group: patients' organisation, professions,
 *   municipality, NAV) reads the syntheses shared with them and comments, nothing else.
 */

import type { StepUpAction } from './step-up.js';

export const ROLES = ['patient', 'gp', 'researcher', 'admin', 'user_group', 'guide'] as const;
export type Role = (typeof ROLES)[number];

/** The relations to a patient that can grant access. */
export type PatientRelation =
  'self' | 'gp_list' | 'absence_cover' | 'urgent_escalation' | 'emergency_access' | 'assigned_guide';

/** A GP in a care relation with the patient: the list, cover, escalation, broken glass. */
export const TREATING_GP_RELATIONS = [
  'gp_list',
  'absence_cover',
  'urgent_escalation',
  'emergency_access',
] as const satisfies readonly PatientRelation[];

/**
 * Guidance between visits (messages, feedback on shared exercises): a treating GP, or a guide a
 * GP of the patient has assigned, while the assignment lasts. The one place a guide gets access.
 */
export const GUIDANCE_STAFF_RELATIONS = [
  ...TREATING_GP_RELATIONS,
  'assigned_guide',
] as const satisfies readonly PatientRelation[];

/** The patient themself, and the care team of GUIDANCE_STAFF_RELATIONS. */
export const GUIDANCE_RELATIONS = [
  'self',
  ...GUIDANCE_STAFF_RELATIONS,
] as const satisfies readonly PatientRelation[];

/** The staff roles that take part in guidance between visits. */
export const GUIDANCE_STAFF_ROLES = ['gp', 'guide'] as const satisfies readonly Role[];

export type AccessBasis = PatientRelation | 'role' | 'public';

export type RouteAccess =
  | { public: true }
  | {
      public?: false;
      roles: readonly Role[];
      /** Present on routes about one patient (a `:patientId` in the path). */
      patient?: { relations: readonly PatientRelation[] };
      /** The action needs a fresh re-authentication (domain/access/step-up.ts). */
      stepUp?: StepUpAction;
    };

export interface Actor {
  userId: string;
  role: Role;
  displayName: string;
  practiceId: string | null;
}

/** What the database says about one patient, as far as access is concerned. */
export interface PatientAccessFacts {
  patientId: string;
  /** The user account of the patient, if they have one. */
  userId: string | null;
  /** GPs with the patient on their list today. */
  activeGpUserIds: readonly string[];
  /** GPs covering now for the patient's absent GP (a named colleague, or the practice). */
  coveringGpUserIds?: readonly string[];
  /** GPs of the practice, while an urgent case escalated to the practice is open. */
  urgentEscalationGpUserIds?: readonly string[];
  /** GPs of the practice who broke the glass for this patient, while it lasts (emergency-access.ts). */
  emergencyAccessGpUserIds?: readonly string[];
  /** Guides a GP of the patient has assigned, while the assignment lasts (guide_assignments). */
  assignedGuideUserIds?: readonly string[];
}

export type AccessDecision =
  | { allowed: true; basis: AccessBasis }
  | { allowed: false; reason: 'unauthenticated' | 'role' | 'no_relation' };

/** Function-level check: may this actor (or nobody) use this route at all? */
export function decideRouteAccess(actor: Actor | null, access: RouteAccess): AccessDecision {
  if (access.public) return { allowed: true, basis: 'public' };
  if (!actor) return { allowed: false, reason: 'unauthenticated' };
  if (!access.roles.includes(actor.role)) return { allowed: false, reason: 'role' };
  return { allowed: true, basis: 'role' };
}

/**
 * Object-level check for one patient. `facts` is undefined when the patient does not exist; that is
 * refused exactly like a patient the actor has no relation to, so existence does not leak.
 */
export function decidePatientAccess(
  actor: Actor,
  relations: readonly PatientRelation[],
  facts: PatientAccessFacts | undefined
): AccessDecision {
  if (!facts) return { allowed: false, reason: 'no_relation' };
  for (const relation of relations) {
    if (relation === 'self' && actor.role === 'patient' && facts.userId === actor.userId) {
      return { allowed: true, basis: 'self' };
    }
    if (relation === 'gp_list' && actor.role === 'gp' && facts.activeGpUserIds.includes(actor.userId)) {
      return { allowed: true, basis: 'gp_list' };
    }
    if (
      relation === 'absence_cover' &&
      actor.role === 'gp' &&
      facts.coveringGpUserIds?.includes(actor.userId)
    ) {
      return { allowed: true, basis: 'absence_cover' };
    }
    if (
      relation === 'urgent_escalation' &&
      actor.role === 'gp' &&
      facts.urgentEscalationGpUserIds?.includes(actor.userId)
    ) {
      return { allowed: true, basis: 'urgent_escalation' };
    }
    if (
      relation === 'emergency_access' &&
      actor.role === 'gp' &&
      facts.emergencyAccessGpUserIds?.includes(actor.userId)
    ) {
      return { allowed: true, basis: 'emergency_access' };
    }
    if (
      relation === 'assigned_guide' &&
      actor.role === 'guide' &&
      facts.assignedGuideUserIds?.includes(actor.userId)
    ) {
      return { allowed: true, basis: 'assigned_guide' };
    }
  }
  return { allowed: false, reason: 'no_relation' };
}

/**
 * Who owns a follow-up planned now: the patient's own GP. A colleague covering an absence plans on
 * the absent GP's behalf, so the plan stays with the patient's GP and gives the colleague nothing
 * once the cover ends.
 */
export function followUpOwner(actor: Actor, listGpUserIds: readonly string[]): string {
  if (listGpUserIds.includes(actor.userId)) return actor.userId;
  const own = listGpUserIds[0];
  if (!own) throw new Error('A follow-up can only be planned for a patient on a GP list');
  return own;
}
