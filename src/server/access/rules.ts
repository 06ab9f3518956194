/** Access rules used by many routes, named once. */
import {
  GUIDANCE_RELATIONS,
  GUIDANCE_STAFF_RELATIONS,
  GUIDANCE_STAFF_ROLES,
  TREATING_GP_RELATIONS,
  type RouteAccess,
} from '../../domain/access/policy.js';
import type { StudyAccess } from './access.plugin.js';

/**
 * The patient themself, or a GP in a care relation: on their list, covering for the patient's
 * absent GP while the absence lasts, in the practice while an overdue urgent case is escalated
 * to it and open, or a GP of the practice who broke the glass, for the two hours it lasts.
 */
export const PATIENT_OR_TREATING_GP = {
  roles: ['patient', 'gp'],
  patient: { relations: ['self', ...TREATING_GP_RELATIONS] },
} as const satisfies RouteAccess;

/** A GP in a care relation with the patient (see PATIENT_OR_TREATING_GP); never a guide. */
export const TREATING_GP = {
  roles: ['gp'],
  patient: { relations: TREATING_GP_RELATIONS },
} as const satisfies RouteAccess;

/**
 * Guidance between visits (messages, shared exercises and feedback): the patient, a treating GP,
 * or a guide assigned to the patient now (domain/access/policy.ts GUIDANCE_RELATIONS).
 */
export const PATIENT_OR_CARE_TEAM = {
  roles: ['patient', ...GUIDANCE_STAFF_ROLES],
  patient: { relations: GUIDANCE_RELATIONS },
} as const satisfies RouteAccess;

/** A treating GP or an assigned guide (feedback on a shared exercise, the guidance summary). */
export const CARE_TEAM = {
  roles: GUIDANCE_STAFF_ROLES,
  patient: { relations: GUIDANCE_STAFF_RELATIONS },
} as const satisfies RouteAccess;

/** The patient themself only (their own writes, their access log). */
export const PATIENT_SELF = {
  roles: ['patient'],
  patient: { relations: ['self'] },
} as const satisfies RouteAccess;

/** The patient's own GP (the list relation): recommending the program, inviting, planning. */
export const LISTED_GP = {
  roles: ['gp'],
  patient: { relations: ['gp_list'] },
} as const satisfies RouteAccess;

/** A researcher: the study's surveys (counts and questionnaires, never a respondent's answers). */
export const RESEARCHER = { roles: ['researcher'] } as const satisfies RouteAccess;

/**
 * A qualitative study's routes (`:studyId`): a researcher who is a member of the study, in one of
 * the named study roles. A non-member gets 404 (studies cannot be discovered); a member in another
 * role 403. Spread into a route's config: `config: { ...STUDY_LEAD }`.
 */
export const STUDY_MEMBER = {
  access: RESEARCHER,
  study: { roles: ['lead', 'coder', 'reader'] },
} as const satisfies { access: RouteAccess; study: StudyAccess };

/** The study lead only: participants, consents, identity keys, imports and de-identification. */
export const STUDY_LEAD = {
  access: RESEARCHER,
  study: { roles: ['lead'] },
} as const satisfies { access: RouteAccess; study: StudyAccess };

/**
 * Exports out of a study (Word documents, a signed consent form): as STUDY_MEMBER / STUDY_LEAD,
 * with a fresh re-authentication first (step-up `export`, domain/access/step-up.ts).
 */
export const STUDY_MEMBER_EXPORT = {
  access: { ...RESEARCHER, stepUp: 'export' },
  study: STUDY_MEMBER.study,
} as const satisfies { access: RouteAccess; study: StudyAccess };

export const STUDY_LEAD_EXPORT = {
  access: { ...RESEARCHER, stepUp: 'export' },
  study: STUDY_LEAD.study,
} as const satisfies { access: RouteAccess; study: StudyAccess };

/** A user-group member (the user role): their start page, the studies whose user group they are in. */
export const USER_GROUP = { roles: ['user_group'] } as const satisfies RouteAccess;

/**
 * A study's shared syntheses: its members read them with the comments, and so does its user group
 * (users in the user-group role listed for the study; anyone else 404).
 */
export const STUDY_SHARES = {
  access: { roles: ['researcher', 'user_group'] },
  study: { roles: ['lead', 'coder', 'reader', 'user_group'] },
} as const satisfies { access: RouteAccess; study: StudyAccess };

/**
 * Commenting on a shared synthesis: the study's user group only. Researchers pass the role check
 * so that a non-member gets the same 404 as on every study route, and a member 403.
 */
export const STUDY_USER_GROUP = {
  // the user group first: the role this route is for
  access: { roles: ['user_group', 'researcher'] },
  study: { roles: ['user_group'] },
} as const satisfies { access: RouteAccess; study: StudyAccess };
