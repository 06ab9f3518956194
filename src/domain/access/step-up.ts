/**
 * Step-up re-authentication (issue 16): some actions need the user to have proved who they are
 * within the last few minutes, not only to hold a session. Which actions, and how fresh the proof
 * must be, is decided here once; the access layer (server/access/access.plugin.ts) asks before
 * every request and answers 403 with the problem type STEP_UP_PROBLEM_TYPE, which the web app
 * answers with a re-authentication dialog and a retry.
 *
 * The actions:
 * - `admin_change`: every state-changing request under /api/admin/ (accounts), whether or not the
 *   route says so: a new admin route cannot forget it;
 * - `export`: data leaving the platform as a file (survey exports, qualitative Word documents,
 *   consent forms), declared by the route with `stepUp: 'export'`;
 * - `factor_change`: adding or removing a second factor, new recovery codes;
 * - `break_glass`: reserved. Breaking the glass (emergency access to a patient outside the care
 *   relation) is not built in this product; when it is, its route declares `stepUp: 'break_glass'`.
 *
 * Fresh means: logged in, or re-authenticated (a second factor, or the password for a user who
 * has none), within STEP_UP_MAX_AGE_SECONDS.
 */
export const STEP_UP_ACTIONS = ['admin_change', 'export', 'factor_change', 'break_glass'] as const;
export type StepUpAction = (typeof STEP_UP_ACTIONS)[number];

export const STEP_UP_MAX_AGE_SECONDS = 10 * 60;

export const STEP_UP_PROBLEM_TYPE = 'https://gp-dep.example/problems/step-up-required';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Which step-up action a request is, if any: what the route declares, or an admin change. */
export function stepUpActionOf(route: {
  method: string;
  url: string;
  declared?: StepUpAction | undefined;
}): StepUpAction | null {
  if (route.declared) return route.declared;
  if (STATE_CHANGING.has(route.method.toUpperCase()) && route.url.startsWith('/api/admin/'))
    return 'admin_change';
  return null;
}

/** Is the last authentication fresh enough for a step-up action? */
export function stepUpFresh(lastAuthenticatedAt: Date, now: Date): boolean {
  return now.getTime() - lastAuthenticatedAt.getTime() < STEP_UP_MAX_AGE_SECONDS * 1000;
}

/** Until when the last authentication counts as fresh. */
export function stepUpFreshUntil(lastAuthenticatedAt: Date): Date {
  return new Date(lastAuthenticatedAt.getTime() + STEP_UP_MAX_AGE_SECONDS * 1000);
}
