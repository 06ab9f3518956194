/**
 * PHQ-9 (Patient Health Questionnaire, nine items) — definition, validation and scoring.
 *
 * Scoring follows Kroenke, Spitzer & Williams, J Gen Intern Med 2001;16:606-613: nine items scored
 * 0-3, total 0-27, severity bands 0-4 / 5-9 / 10-14 / 15-19 / 20-27. Item 10 (how difficult the
 * problems have made daily life) is recorded but never scored. The PHQ is free to reproduce and
 * translate (Pfizer; phqscreeners.com). LOINC codes: docs/clinical/phq9.md.
 *
 * Pure module: no I/O. The server is the only place a score is computed; a total sent by a client
 * is never trusted.
 */

export type Locale = 'nb' | 'en';

export const PHQ9_ITEM_COUNT = 9;
export const PHQ9_MAX_SCORE = 27;
/** Version of the item texts. Bump it (and the pinned hash in the test) when any text changes. */
export const PHQ9_VERSION = '2026.1';

export type Phq9ItemScore = 0 | 1 | 2 | 3;
export type Phq9Difficulty = 0 | 1 | 2 | 3;

export interface Phq9Answers {
  /** Exactly nine item scores, item 1 first. */
  items: Phq9ItemScore[];
  /** Item 10; required when any item is above 0 (the form asks it only then). */
  difficulty: Phq9Difficulty | null;
}

/** The severity bands, mildest first (Kroenke 2001); the API contract's enum is built from this. */
export const PHQ9_SEVERITIES = ['minimal', 'mild', 'moderate', 'moderately_severe', 'severe'] as const;
export type Phq9Severity = (typeof PHQ9_SEVERITIES)[number];

export interface Phq9Score {
  total: number;
  severity: Phq9Severity;
  /** Item 9 (thoughts of being better off dead or of self-harm) above 0: show crisis resources and alert the GP. */
  item9Positive: boolean;
  item9Score: Phq9ItemScore;
}

interface LocalText {
  nb: string;
  en: string;
}

export interface InstrumentItem {
  linkId: string;
  loinc: string;
  text: LocalText;
}

export interface AnswerOption {
  score: number;
  loinc: string;
  text: LocalText;
}

export const PHQ9_PANEL_LOINC = '44249-1';
export const PHQ9_TOTAL_LOINC = '44261-6';
export const PHQ9_DIFFICULTY_LOINC = '69722-7';

export const PHQ9_INTRO: LocalText = {
  nb: 'I løpet av de siste 2 ukene, hvor ofte har du vært plaget av noen av de følgende problemene?',
  en: 'Over the last 2 weeks, how often have you been bothered by any of the following problems?',
};

export const PHQ9_ITEMS: readonly InstrumentItem[] = [
  {
    linkId: 'phq9-1',
    loinc: '44250-9',
    text: {
      nb: 'Lite interesse for eller glede av å gjøre ting',
      en: 'Little interest or pleasure in doing things',
    },
  },
  {
    linkId: 'phq9-2',
    loinc: '44255-8',
    text: {
      nb: 'Følt deg nedfor, deprimert eller fått følelse av håpløshet',
      en: 'Feeling down, depressed, or hopeless',
    },
  },
  {
    linkId: 'phq9-3',
    loinc: '44259-0',
    text: {
      nb: 'Problemer med å få sove eller sove sammenhengende, eller sovet for mye',
      en: 'Trouble falling or staying asleep, or sleeping too much',
    },
  },
  {
    linkId: 'phq9-4',
    loinc: '44254-1',
    text: { nb: 'Følt deg trett eller hatt lite energi', en: 'Feeling tired or having little energy' },
  },
  {
    linkId: 'phq9-5',
    loinc: '44251-7',
    text: { nb: 'Dårlig matlyst eller overspising', en: 'Poor appetite or overeating' },
  },
  {
    linkId: 'phq9-6',
    loinc: '44258-2',
    text: {
      nb: 'Dårlig selvfølelse – eller følt at du er mislykket eller har sviktet deg selv eller familien din',
      en: 'Feeling bad about yourself — or that you are a failure or have let yourself or your family down',
    },
  },
  {
    linkId: 'phq9-7',
    loinc: '44252-5',
    text: {
      nb: 'Problemer med å konsentrere deg om ting, som for eksempel å lese avisen eller se på TV',
      en: 'Trouble concentrating on things, such as reading the newspaper or watching television',
    },
  },
  {
    linkId: 'phq9-8',
    loinc: '44253-3',
    text: {
      nb: 'Beveget deg eller snakket så langsomt at andre kan ha lagt merke til det? Eller det motsatte – vært så urolig eller rastløs at du har beveget deg mye mer enn vanlig',
      en: 'Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual',
    },
  },
  {
    linkId: 'phq9-9',
    loinc: '44260-8',
    text: {
      nb: 'Tanker om at det ville vært bedre om du var død, eller tanker om å skade deg selv på en eller annen måte',
      en: 'Thoughts that you would be better off dead, or of hurting yourself in some way',
    },
  },
];

/** LOINC answer list LL358-3. */
export const PHQ9_FREQUENCY_OPTIONS: readonly AnswerOption[] = [
  { score: 0, loinc: 'LA6568-5', text: { nb: 'Ikke i det hele tatt', en: 'Not at all' } },
  { score: 1, loinc: 'LA6569-3', text: { nb: 'Flere dager', en: 'Several days' } },
  {
    score: 2,
    loinc: 'LA6570-1',
    text: { nb: 'Mer enn halvparten av dagene', en: 'More than half the days' },
  },
  { score: 3, loinc: 'LA6571-9', text: { nb: 'Nesten hver dag', en: 'Nearly every day' } },
];

export const PHQ9_DIFFICULTY_QUESTION: LocalText = {
  nb: 'Hvis du har krysset av for noen av problemene: hvor vanskelig har disse problemene gjort det for deg å utføre arbeidet ditt, ta deg av ting hjemme eller komme overens med andre mennesker?',
  en: 'If you checked off any problems, how difficult have these problems made it for you to do your work, take care of things at home, or get along with other people?',
};

/**
 * Item 10 answers. The LOINC codes of "very" and "extremely" are swapped in several public examples;
 * these follow the LOINC answer list attached to 69722-7 (LA6575-0 very, LA6574-3 extremely).
 */
export const PHQ9_DIFFICULTY_OPTIONS: readonly AnswerOption[] = [
  { score: 0, loinc: 'LA6572-7', text: { nb: 'Ikke vanskelig i det hele tatt', en: 'Not difficult at all' } },
  { score: 1, loinc: 'LA6573-5', text: { nb: 'Litt vanskelig', en: 'Somewhat difficult' } },
  { score: 2, loinc: 'LA6575-0', text: { nb: 'Veldig vanskelig', en: 'Very difficult' } },
  { score: 3, loinc: 'LA6574-3', text: { nb: 'Ekstremt vanskelig', en: 'Extremely difficult' } },
];

/** Severity band of a PHQ-9 total (Kroenke 2001). Throws on a total outside 0-27. */
export function phq9Severity(total: number): Phq9Severity {
  if (!Number.isInteger(total) || total < 0 || total > PHQ9_MAX_SCORE) {
    throw new RangeError(`PHQ-9 total must be an integer 0-27, got ${total}`);
  }
  if (total <= 4) return 'minimal';
  if (total <= 9) return 'mild';
  if (total <= 14) return 'moderate';
  if (total <= 19) return 'moderately_severe';
  return 'severe';
}

export interface FieldProblem {
  /** The field as the client named it, e.g. `items[3]` or `difficulty`. */
  field: string;
  reason: string;
}

/**
 * Checks a complete PHQ-9 answer set. Returns every problem found (empty when valid), so the
 * client can show them all at once. Missing items are an error: the platform never imputes.
 */
export function validatePhq9Answers(answers: { items: unknown; difficulty?: unknown }): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const { items, difficulty } = answers;
  if (!Array.isArray(items)) {
    return [{ field: 'items', reason: 'must be a list of 9 answers' }];
  }
  if (items.length !== PHQ9_ITEM_COUNT) {
    problems.push({ field: 'items', reason: `must have exactly 9 answers, got ${items.length}` });
  }
  items.forEach((value, index) => {
    if (!isScore(value)) {
      problems.push({ field: `items[${index}]`, reason: 'must be one of 0, 1, 2, 3' });
    }
  });
  const anyPositive = items.some((value) => isScore(value) && value > 0);
  if (difficulty === undefined || difficulty === null) {
    if (anyPositive) {
      problems.push({ field: 'difficulty', reason: 'is required when any item is above 0' });
    }
  } else if (!isScore(difficulty)) {
    problems.push({ field: 'difficulty', reason: 'must be one of 0, 1, 2, 3' });
  }
  return problems;
}

function isScore(value: unknown): value is Phq9ItemScore {
  return value === 0 || value === 1 || value === 2 || value === 3;
}

/** Scores a validated answer set. Throws if the answers are not valid (call validatePhq9Answers first). */
export function scorePhq9(answers: Phq9Answers): Phq9Score {
  const problems = validatePhq9Answers(answers);
  if (problems.length > 0) {
    throw new RangeError(
      `Invalid PHQ-9 answers: ${problems.map((p) => `${p.field} ${p.reason}`).join('; ')}`
    );
  }
  const total = answers.items.reduce<number>((sum, score) => sum + score, 0);
  const item9Score = answers.items[8] as Phq9ItemScore;
  return { total, severity: phq9Severity(total), item9Positive: item9Score > 0, item9Score };
}
