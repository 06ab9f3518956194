/**
 * The survey report's words in English and Norwegian bokmål. Questionnaire texts come with the
 * questionnaire in both languages (LocalText); everything else the report says is here, keyed, so
 * a missing translation is a type error rather than a silently English page. Numbers: the
 * registry report's Norwegian formatting (decimal comma, a no-break space between thousands).
 */
import { formatNumber } from '../../registry/analyze/model.js';
import { nbFixed } from '../../registry/report/i18n/translator.js';
import type { SurveyWarning } from '../analyze/analyze.js';

export type Lang = 'en' | 'nb';

const ATTRIBUTES = {
  sex: ['Sex', 'Kjønn'],
  age_group: ['Age group', 'Aldersgruppe'],
  region: ['Health region', 'Helseregion'],
  rural: ['Rural practice (centrality 5-6)', 'Distriktspraksis (sentralitet 5-6)'],
  specialist: ['Specialist in general practice', 'Spesialist i allmennmedisin'],
  list_size_group: ['List size', 'Listelengde'],
} as const satisfies Record<string, readonly [string, string]>;

const CATEGORIES: Record<string, Record<string, readonly [string, string]>> = {
  sex: { F: ['Women', 'Kvinner'], M: ['Men', 'Menn'] },
  region: {
    'sor-ost': ['South-East', 'Sør-Øst'],
    vest: ['West', 'Vest'],
    midt: ['Central Norway', 'Midt-Norge'],
    nord: ['North', 'Nord'],
  },
  rural: { yes: ['Yes', 'Ja'], no: ['No', 'Nei'] },
  specialist: { yes: ['Yes', 'Ja'], no: ['No', 'Nei'] },
};

const INDICATORS: Record<string, readonly [string, string]> = {
  tt: ['Talking therapy (615)', 'Samtaleterapi (615)'],
  long: ['Long consultation (2cd)', 'Lang konsultasjon (2cd)'],
  ad: ['Antidepressant dispensed (new users)', 'Antidepressiva utlevert (nye brukere)'],
  ref: [
    'Referral to specialist mental health care',
    'Henvisning til spesialisthelsetjenesten i psykisk helsevern',
  ],
  sl: ['Sick leave (employed, 20-66)', 'Sykmelding (sysselsatte, 20-66)'],
};

const UI = {
  contents: ['Contents', 'Innhold'],
  methods: ['Methods', 'Metode'],
  response: ['Response', 'Svar'],
  nonresponse: ['Respondents and the sampling frame', 'Svarere og utvalgsrammen'],
  weights: ['Weights', 'Vekter'],
  results: ['Weighted results', 'Vektede resultater'],
  likert: ['Rating-scale items', 'Skalaspørsmål'],
  cross: ['Cross-tables', 'Krysstabeller'],
  linked: ['Linked to the registry', 'Koblet til registerdata'],
  invited: ['Invited', 'Invitert'],
  complete: ['Complete responses', 'Fullførte svar'],
  partial: ['Partial responses (not analysed)', 'Delvise svar (ikke analysert)'],
  responseRate: ['Response rate', 'Svarprosent'],
  category: ['Category', 'Kategori'],
  frame: ['Frame', 'Rammen'],
  respondents: ['Respondents', 'Svarere'],
  differencePp: ['Difference (percentage points)', 'Forskjell (prosentpoeng)'],
  weightedPercent: ['Weighted respondents, %', 'Vektede svarere, %'],
  answer: ['Answer', 'Svar'],
  n: ['n', 'n'],
  unweighted: ['Unweighted, % (95 % CI, Wilson)', 'Uvektet, % (95 % KI, Wilson)'],
  weighted: ['Weighted, % (95 % CI, linearised)', 'Vektet, % (95 % KI, linearisert)'],
  item: ['Item', 'Spørsmål'],
  measure: ['Measure', 'Mål'],
  value: ['Value', 'Verdi'],
  gps: ['GPs', 'Fastleger'],
  patients: ['Patients (episodes)', 'Pasienter (episoder)'],
  withCare: ['With the care', 'Med tiltaket'],
  percent: ['%', '%'],
  indicator: ['Indicator', 'Indikator'],
  coefficient: ['Log-odds (95 % CI)', 'Log-odds (95 % KI)'],
  oddsRatio: ['Odds ratio (95 % CI)', 'Oddsratio (95 % KI)'],
  pValue: ['p', 'p'],
  note: ['Note', 'Merknad'],
  suppressedNote: [
    'A colon (:) marks a number hidden by disclosure control (a count from 1 to 4, or one that would reveal it).',
    'Et kolon (:) markerer et tall skjult av hensyn til personvern (et antall fra 1 til 4, eller et som ville avsløre det).',
  ],
  noFrame: [
    'No sampling frame (anonymous survey): the results are unweighted.',
    'Ingen utvalgsramme (anonym undersøkelse): resultatene er uvektet.',
  ],
  yes: ['yes', 'ja'],
  no: ['no', 'nei'],
  notLinked: ['No registry linkage in this run.', 'Ingen registerkobling i denne kjøringen.'],
} as const satisfies Record<string, readonly [string, string]>;

export interface Texts {
  lang: Lang;
  htmlLang: string;
  ui(key: keyof typeof UI): string;
  attribute(name: string): string;
  category(attribute: string, value: string): string;
  indicator(key: string, fallback: string): string;
  fixed(value: number, digits: number): string;
  count(value: number): string;
  percent(value: number): string;
  generated(date: string, dataset: string, wave: string): string;
  answeredLine(answered: number, eligible: number, missing: number): string;
  weightingRows(w: WeightingFacts): [string, string][];
  linkedCounts(
    answered: number | null,
    linked: number | null,
    withPatients: number | null,
    from: string,
    to: string
  ): string;
  crossCaption(item: string, by: string): string;
  modelCaption(item: string, contrast: string): string;
  likertIntro: string;
  likertDescribe: string;
  warning(w: SurveyWarning): string;
}

export interface WeightingFacts {
  margins: string[];
  converged: boolean;
  iterations: number;
  tolerance: number;
  maxRelativeDeviation: number;
  trim: {
    lower: number;
    upper: number;
    rounds: number;
    outside: number;
    minRatio: number;
    maxRatio: number;
  } | null;
  min: number;
  max: number;
  mean: number;
  designEffect: number;
  effectiveN: number;
}

const pick = (pair: readonly [string, string], lang: Lang) => (lang === 'en' ? pair[0] : pair[1]);

export function texts(lang: Lang): Texts {
  const fixed = (value: number, digits: number) =>
    lang === 'nb' ? nbFixed(value, digits) : formatNumber(value, digits);
  const count = (value: number) =>
    lang === 'nb' ? nbFixed(value, 0) : Math.round(value).toLocaleString('en-GB');
  const percent = (value: number) => `${fixed(value, 1)} %`;
  const attribute = (name: string) => {
    const pair = ATTRIBUTES[name as keyof typeof ATTRIBUTES];
    return pair ? pick(pair, lang) : name;
  };
  return {
    lang,
    htmlLang: lang === 'en' ? 'en' : 'nb',
    ui: (key) => pick(UI[key], lang),
    attribute,
    category: (a, v) => {
      const pair = CATEGORIES[a]?.[v];
      return pair ? pick(pair, lang) : v;
    },
    indicator: (key, fallback) => (INDICATORS[key] ? pick(INDICATORS[key], lang) : fallback),
    fixed,
    count,
    percent,
    generated: (date, dataset, wave) =>
      lang === 'en'
        ? `Generated ${date} from ${dataset}; wave ${wave}.`
        : `Laget ${date} fra ${dataset}; runde ${wave}.`,
    answeredLine: (answered, eligible, missing) =>
      lang === 'en'
        ? `Answered by ${count(answered)} of the ${count(eligible)} respondents shown the item (${count(missing)} left it blank).`
        : `Besvart av ${count(answered)} av de ${count(eligible)} svarerne som fikk spørsmålet (${count(missing)} lot det stå tomt).`,
    weightingRows: (w) => {
      const margins = w.margins.map((m) => m.split('×').map(attribute).join(' × ')).join('; ');
      const rows: [string, string][] =
        lang === 'en'
          ? [
              ['Raked to the frame margins', margins],
              [
                'Convergence',
                `${w.converged ? 'converged' : 'did not converge'} in ${w.iterations} passes (largest relative deviation ${w.maxRelativeDeviation.toExponential(1)}, tolerance ${w.tolerance.toExponential(0)})`,
              ],
            ]
          : [
              ['Raket til rammens marginaler', margins],
              [
                'Konvergens',
                `${w.converged ? 'konvergerte' : 'konvergerte ikke'} etter ${w.iterations} runder (største relative avvik ${w.maxRelativeDeviation.toExponential(1).replace('.', ',')}, toleranse ${w.tolerance.toExponential(0)})`,
              ],
            ];
      if (w.trim)
        rows.push(
          lang === 'en'
            ? [
                'Trimming',
                `to ${fixed(w.trim.lower, 1)}-${fixed(w.trim.upper, 1)} × the mean weight, re-raked, ${w.trim.rounds} rounds; ${w.trim.outside} weight(s) left outside; weights now ${fixed(w.trim.minRatio, 2)}-${fixed(w.trim.maxRatio, 2)} × the mean`,
              ]
            : [
                'Trimming',
                `til ${fixed(w.trim.lower, 1)}-${fixed(w.trim.upper, 1)} × gjennomsnittsvekten, raket på nytt, ${w.trim.rounds} runder; ${w.trim.outside} vekt(er) utenfor; vektene er nå ${fixed(w.trim.minRatio, 2)}-${fixed(w.trim.maxRatio, 2)} × gjennomsnittet`,
              ]
        );
      rows.push(
        lang === 'en'
          ? [
              'Weights (smallest, mean, largest)',
              `${fixed(w.min, 2)}, ${fixed(w.mean, 2)}, ${fixed(w.max, 2)}`,
            ]
          : [
              'Vekter (minste, gjennomsnitt, største)',
              `${fixed(w.min, 2)}, ${fixed(w.mean, 2)}, ${fixed(w.max, 2)}`,
            ],
        lang === 'en'
          ? ['Design effect of the weights (Kish, 1 + CV²)', fixed(w.designEffect, 2)]
          : ['Designeffekt av vektene (Kish, 1 + CV²)', fixed(w.designEffect, 2)],
        lang === 'en'
          ? ['Effective number of respondents', fixed(w.effectiveN, 0)]
          : ['Effektivt antall svarere', fixed(w.effectiveN, 0)]
      );
      return rows;
    },
    linkedCounts: (answeredN, linkedN, withPatientsN, from, to) => {
      const shown = (v: number | null) => (v === null ? ':' : count(v));
      const [answered, linked, withPatients] = [answeredN, linkedN, withPatientsN].map(shown);
      return lang === 'en'
        ? `${answered} GPs answered the item; ${linked} were linked to the registry through the pseudonymous key, and ${withPatients} had patients with a new depression episode from ${from} to ${to} on their list.`
        : `${answered} fastleger svarte på spørsmålet; ${linked} ble koblet til registeret med den pseudonyme nøkkelen, og ${withPatients} hadde pasienter med en ny depresjonsepisode fra ${from} til ${to} på listen.`;
    },
    crossCaption: (item, by) =>
      lang === 'en' ? `${item} by ${by}: weighted % (n)` : `${item} etter ${by}: vektet % (n)`,
    modelCaption: (item, contrast) =>
      lang === 'en'
        ? `Random-intercept logistic models of each patient-level indicator with the answer "${contrast}" to "${item}" (against the other answers) as a GP-level covariate, adjusted for the patients' sex, age group and education and the GP characteristics of the registry report.`
        : `Logistiske modeller med tilfeldig konstantledd for fastlegen, for hver indikator på pasientnivå, med svaret «${contrast}» på «${item}» (mot de andre svarene) som forklaringsvariabel på fastlegenivå, justert for pasientenes kjønn, aldersgruppe og utdanning og fastlegekjennetegnene i registerrapporten.`,
    likertIntro:
      lang === 'en'
        ? 'Weighted percentages; each bar is centred on the middle of its scale, lower answers to the left.'
        : 'Vektede prosenter; hver stolpe er sentrert om midten av skalaen, lavere svar til venstre.',
    likertDescribe: lang === 'en' ? 'Weighted percentages per item:' : 'Vektede prosenter per spørsmål:',
    warning: (w) => {
      if (lang === 'en') return w.message;
      const cell = (margin: string, c: string) => {
        const attrs = margin.split('×');
        return c
          .split('×')
          .map((v, i) => {
            const a = attrs[i] ?? '';
            const pair = CATEGORIES[a]?.[v];
            return pair ? pick(pair, lang) : v;
          })
          .join(' × ');
      };
      switch (w.kind) {
        case 'not-converged':
          return `Rakingen konvergerte ikke etter ${w.iterations} runder (største relative avvik fra en marginal ${w.deviation.toExponential(2).replace('.', ',')}): marginalene motsier hverandre for disse svarerne; slå sammen kategorier eller ta ut en marginal.`;
        case 'collapsed':
          return `Marginal ${w.margin.split('×').map(attribute).join(' × ')}: ingen svarere i ${cell(w.margin, w.from)}, slått sammen med ${cell(w.margin, w.into)}.`;
        case 'trim-outside':
          return `${w.count} vekt(er) ligger fortsatt utenfor ${fixed(w.lower, 1)}-${fixed(w.upper, 1)} × gjennomsnittet etter ${w.rounds} trimmerunder: marginalene krever dem.`;
        case 'no-frame':
          return pick(UI.noFrame, lang);
      }
    },
  };
}
