/**
 * The implementation funnel and the groups equity of uptake is measured over: one definition used
 * by the dashboards, the research extract and the simulator.
 *
 * The funnel answers the seed study's question for this platform's own patients: where, between a
 * GP's recommendation and a finished programme, do patients drop out, and at which GP? Each stage
 * counts the patients who reached it AND every stage before it, so the funnel never widens; a
 * patient who finished without a held follow-up (guidance level "self") stops at module 1.
 */

export const FUNNEL_STAGES = [
  'recommended',
  'invitation_used',
  'started',
  'module1_done',
  'first_follow_up_held',
  'finished',
] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

/** When each step happened for one patient's recommendation (null: not yet, or never). */
export interface ImplementationFacts {
  recommendedAt: string | Date;
  invitationUsedAt: string | Date | null;
  startedAt: string | Date | null;
  module1DoneAt: string | Date | null;
  firstFollowUpHeldAt: string | Date | null;
  finishedAt: string | Date | null;
}

/** The last stage this patient reached with every stage before it reached too. */
export function furthestStage(facts: ImplementationFacts): FunnelStage {
  const reached: Record<FunnelStage, boolean> = {
    recommended: true,
    invitation_used: facts.invitationUsedAt !== null,
    started: facts.startedAt !== null,
    module1_done: facts.module1DoneAt !== null,
    first_follow_up_held: facts.firstFollowUpHeldAt !== null,
    finished: facts.finishedAt !== null,
  };
  let last: FunnelStage = 'recommended';
  for (const stage of FUNNEL_STAGES) {
    if (!reached[stage]) break;
    last = stage;
  }
  return last;
}

export function reachedStage(facts: ImplementationFacts, stage: FunnelStage): boolean {
  return FUNNEL_STAGES.indexOf(furthestStage(facts)) >= FUNNEL_STAGES.indexOf(stage);
}

/** Patients at each stage (cumulative: stage k counts everyone who got at least that far). */
export function funnelCounts(patients: readonly ImplementationFacts[]): Record<FunnelStage, number> {
  const counts = Object.fromEntries(FUNNEL_STAGES.map((s) => [s, 0])) as Record<FunnelStage, number>;
  for (const p of patients) {
    const furthest = FUNNEL_STAGES.indexOf(furthestStage(p));
    for (let i = 0; i <= furthest; i++) counts[FUNNEL_STAGES[i]!]++;
  }
  return counts;
}

// ------------------------------------------------------------------------------------------------
// Groups for equity of uptake
// ------------------------------------------------------------------------------------------------

/** Age groups as the registry analyses use them (registry/engine/analyses.ts), so figures line up. */
export const AGE_GROUPS = ['18-29', '30-39', '40-49', '50-59', '60-69', '70+'] as const;
export type AgeGroup = (typeof AGE_GROUPS)[number];

export function ageGroup(age: number): AgeGroup {
  if (age < 30) return '18-29';
  if (age < 40) return '30-39';
  if (age < 50) return '40-49';
  if (age < 60) return '50-59';
  if (age < 70) return '60-69';
  return '70+';
}

/**
 * Highest completed education, in the registry's three groups (SSB NUS2000: low 0-2 = grunnskole,
 * medium 3-5 = videregående and fagskole, high 6-8 = universitet og høgskole), ordered from low to
 * high so the concentration index can rank by it. Asked once, with consent, and optional: a patient
 * may decline, and then no education is stored at all.
 */
export const EDUCATION_GROUPS = ['low', 'medium', 'high'] as const;
export type EducationGroup = (typeof EDUCATION_GROUPS)[number];

export const EDUCATION_TEXT: Readonly<Record<EducationGroup, { nb: string; en: string }>> = {
  low: { nb: 'Grunnskole', en: 'Primary and lower secondary school' },
  medium: {
    nb: 'Videregående skole eller fagskole',
    en: 'Upper secondary school or vocational college',
  },
  high: { nb: 'Universitet eller høgskole', en: 'University or university college' },
};

/** What the patient is told when asked, and why: the consent is to this purpose only. */
export const EDUCATION_QUESTION_PURPOSE = {
  nb: 'Vi spør én gang om utdanning for å se om programmet når like godt ut til alle. Svaret brukes bare i samlede tall der ingen kan kjennes igjen, og aldri av fastlegen i behandlingen. Du kan la være å svare, og du kan slette svaret senere.',
  en: 'We ask once about education to see whether the programme reaches everyone equally well. The answer is used only in combined figures where no one can be recognised, and never by your GP in your care. You may choose not to answer, and you can delete the answer later.',
} as const;

/** The dimensions equity of uptake is shown over. */
export const EQUITY_DIMENSIONS = ['sex', 'age_group', 'work_status', 'education'] as const;
export type EquityDimension = (typeof EQUITY_DIMENSIONS)[number];

/**
 * The uptake steps equity is measured on: was the programme recommended (of the patients registered
 * in the platform on a GP's list), was it started and was it finished (both of those recommended).
 */
export const UPTAKE_STEPS = ['recommended', 'started', 'finished'] as const;
export type UptakeStep = (typeof UPTAKE_STEPS)[number];
