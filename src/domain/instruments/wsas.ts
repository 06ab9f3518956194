/**
 * WSAS (Work and Social Adjustment Scale) with a work-status question.
 * Mundt JC, Marks IM, Shear MK, Greist JM. Br J Psychiatry 2002;180:461-464: five areas, each rated
 * 0 (not at all impaired) to 8 (very severely impaired), total 0-40; under 10 subclinical, 10-20
 * significant impairment, over 20 moderately severe or worse. Item 1 (work) can be "not applicable"
 * (retired, or not working for reasons unrelated to the problem); then, as in the NHS Data
 * Dictionary, it is replaced by the mean of the other four items, so the total stays on 0-40.
 * There is no LOINC code for the WSAS; a local code system is used.
 *
 * Work status follows the Norwegian Prompt Mental Health Care (Rask psykisk helsehjelp) practice of
 * recording self-reported work status next to the WSAS.
 */
import type { FieldProblem, InstrumentItem } from './phq9.js';

export const WSAS_VERSION = '2026.1';
export const WSAS_CODE_SYSTEM = 'https://gp-dep.example/fhir/CodeSystem/wsas';

export const WSAS_INTRO = {
  nb: 'Plagene våre kan gjøre det vanskeligere å klare vanlige ting i hverdagen. Tenk på plagene du søker hjelp for, og kryss av for hvor mye de hindrer deg på hvert område.',
  en: 'Our problems can make ordinary day-to-day things harder. Thinking of the problems you are seeking help for, rate how much they impair your ability in each area.',
} as const;

export const WSAS_ITEMS: readonly InstrumentItem[] = [
  {
    linkId: 'wsas-1',
    loinc: 'wsas-work',
    text: { nb: 'Arbeid (betalt arbeid eller studier)', en: 'Work (paid work or studies)' },
  },
  {
    linkId: 'wsas-2',
    loinc: 'wsas-home',
    text: {
      nb: 'Ting hjemme (rydde, handle, lage mat, ta seg av hjem eller barn, betale regninger)',
      en: 'Home management (cleaning, shopping, cooking, looking after home or children, paying bills)',
    },
  },
  {
    linkId: 'wsas-3',
    loinc: 'wsas-social-leisure',
    text: {
      nb: 'Sosial fritid sammen med andre (besøk, selskap, turer, trening med andre)',
      en: 'Social leisure with other people (visits, parties, outings, exercising with others)',
    },
  },
  {
    linkId: 'wsas-4',
    loinc: 'wsas-private-leisure',
    text: {
      nb: 'Fritid på egen hånd (lese, gå tur alene, hagearbeid, hobbyer)',
      en: 'Private leisure done alone (reading, walking alone, gardening, hobbies)',
    },
  },
  {
    linkId: 'wsas-5',
    loinc: 'wsas-relationships',
    text: {
      nb: 'Evnen til å ha nære forhold til andre, også dem du bor sammen med',
      en: 'Ability to form and keep close relationships with others, including those you live with',
    },
  },
];

/** Anchors printed under the 0-8 scale. */
export const WSAS_ANCHORS = [
  { score: 0, text: { nb: 'Ikke i det hele tatt', en: 'Not at all' } },
  { score: 2, text: { nb: 'Litt', en: 'Slightly' } },
  { score: 4, text: { nb: 'Tydelig', en: 'Definitely' } },
  { score: 6, text: { nb: 'Markert', en: 'Markedly' } },
  { score: 8, text: { nb: 'Svært mye', en: 'Very severely' } },
] as const;

export const WORK_STATUSES = [
  'working',
  'partly_sick_leave',
  'full_sick_leave',
  'other_benefit',
  'not_working',
  'studying',
] as const;
export type WorkStatus = (typeof WORK_STATUSES)[number];

export const WORK_STATUS_TEXT: Readonly<Record<WorkStatus, { nb: string; en: string }>> = {
  working: { nb: 'I arbeid', en: 'Working' },
  partly_sick_leave: { nb: 'Delvis sykmeldt (gradert)', en: 'Partly on sick leave (graded)' },
  full_sick_leave: { nb: 'Helt sykmeldt', en: 'Fully on sick leave' },
  other_benefit: {
    nb: 'Annen ytelse (for eksempel AAP eller uføretrygd)',
    en: 'Other benefit (e.g. work assessment allowance or disability)',
  },
  not_working: {
    nb: 'Ikke i arbeid av andre grunner (for eksempel pensjonist)',
    en: 'Not working for other reasons (e.g. retired)',
  },
  studying: { nb: 'Student eller elev', en: 'Student' },
};

/**
 * May the work item be "not applicable" with this work status? Only for someone not working for
 * reasons unrelated to the problem (retired, for example). On sick leave or a benefit the work
 * item is exactly where the impairment shows; leaving it out would underestimate impairment in
 * the patients the GP-DEP study is about.
 */
export function workItemMayBeNotApplicable(status: WorkStatus | null): boolean {
  return status === 'not_working';
}

export interface WsasAnswers {
  /** Five ratings 0-8; the first (work) may be null when not applicable. */
  items: (number | null)[];
  workStatus: WorkStatus;
}

/** The impairment bands, mildest first (Mundt 2002); the API contract's enum is built from this. */
export const WSAS_BANDS = ['subclinical', 'significant', 'severe'] as const;
export type WsasBand = (typeof WSAS_BANDS)[number];

export function wsasBand(total: number): WsasBand {
  if (!Number.isInteger(total) || total < 0 || total > 40)
    throw new RangeError(`WSAS total must be an integer 0-40, got ${total}`);
  if (total < 10) return 'subclinical';
  if (total <= 20) return 'significant';
  return 'severe';
}

export function validateWsasAnswers(answers: { items: unknown; workStatus?: unknown }): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const { items, workStatus } = answers;
  if (!Array.isArray(items)) problems.push({ field: 'items', reason: 'must be a list of 5 ratings' });
  else {
    if (items.length !== 5)
      problems.push({ field: 'items', reason: `must have exactly 5 ratings, got ${items.length}` });
    items.forEach((v, i) => {
      const allowedNull = i === 0 && v === null;
      if (!allowedNull && !(Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 8)) {
        problems.push({
          field: `items[${i}]`,
          reason:
            i === 0
              ? 'must be a whole number 0-8, or null when work does not apply'
              : 'must be a whole number 0-8',
        });
      }
    });
  }
  if (!WORK_STATUSES.includes(workStatus as WorkStatus)) {
    problems.push({ field: 'workStatus', reason: `must be one of ${WORK_STATUSES.join(', ')}` });
  } else if (
    Array.isArray(items) &&
    items[0] === null &&
    !workItemMayBeNotApplicable(workStatus as WorkStatus)
  ) {
    problems.push({
      field: 'items[0]',
      reason: `cannot be "not applicable" with work status ${String(workStatus)}: rate how much the problems affect work`,
    });
  }
  return problems;
}

export function scoreWsas(answers: WsasAnswers): {
  total: number;
  band: WsasBand;
  workNotApplicable: boolean;
} {
  const problems = validateWsasAnswers(answers);
  if (problems.length > 0)
    throw new RangeError(`Invalid WSAS answers: ${problems.map((p) => `${p.field} ${p.reason}`).join('; ')}`);
  const [work, ...rest] = answers.items as [number | null, number, number, number, number];
  const restSum = rest.reduce((a, b) => a + b, 0);
  // Not applicable: the work item takes the mean of the other four (NHS Data Dictionary), rounded.
  const total = work === null ? Math.round((restSum * 5) / 4) : work + restSum;
  return { total, band: wsasBand(total), workNotApplicable: work === null };
}
