/** Access rules used by many routes, named once. */
import type { RouteAccess } from '../../domain/access/policy.js';

/** The patient themself, or a GP with the patient on their list. */
export const PATIENT_OR_LISTED_GP = {
  roles: ['patient', 'gp'],
  patient: { relations: ['self', 'gp_list'] },
} as const satisfies RouteAccess;
/** The patient themself only (their own writes, their access log). */
export const PATIENT_SELF = {
  roles: ['patient'],
  patient: { relations: ['self'] },
} as const satisfies RouteAccess;
/** A GP with the patient on their list. */
export const LISTED_GP = {
  roles: ['gp'],
  patient: { relations: ['gp_list'] },
} as const satisfies RouteAccess;
