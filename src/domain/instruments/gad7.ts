/**
 * GAD-7 (Generalized Anxiety Disorder, seven items) — definition, validation and scoring.
 * Spitzer RL, Kroenke K, Williams JBW, Löwe B. Arch Intern Med 2006;166:1092-1097: seven items
 * scored 0-3 over the last two weeks, total 0-21; bands 0-4 minimal, 5-9 mild, 10-14 moderate,
 * 15-21 severe. Free to reproduce (Pfizer). LOINC: panel 69737-5, total 70274-6.
 */
import { PHQ9_FREQUENCY_OPTIONS, PHQ9_INTRO, type FieldProblem, type InstrumentItem } from './phq9.js';

export const GAD7_VERSION = '2026.1';
export const GAD7_PANEL_LOINC = '69737-5';
export const GAD7_TOTAL_LOINC = '70274-6';
export const GAD7_INTRO = PHQ9_INTRO;
/** The same four answers as the PHQ-9 (LOINC LL358-3). */
export const GAD7_OPTIONS = PHQ9_FREQUENCY_OPTIONS;

export const GAD7_ITEMS: readonly InstrumentItem[] = [
  {
    linkId: 'gad7-1',
    loinc: '69725-0',
    text: {
      nb: 'Følt deg nervøs, engstelig eller veldig stresset',
      en: 'Feeling nervous, anxious, or on edge',
    },
  },
  {
    linkId: 'gad7-2',
    loinc: '68509-9',
    text: {
      nb: 'Ikke klart å slutte å bekymre deg eller kontrollere bekymringene dine',
      en: 'Not being able to stop or control worrying',
    },
  },
  {
    linkId: 'gad7-3',
    loinc: '69733-4',
    text: {
      nb: 'Bekymret deg for mye for forskjellige ting',
      en: 'Worrying too much about different things',
    },
  },
  {
    linkId: 'gad7-4',
    loinc: '69734-2',
    text: { nb: 'Hatt vanskelig for å slappe av', en: 'Trouble relaxing' },
  },
  {
    linkId: 'gad7-5',
    loinc: '69735-9',
    text: {
      nb: 'Vært så rastløs at du har hatt vanskelig for å sitte stille',
      en: 'Being so restless that it is hard to sit still',
    },
  },
  {
    linkId: 'gad7-6',
    loinc: '69689-8',
    text: { nb: 'Blitt lett irritert eller sint', en: 'Becoming easily annoyed or irritable' },
  },
  {
    linkId: 'gad7-7',
    loinc: '69736-7',
    text: {
      nb: 'Følt deg redd, som om noe forferdelig kunne komme til å skje',
      en: 'Feeling afraid, as if something awful might happen',
    },
  },
];

/** The severity bands, mildest first (Spitzer 2006); the API contract's enum is built from this. */
export const GAD7_SEVERITIES = ['minimal', 'mild', 'moderate', 'severe'] as const;
export type Gad7Severity = (typeof GAD7_SEVERITIES)[number];

export function gad7Severity(total: number): Gad7Severity {
  if (!Number.isInteger(total) || total < 0 || total > 21)
    throw new RangeError(`GAD-7 total must be an integer 0-21, got ${total}`);
  if (total <= 4) return 'minimal';
  if (total <= 9) return 'mild';
  if (total <= 14) return 'moderate';
  return 'severe';
}

export function validateGad7Items(items: unknown): FieldProblem[] {
  if (!Array.isArray(items)) return [{ field: 'items', reason: 'must be a list of 7 answers' }];
  const problems: FieldProblem[] = [];
  if (items.length !== 7)
    problems.push({ field: 'items', reason: `must have exactly 7 answers, got ${items.length}` });
  items.forEach((v, i) => {
    if (v !== 0 && v !== 1 && v !== 2 && v !== 3)
      problems.push({ field: `items[${i}]`, reason: 'must be one of 0, 1, 2, 3' });
  });
  return problems;
}

export function scoreGad7(items: readonly number[]): { total: number; severity: Gad7Severity } {
  const problems = validateGad7Items(items);
  if (problems.length > 0)
    throw new RangeError(
      `Invalid GAD-7 answers: ${problems.map((p) => `${p.field} ${p.reason}`).join('; ')}`
    );
  const total = items.reduce((a, b) => a + b, 0);
  return { total, severity: gad7Severity(total) };
}
