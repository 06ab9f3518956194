/**
 * Parameters of the GP-DEP cohort and indicator definitions. Every choice that changes who is in
 * the cohort or what counts as care is a named parameter with GP-DEP's choice (or, where the papers
 * do not state it, an explicit and documented assumption) as the default. See
 * docs/registry/analyses.md and the sources listed there.
 */

export interface AnalysisParams {
  /** Days without a depression record before an index consultation (episode washout). Unverified in the papers; 365 is the default here. */
  washoutDays: number;
  /** true: any bill with a code-set diagnosis (any contact type, any practice type) breaks the washout; false: only qualifying consultations do. */
  washoutAnyContact: boolean;
  /** Age at index (index year minus birth year), inclusive. GP-DEP Riiser 2022: 18+. */
  minAge: number;
  maxAge: number | null;
  /** ICPC-2 codes (prefix match) that define depression. GP-DEP: P76. */
  icpc2Codes: string[];
  /** ICD-10 codes (prefix match), e.g. ['F32', 'F33']; empty = not used (default). */
  icd10Codes: string[];
  /** Only the main diagnosis of a bill counts. Default false: any diagnosis on the bill. */
  mainDiagnosisOnly: boolean;
  /** KPR contact types that make a bill an index consultation (1 = consultation, derived by KPR from 2ad/2ak/2ae/2aek/...). */
  indexContactTypes: number[];
  /** Practice types whose bills cannot be index bills (out-of-hours service). */
  excludePracticeTypes: string[];
  /** 'all': every new episode (Ruths 2021 counts diagnoses); 'first': a person's first episode only (Riiser 2022 counts patients). */
  episodes: 'all' | 'first';
  /** First and last index date (YYYY-MM-DD); null = from the data: first bill date + washout, last bill date - follow-up. */
  indexFrom: string | null;
  indexTo: string | null;
  /** Follow-up length: days index .. index + followUpDays - 1, censored at death or emigration. */
  followUpDays: number;
  /** Tariffs (fee codes) for the care indicators. */
  talkTherapyTariffs: string[];
  /**
   * Count talking-therapy and long-consultation tariffs only on bills with a diagnosis in this
   * ICPC-2 chapter (ICPC-2 chapter 'P', psychological; GP-DEP's exact code lists are unverified), or on any bill when null.
   * Ordinary bills carry 2cd too, so without it "any long consultation" overcounts.
   */
  careTariffIcpcChapter: string | null;
  longConsultationTariffs: string[];
  /** ATC prefixes for antidepressants. */
  antidepressantAtc: string[];
  /**
   * New-user definition (default): episodes with a dispensing in the adWashoutDays before index
   * leave the antidepressant denominator, so the indicator is treatment started for this episode;
   * false counts any dispensing (prevalent use included, as Riiser 2022 published).
   */
  adNewUser: boolean;
  adWashoutDays: number;
  /**
   * NPR sectors that count as specialist mental health care (referral date inside follow-up):
   * public adult mental health care (VOP) and contract specialists (AVTSPES) by default; ['VOP'] for
   * public care only. Why: engine/definitions.ts.
   */
  referralSectors: string[];
  /** Sick leave is an outcome only for these ages at index (GP-DEP: 20-66). */
  sickLeaveMinAge: number;
  sickLeaveMaxAge: number;
  /**
   * Who is in the sick-leave denominator (within the ages above): 'employed' = an employment
   * relationship (NAV Aa-registeret) covering the index date, since only the employed can be on
   * sick leave; 'all' = everyone of those ages (Riiser 2022's published shares). Why: engine/definitions.ts.
   */
  sickLeaveDenominator: 'employed' | 'all';
  /** 'starts': a sick-leave period starting inside follow-up (a certificate issued); 'overlaps': any period overlapping follow-up. */
  sickLeaveRule: 'starts' | 'overlaps';
  /** Return to work at day t: no sick leave and no sickness benefit, AAP or disability spell in the last rtwWindowDays up to day t. */
  rtwWindowDays: number;
  /** The return-to-work base: sick leave overlapping the first rtwBaselineDays of the episode. */
  rtwBaselineDays: number;
  /** Keep only episodes whose person was on a GP's list at index (a list with a GP). */
  requireListedGp: boolean;
  /**
   * Household income for the equity analyses: 'year_before' = the calendar year before the index
   * year (missing when that year is); 'latest_before' = the latest year before the index year with
   * a value. Why: engine/definitions.ts.
   */
  incomeYear: 'year_before' | 'latest_before';
}

export const DEFAULT_PARAMS: Readonly<AnalysisParams> = Object.freeze({
  washoutDays: 365,
  washoutAnyContact: true,
  minAge: 18,
  maxAge: null,
  icpc2Codes: ['P76'],
  icd10Codes: [],
  mainDiagnosisOnly: false,
  indexContactTypes: [1],
  excludePracticeTypes: ['LEVA'],
  episodes: 'all',
  indexFrom: null,
  indexTo: null,
  followUpDays: 365,
  talkTherapyTariffs: ['615'],
  careTariffIcpcChapter: 'P',
  longConsultationTariffs: ['2cd'],
  antidepressantAtc: ['N06A'],
  adNewUser: true,
  adWashoutDays: 365,
  referralSectors: ['VOP', 'AVTSPES'],
  sickLeaveMinAge: 20,
  sickLeaveMaxAge: 66,
  sickLeaveDenominator: 'employed',
  sickLeaveRule: 'starts',
  rtwWindowDays: 30,
  rtwBaselineDays: 30,
  requireListedGp: false,
  incomeYear: 'year_before',
} satisfies AnalysisParams);

/** Parameters after the data-dependent defaults (index period) are filled in. */
export interface ResolvedParams extends AnalysisParams {
  indexFrom: string;
  indexTo: string;
}

const CODE = /^[A-Za-z0-9._-]{1,16}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function intIn(name: string, v: unknown, min: number, max: number): string[] {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
    ? []
    : [`${name}: an integer ${min}-${max}`];
}

function codes(name: string, v: unknown, allowEmpty: boolean): string[] {
  if (!Array.isArray(v) || (!allowEmpty && v.length === 0))
    return [`${name}: a${allowEmpty ? '' : ' non-empty'} list of codes`];
  return v.every((c) => typeof c === 'string' && CODE.test(c))
    ? []
    : [`${name}: codes may hold only letters, digits, '.', '_' and '-'`];
}

/** Merges overrides into the defaults and validates; throws one error naming every bad field. */
export function makeParams(overrides: Partial<AnalysisParams> = {}): AnalysisParams {
  const known = new Set(Object.keys(DEFAULT_PARAMS));
  const unknown = Object.keys(overrides).filter((k) => !known.has(k));
  const p = { ...DEFAULT_PARAMS, ...overrides };
  const errors: string[] = unknown.map((k) => `${k}: unknown parameter`);
  errors.push(...intIn('washoutDays', p.washoutDays, 0, 3650));
  errors.push(...intIn('minAge', p.minAge, 0, 120));
  if (p.maxAge !== null) errors.push(...intIn('maxAge', p.maxAge, p.minAge, 130));
  errors.push(...codes('icpc2Codes', p.icpc2Codes, true), ...codes('icd10Codes', p.icd10Codes, true));
  if (p.icpc2Codes.length + p.icd10Codes.length === 0)
    errors.push('icpc2Codes/icd10Codes: at least one code');
  if (
    !Array.isArray(p.indexContactTypes) ||
    p.indexContactTypes.length === 0 ||
    !p.indexContactTypes.every((t) => Number.isInteger(t) && t >= 0 && t < 100)
  )
    errors.push('indexContactTypes: a non-empty list of integers');
  errors.push(...codes('excludePracticeTypes', p.excludePracticeTypes, true));
  if (p.episodes !== 'all' && p.episodes !== 'first') errors.push("episodes: 'all' or 'first'");
  for (const k of ['indexFrom', 'indexTo'] as const) {
    const v = p[k];
    if (v !== null && !(typeof v === 'string' && DATE.test(v) && !Number.isNaN(Date.parse(v))))
      errors.push(`${k}: YYYY-MM-DD or null`);
  }
  errors.push(...intIn('followUpDays', p.followUpDays, 30, 3650));
  errors.push(
    ...codes('talkTherapyTariffs', p.talkTherapyTariffs, false),
    ...(p.careTariffIcpcChapter === null || /^[A-Z]$/.test(p.careTariffIcpcChapter)
      ? []
      : ['careTariffIcpcChapter: one ICPC-2 chapter letter (A-Z), or null']),
    ...codes('longConsultationTariffs', p.longConsultationTariffs, false)
  );
  errors.push(
    ...codes('antidepressantAtc', p.antidepressantAtc, false),
    ...codes('referralSectors', p.referralSectors, false)
  );
  errors.push(...intIn('adWashoutDays', p.adWashoutDays, 1, 3650));
  errors.push(
    ...intIn('sickLeaveMinAge', p.sickLeaveMinAge, 0, 120),
    ...intIn('sickLeaveMaxAge', p.sickLeaveMaxAge, p.sickLeaveMinAge, 130)
  );
  if (p.incomeYear !== 'year_before' && p.incomeYear !== 'latest_before')
    errors.push("incomeYear: 'year_before' or 'latest_before'");
  if (p.sickLeaveDenominator !== 'employed' && p.sickLeaveDenominator !== 'all')
    errors.push("sickLeaveDenominator: 'employed' or 'all'");
  if (p.sickLeaveRule !== 'starts' && p.sickLeaveRule !== 'overlaps')
    errors.push("sickLeaveRule: 'starts' or 'overlaps'");
  errors.push(
    ...intIn('rtwWindowDays', p.rtwWindowDays, 1, 180),
    ...intIn('rtwBaselineDays', p.rtwBaselineDays, 1, 365)
  );
  for (const k of ['washoutAnyContact', 'mainDiagnosisOnly', 'adNewUser', 'requireListedGp'] as const)
    if (typeof p[k] !== 'boolean') errors.push(`${k}: true or false`);
  if (errors.length) throw new Error(`Invalid analysis parameters: ${errors.join('; ')}`);
  return p;
}

const DAY = 86_400_000;
export function shiftDate(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** Fills the data-dependent index period from the first and last bill dates of the extract. */
export function resolveParams(
  p: AnalysisParams,
  extent: { firstDate: string; lastDate: string }
): ResolvedParams {
  const indexFrom = p.indexFrom ?? shiftDate(extent.firstDate, p.washoutDays);
  const indexTo = p.indexTo ?? shiftDate(extent.lastDate, -(p.followUpDays - 1));
  return { ...p, indexFrom, indexTo };
}
