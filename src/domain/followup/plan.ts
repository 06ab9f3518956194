/**
 * The follow-up plan that a recommendation creates at once, so nothing depends on the GP
 * remembering to book it (the study's GPs recommended the program but the module follow-ups
 * mostly never happened). Guided (the default): one 20-minute follow-up after each module, about
 * every 14 days. Minimal contact: a rationale talk is the recommendation itself, then brief
 * check-ins at weeks 2, 6 and 10. Self-guided: one check-in at the end (week 10).
 */
import type { ModuleId } from '../program/progress.js';

export const GUIDANCE_LEVELS = ['guided', 'minimal', 'self'] as const;
export type GuidanceLevel = (typeof GUIDANCE_LEVELS)[number];

export const FOLLOW_UP_INTERVAL_DAYS = 14;
export const FOLLOW_UP_MINUTES = 20;
export const CHECK_IN_MINUTES = 10;

export interface PlannedFollowUp {
  plannedAt: Date;
  durationMinutes: number;
  moduleId: ModuleId | null;
  kind: 'module' | 'check_in';
}

const DAY = 24 * 60 * 60 * 1000;

/** Moves a date to a weekday at the given local-ish hour (UTC here; the GP moves it to a real slot). */
function onWeekday(date: Date, hourUtc: number): Date {
  const d = new Date(date);
  d.setUTCHours(hourUtc, 0, 0, 0);
  const day = d.getUTCDay();
  if (day === 6) d.setUTCDate(d.getUTCDate() + 2);
  if (day === 0) d.setUTCDate(d.getUTCDate() + 1);
  return d;
}

export function planFollowUps(level: GuidanceLevel, recommendedAt: Date, hourUtc = 8): PlannedFollowUp[] {
  const at = (days: number) => onWeekday(new Date(recommendedAt.getTime() + days * DAY), hourUtc);
  switch (level) {
    case 'guided':
      return (['m1', 'm2', 'm3', 'm4', 'm5'] as const).map((moduleId, i) => ({
        plannedAt: at(FOLLOW_UP_INTERVAL_DAYS * (i + 1)),
        durationMinutes: FOLLOW_UP_MINUTES,
        moduleId,
        kind: 'module' as const,
      }));
    case 'minimal':
      return [14, 42, 70].map((days) => ({
        plannedAt: at(days),
        durationMinutes: CHECK_IN_MINUTES,
        moduleId: null,
        kind: 'check_in' as const,
      }));
    case 'self':
      return [{ plannedAt: at(70), durationMinutes: CHECK_IN_MINUTES, moduleId: null, kind: 'check_in' }];
  }
}

/**
 * What the GP manual lists as reasons self-help may not be the right step, asked as a short
 * checklist before recommending. Any item present needs a recorded reason to go ahead.
 */
export const CONTRAINDICATIONS = [
  'bipolar',
  'psychosis',
  'substance_misuse',
  'violence_at_home',
  'under_18',
] as const;
export type Contraindication = (typeof CONTRAINDICATIONS)[number];

/** A reason the check asks the GP to decide on: from the latest PHQ-9, or from the checklist. */
export type SuitabilityReason = 'severe' | 'item9_positive' | Contraindication;

export type Suitability =
  | { level: 'ok'; advice: SuitabilityAdvice[] }
  | { level: 'no_baseline'; advice: SuitabilityAdvice[] }
  | { level: 'needs_decision'; reasons: ('severe' | 'item9_positive')[]; advice: SuitabilityAdvice[] };

/** Advice that does not block: PHQ-9 15-19 (moderately severe) suggests seeing the patient more often. */
export type SuitabilityAdvice = 'see_more_often';

/**
 * The suitability check shown before recommending. Self-help is for mild to moderate depression:
 * a severe PHQ-9 (20+) or a positive item 9 asks the GP to decide, and to record why (never a
 * grading of risk; the GP's clinical judgement decides). 15-19 is moderately severe: the check
 * suggests more frequent follow-up.
 */
export function suitability(latestPhq9: { total: number; item9: number } | null): Suitability {
  if (!latestPhq9) return { level: 'no_baseline', advice: [] };
  const reasons: ('severe' | 'item9_positive')[] = [];
  if (latestPhq9.total >= 20) reasons.push('severe');
  if (latestPhq9.item9 > 0) reasons.push('item9_positive');
  const advice: SuitabilityAdvice[] =
    latestPhq9.total >= 15 && latestPhq9.total <= 19 ? ['see_more_often'] : [];
  return reasons.length > 0 ? { level: 'needs_decision', reasons, advice } : { level: 'ok', advice };
}

/**
 * Whether the patient may be under 18, from the birth year alone (the platform stores no birth
 * date): flagged when they are under 18 or turn 18 this year, so no minor passes unasked.
 */
export function mayBeUnder18(birthYear: number, now: Date): boolean {
  return now.getUTCFullYear() - birthYear <= 18;
}

/**
 * Problems with the checklist the GP sends: every item present needs a reason to go ahead, and
 * an item the birth year shows cannot be left out. Field names follow the request body.
 */
export function checklistProblems(
  present: readonly { item: Contraindication; reasonToProceed: string }[],
  facts: { birthYear: number; now: Date }
): { field: string; reason: string }[] {
  const problems: { field: string; reason: string }[] = [];
  const seen = new Set<Contraindication>();
  present.forEach((entry, index) => {
    if (seen.has(entry.item))
      problems.push({ field: `contraindications[${index}].item`, reason: 'is listed twice' });
    seen.add(entry.item);
    if (!entry.reasonToProceed.trim()) {
      problems.push({
        field: `contraindications[${index}].reasonToProceed`,
        reason: 'is required: record why the program is still the right step',
      });
    }
  });
  if (mayBeUnder18(facts.birthYear, facts.now) && !seen.has('under_18')) {
    problems.push({
      field: 'contraindications',
      reason: 'must include under_18: the birth year shows the patient may be under 18',
    });
  }
  return problems;
}

/**
 * The module a follow-up talk is about: the planned one if the patient has completed it, else the
 * last module they have completed (a talk planned after module 2 for someone who finished only
 * module 1 is about module 1); null before any. The card and the note both use this, so neither
 * says "after module 2" for work not done.
 */
export function moduleOfTalk<M extends string>(
  planned: M | null,
  completedInOrder: readonly M[],
  order: readonly M[]
): M | null {
  if (planned && completedInOrder.includes(planned)) return planned;
  const limit = planned ? order.indexOf(planned) : order.length;
  const done = completedInOrder.filter((m) => order.indexOf(m) <= limit);
  return done.sort((a, b) => order.indexOf(a) - order.indexOf(b)).at(-1) ?? null;
}
