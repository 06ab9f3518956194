/**
 * The definitions of the care indicators and of the patient characteristics, each as the SQL the
 * analyses run and the sentence the report prints, built side by side from the same parameters.
 * analyses.ts takes its predicates from here; the report's methods text (analyze/methods-text.ts),
 * the table captions and the definitions section of docs/registry/analyses.md (written by
 * `npm run registry:schema-doc`, checked by a test) take their sentences from here. So the text
 * cannot say something the SQL does not do. Each sentence also has a Norwegian bokmål version
 * (`nb`), built from the same parameters, for the Norwegian report (rapport.html); the docs stay
 * English.
 *
 * Choices (issue 13, item 2; sources in docs/registry/analyses.md):
 * - A care tariff (615, 2cd) counts only on a bill that carries a diagnosis in the ICPC-2 chapter
 *   `careTariffIcpcChapter` (P, psychological). GP-DEP linked "claims data from all consultations in
 *   general practice for depression" (Ruths 2021); 2cd alone is billed on any long consultation
 *   (the tariff with the largest payout of all, Helfo), so without the diagnosis it counts long
 *   consultations for anything.
 * - Referral: public adult mental health care (VOP) and contract specialists in psychiatry and
 *   psychology (AVTSPES, the NPR mental-health sector of SKDE's NPR_Psyk format), who see many
 *   patients with depression (F3/F4 were 64.7 % of their patients against 41.5 % at DPS, 2014-2018).
 *   `referralSectors: ['VOP']` is the narrower public-care definition.
 * - Antidepressants: new use (no dispensing in the adWashoutDays before index) by default.
 * - Sick leave: among the employed at the index date (NAV Aa-registeret), since only they can be
 *   on sick leave; `sickLeaveDenominator: 'all'` for Riiser 2022's all-ages share.
 * - Household income: the calendar year before the index year (`incomeYear: 'year_before'`), so
 *   every person in an index year is ranked on the same year's income, measured before the episode;
 *   `'latest_before'` takes the latest known year before it (less missing, mixed years).
 */
import type { AnalysisParams } from './params.js';
import { inList, startsWithAny, yearOf } from './sql.js';

/** What a definition's sentence needs: the parameters (index period not needed). */
export type DefinitionParams = Omit<AnalysisParams, 'indexFrom' | 'indexTo'>;

// ---------------------------------------------------------------------------------------------
// Words for codes (Normaltariffen, NPR sectors, ICPC-2 chapters)

const TARIFF_TEXT: Readonly<Record<string, string>> = {
  '615': 'talking therapy, at least 15 minutes, for a mental disorder',
  '2cd': 'time supplement for a consultation longer than 20 minutes, daytime',
  '2ck': 'time supplement for a consultation longer than 20 minutes, evening',
};

const SECTOR_TEXT: Readonly<Record<string, string>> = {
  VOP: 'public specialist mental health care for adults',
  AVTSPES: 'contract specialists in psychiatry and psychology',
  TSB: 'specialised substance use treatment',
  SOM: 'somatic specialist care',
};

const CHAPTER_TEXT: Readonly<Record<string, string>> = { P: 'psychological' };

const TARIFF_TEXT_NB: Readonly<Record<string, string>> = {
  '615': 'samtaleterapi, minst 15 minutter, ved psykisk lidelse',
  '2cd': 'tidstakst for konsultasjon ut over 20 minutter, dagtid',
  '2ck': 'tidstakst for konsultasjon ut over 20 minutter, kveld',
};

const SECTOR_TEXT_NB: Readonly<Record<string, string>> = {
  VOP: 'offentlig psykisk helsevern for voksne',
  AVTSPES: 'avtalespesialister i psykiatri og psykologi',
  TSB: 'tverrfaglig spesialisert rusbehandling',
  SOM: 'somatisk spesialisthelsetjeneste',
};

const CHAPTER_TEXT_NB: Readonly<Record<string, string>> = { P: 'psykisk' };

const withText = (codes: readonly string[], texts: Readonly<Record<string, string>>, separator = ', ') =>
  codes.map((c) => (texts[c] ? `${c} (${texts[c]})` : c)).join(separator);

// ---------------------------------------------------------------------------------------------
// SQL (used by engine/analyses.ts)

/**
 * The condition on a bill (alias `bill`) for its care tariffs to count: a diagnosis in the ICPC-2
 * chapter `careTariffIcpcChapter` anywhere on the bill, or always when the parameter is null.
 */
export function careTariffBillSql(p: DefinitionParams, bill: string): string {
  const dx = careDiagnosisSql(p, 'dg');
  if (dx === null) return '1 = 1';
  return `EXISTS (SELECT 1 FROM kuhr_diagnoses dg WHERE dg.bill_id = ${bill}.bill_id AND ${dx})`;
}

/**
 * The same rule on one diagnosis row (alias `dx`): a diagnosis that lets the bill's care tariffs
 * count; null when any bill counts. A bill counts when any of its diagnoses passes.
 */
export function careDiagnosisSql(p: DefinitionParams, dx: string): string | null {
  if (p.careTariffIcpcChapter === null) return null;
  return `${dx}.code_system = 'ICPC-2' AND ${startsWithAny(`${dx}.code`, [p.careTariffIcpcChapter])}`;
}

/** The condition on an NPR contact (alias `contact`) for it to be a referral to specialist care. */
export function referralContactSql(p: DefinitionParams, contact: string): string {
  return `${contact}.sector IN ${inList(p.referralSectors)}`;
}

/**
 * The condition on an income row (alias `income`) for it to be a candidate for an episode with
 * index date `indexDate`; of the candidates the latest year is taken.
 */
export function incomeYearSql(p: DefinitionParams, income: string, indexDate: string): string {
  const year =
    p.incomeYear === 'year_before'
      ? `${income}.year = ${yearOf(indexDate)} - 1`
      : `${income}.year < ${yearOf(indexDate)}`;
  return `${year} AND ${income}.household_eq_income_nok IS NOT NULL`;
}

/**
 * The condition on an employment row (alias `job`) for the person to count as employed at
 * `indexDate`: a relationship with a position size above 0 that has started and not ended.
 */
export function employedAtSql(job: string, indexDate: string): string {
  return `${job}.from_date <= ${indexDate} AND (${job}.to_date IS NULL OR ${job}.to_date >= ${indexDate}) AND ${job}.fte_percent > 0`;
}

/** The condition on an education row for it to be a candidate (the latest is taken). */
export function educationYearSql(education: string, indexDate: string): string {
  return `${education}.year <= ${yearOf(indexDate)}`;
}

// ---------------------------------------------------------------------------------------------
// Sentences (used by the methods text, the captions and docs/registry/analyses.md)

export interface Definition {
  key: string;
  /** The term defined, as it starts the sentence ("Long consultation"). */
  term: string;
  /** The definition for these parameters: what the SQL does, in words. */
  text(p: DefinitionParams): string;
  /** The same in Norwegian bokmål, from the same parameters (the Norwegian report). */
  nb: { term: string; text(p: DefinitionParams): string };
  /** Why, and the source (docs only). */
  source?: string;
}

/** The diagnosis condition on a care tariff's bill, as a clause after "a GP bill with tariff X". */
const careDiagnosis = (p: DefinitionParams) =>
  p.careTariffIcpcChapter === null
    ? ' (whatever its diagnoses)'
    : ` that also carries an ICPC-2 diagnosis in chapter ${p.careTariffIcpcChapter}${CHAPTER_TEXT[p.careTariffIcpcChapter] ? ` (${CHAPTER_TEXT[p.careTariffIcpcChapter]})` : ''}, main or not`;

const careDiagnosisNb = (p: DefinitionParams) =>
  p.careTariffIcpcChapter === null
    ? ' (uansett diagnose)'
    : ` som også har en ICPC-2-diagnose i kapittel ${p.careTariffIcpcChapter}${CHAPTER_TEXT_NB[p.careTariffIcpcChapter] ? ` (${CHAPTER_TEXT_NB[p.careTariffIcpcChapter]})` : ''}, som hoveddiagnose eller ikke`;

/** Which year's household income is used (for captions and the methods text). */
export function incomeYearPhrase(p: Pick<DefinitionParams, 'incomeYear'>, lang: 'en' | 'nb' = 'en'): string {
  if (lang === 'nb')
    return p.incomeYear === 'year_before'
      ? 'kalenderåret før indeksåret'
      : 'det siste året før indeksåret som har en verdi';
  return p.incomeYear === 'year_before'
    ? 'the calendar year before the index year'
    : 'the latest year before the index year with a value';
}

export const INDICATOR_DEFINITIONS: readonly Definition[] = [
  {
    key: 'tt',
    term: 'Talking therapy',
    text: (p) =>
      `a GP bill with tariff ${withText(p.talkTherapyTariffs, TARIFF_TEXT, ' or ')}${careDiagnosis(p)}, dated inside follow-up; counted as bills.`,
    nb: {
      term: 'Samtaleterapi',
      text: (p) =>
        `en regning fra allmennlege med takst ${withText(p.talkTherapyTariffs, TARIFF_TEXT_NB, ' eller ')}${careDiagnosisNb(p)}, datert i oppfølgingstiden; telt som regninger.`,
    },
    source:
      'Tariff 615: Helsedirektoratet, statistics on samtaleterapi; the diagnosis rule as for long consultation.',
  },
  {
    key: 'long',
    term: 'Long consultation',
    text: (p) =>
      `a GP bill with tariff ${withText(p.longConsultationTariffs, TARIFF_TEXT, ' or ')}${careDiagnosis(p)}, dated inside follow-up; counted as bills.`,
    nb: {
      term: 'Lang konsultasjon',
      text: (p) =>
        `en regning fra allmennlege med takst ${withText(p.longConsultationTariffs, TARIFF_TEXT_NB, ' eller ')}${careDiagnosisNb(p)}, datert i oppfølgingstiden; telt som regninger.`,
    },
    source:
      'GP-DEP linked the claims "from all consultations in general practice for depression" (Ruths 2021), so its long consultations are ones billed for a psychological problem; 2cd itself is billed on any long consultation and is the tariff with the largest payout to GPs (Helfo), so without the diagnosis rule the indicator counts long consultations for anything (79.0 % instead of 66.5 % of episodes in the 50,000-person twin, seed 1). `careTariffIcpcChapter: null` drops the rule; add 2ck with `longConsultationTariffs`.',
  },
  {
    key: 'ad',
    term: 'Antidepressant',
    text: (p) =>
      `a NorPD dispensing with an ATC code starting ${p.antidepressantAtc.join(' or ')}, dispensed inside follow-up; counted as dispensings.${
        p.adNewUser
          ? ` New users only: episodes with such a dispensing in the ${p.adWashoutDays} days before index leave the denominator.`
          : ' Any user (prevalent use included).'
      }`,
    nb: {
      term: 'Antidepressiva',
      text: (p) =>
        `en utlevering i Reseptregisteret (NorPD) med ATC-kode som begynner på ${p.antidepressantAtc.join(' eller ')}, utlevert i oppfølgingstiden; telt som utleveringer.${
          p.adNewUser
            ? ` Bare nye brukere: episoder med en slik utlevering i de ${p.adWashoutDays} dagene før indeksdatoen tas ut av nevneren.`
            : ' Alle brukere (også dem som allerede brukte antidepressiva).'
        }`,
    },
    source:
      'New use is the default because the question is what the GP started for this episode: a patient who already takes an antidepressant gets a repeat prescription whatever the GP does now, and counting them mixes treatment started with treatment continued (the prevalent-user bias, Ray 2003, Am J Epidemiol 158:915-920). `adNewUser: false` counts any dispensing, as Riiser 2022 and Ruths 2021 published; the key figures show both.',
  },
  {
    key: 'ref',
    term: 'Specialist mental health care',
    text: (p) =>
      `an NPR contact in sector ${withText(p.referralSectors, SECTOR_TEXT, ' or ')} whose referral date is inside follow-up; counted as distinct referral dates.`,
    nb: {
      term: 'Spesialisthelsetjenesten i psykisk helsevern',
      text: (p) =>
        `en kontakt i Norsk pasientregister (NPR) i sektor ${withText(p.referralSectors, SECTOR_TEXT_NB, ' eller ')} med henvisningsdato i oppfølgingstiden; telt som ulike henvisningsdatoer.`,
    },
    source:
      'Ruths 2021 counts "referral to secondary mental health care". Contract specialists (AVTSPES; in NPR\'s mental-health data, SKDE formats/NPR_Psyk.sas) are specialist care and treat many patients with depression: F3/F4 were 64.7 % of their patients against 41.5 % at DPS in 2014-2018 (Psykologtidsskriftet 2023). `referralSectors: ["VOP"]` counts public care only.',
  },
  {
    key: 'sl',
    term: 'Sick leave',
    text: (p) =>
      `only for ${
        p.sickLeaveDenominator === 'employed'
          ? `the employed (an employment relationship in NAV's Aa-registeret covering the index date) aged`
          : 'everyone aged'
      } ${p.sickLeaveMinAge}-${p.sickLeaveMaxAge} at index (the denominator); a NAV sick-leave certificate period ${
        p.sickLeaveRule === 'starts' ? 'starting' : 'overlapping'
      } inside follow-up; counted as certificates.`,
    nb: {
      term: 'Sykmelding',
      text: (p) =>
        `bare for ${
          p.sickLeaveDenominator === 'employed'
            ? 'sysselsatte (et arbeidsforhold i NAVs Aa-register som gjelder på indeksdatoen) i alderen'
            : 'alle i alderen'
        } ${p.sickLeaveMinAge}-${p.sickLeaveMaxAge} år ved indeksdatoen (nevneren); en sykmeldingsperiode fra NAV som ${
          p.sickLeaveRule === 'starts' ? 'starter i' : 'overlapper'
        } oppfølgingstiden; telt som sykmeldinger.`,
    },
    source:
      'Sick leave (sykepenger) requires income from work, so people without a job cannot be on it and only dilute the share: in the 50,000-person twin (seed 1) the concentration index of sick leave by education was +0.034 among everyone 20-66 and -0.016 among the employed. `sickLeaveDenominator: "all"` gives the all-ages share that Riiser 2022 published (54.1 %).',
  },
  {
    key: 'none3',
    term: 'None (3)',
    text: () =>
      'none of talking therapy, any antidepressant dispensing and sick leave (as Riiser 2022: 17.3 %).',
    nb: {
      term: 'Ingen (3)',
      text: () =>
        'verken samtaleterapi, noen utlevering av antidepressiva eller sykmelding (som Riiser 2022: 17,3 %).',
    },
  },
  {
    key: 'none5',
    term: 'None (5)',
    text: () => 'none of the five kinds of care.',
    nb: { term: 'Ingen (5)', text: () => 'ingen av de fem behandlingsformene.' },
  },
];

export const CHARACTERISTIC_DEFINITIONS: readonly Definition[] = [
  {
    key: 'education',
    term: 'Education',
    text: () =>
      'the latest SSB (NUDB) record in or before the index year: NUS 0-2 low, 3-5 medium, 6-8 high; none = missing.',
    nb: {
      term: 'Utdanning',
      text: () =>
        'den siste registreringen i SSBs utdanningsdatabase (NUDB) i eller før indeksåret: NUS 0-2 lav, 3-5 middels, 6-8 høy; ingen registrering = mangler.',
    },
  },
  {
    key: 'income',
    term: 'Household income',
    text: (p) =>
      `SSB household equivalised income in ${incomeYearPhrase(p)}${
        p.incomeYear === 'year_before' ? ' (missing when that year is missing)' : ' (years mixed)'
      }, in deciles ranked within the index year.`,
    nb: {
      term: 'Husholdningsinntekt',
      text: (p) =>
        `SSBs ekvivalerte husholdningsinntekt i ${incomeYearPhrase(p, 'nb')}${
          p.incomeYear === 'year_before' ? ' (mangler når det året mangler)' : ' (ulike år)'
        }, i desiler rangert innenfor indeksåret.`,
    },
    source:
      'The year before index is measured before the episode (no reverse causation from it) and is the same year for everyone ranked together; `incomeYear: "latest_before"` fills a missing year from earlier ones (less missing, but it ranks older, lower nominal incomes among current ones).',
  },
  {
    key: 'immigrant',
    term: 'Immigrant background',
    text: () =>
      'SSB category "immigrant" = born abroad; Norwegian-born to immigrant parents and others together = Norwegian-born or other (Riiser 2022 Table 4).',
    nb: {
      term: 'Innvandringsbakgrunn',
      text: () =>
        'SSBs kategori «innvandrer» = født i utlandet; norskfødte med innvandrerforeldre og andre sammen = norskfødt eller annen (Riiser 2022, tabell 4).',
    },
  },
  {
    key: 'centrality',
    term: 'Centrality',
    text: () =>
      'SSB centrality class of the municipality of residence: 1-2 central, 3-4 intermediate, 5-6 rural.',
    nb: {
      term: 'Sentralitet',
      text: () =>
        'SSBs sentralitetsklasse for bostedskommunen: 1-2 sentral, 3-4 middels sentral, 5-6 lite sentral.',
    },
  },
];

/** One definition's sentence: "Long consultation: a GP bill with …" (or in Norwegian). */
export function definitionSentence(d: Definition, p: DefinitionParams, lang: 'en' | 'nb' = 'en'): string {
  return lang === 'nb' ? `${d.nb.term}: ${d.nb.text(p)}` : `${d.term}: ${d.text(p)}`;
}

export function definitionByKey(key: string): Definition {
  const d = [...INDICATOR_DEFINITIONS, ...CHARACTERISTIC_DEFINITIONS].find((x) => x.key === key);
  if (!d) throw new Error(`No definition "${key}"`);
  return d;
}
