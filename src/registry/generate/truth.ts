/**
 * The planted truth written to `<dir>/truth.json`: for each care outcome the logistic model with GP
 * random intercepts (stated variance, every GP's realised u_j) and reference-coded log-odds effects,
 * so tests can check that analyses recover them. Per-episode planted probabilities and outcomes are
 * in `<dir>/truth_episodes.parquet`.
 */
import type { GenerateContext, Solved } from './context.js';
import {
  FIXED,
  GP_VARIANCE,
  OUTCOMES,
  OUTCOME_LABEL,
  RURAL_CENTRALITY_MIN,
  SHORT_LIST_BELOW,
  type Outcome,
} from './params.js';

export interface OutcomeTruth {
  label: string;
  definition: string;
  population: string;
  gpVariance: number;
  medianOddsRatio: number;
  iccLatent: number;
  intercept: number;
  referenceLevels: Record<string, string>;
  /** Reference-coded log-odds effects, keys like 'year=2012', 'sex=M', 'band=70+', 'edu=high', 'gp_specialist'. */
  coefficients: Record<string, number>;
  /** Which effects were solved to hit published marginals (the rest are stated constants). */
  calibrated: string[];
  solver: { iterations: number; maxError: number };
}

export interface GpTruth {
  gp_id: string;
  rural: boolean;
  list_size: number;
  short_list: boolean;
  /** A specialist in general practice by the end of the data; since specialistFrom (null = never). */
  specialist: boolean;
  specialistFrom: string | null;
  /** Salaried at the start of the data; self-employed from salariedUntil (null = no change). */
  salaried: boolean;
  salariedUntil: string | null;
  female: boolean;
  u: Record<Outcome, number>;
}

export interface Truth {
  format: 'gpdep-registry-truth/1';
  seed: number;
  persons: number;
  years: [number, number];
  episodeYears: number[];
  referenceDate: string;
  episodes: { count: number; definition: string };
  covariates: Record<string, string>;
  model: string;
  outcomes: Record<Outcome, OutcomeTruth>;
  gps: GpTruth[];
}

const REFERENCE: Record<string, string> = {
  sex: 'F',
  band: '18-29',
  edu: 'low',
  immigrant: 'no',
  rural: 'no',
};

const DEFINITION: Record<Outcome, string> = {
  talk: 'a KUHR bill with tariff 615 and ICPC-2 P76 within [index, index+365) days (background bills never carry 615)',
  long: 'a KUHR bill with tariff 2cd and ICPC-2 P76 within [index, index+365) (background 2cd only on bills without a P-chapter diagnosis)',
  ad: 'a NorPD N06A dispensing within [index, index+365); background N06A dispensings are absent in [index-365, index+365)',
  sick: 'a sick-leave period starting within [index, index+365) (ICPC-2 P76); background sick leave is absent from index-60 to index+365',
  referral:
    'an NPR contact (sector VOP or AVTSPES) with referral_date within [index, index+365); background mental-health contacts are absent from index-365 to index+365',
};

export function buildTruth(
  ctx: GenerateContext,
  solved: Solved,
  gps: Record<string, unknown>[],
  episodes: number
): Truth {
  const firstYear = String(ctx.episodeYears[0]);
  const outcomes = {} as Record<Outcome, OutcomeTruth>;
  for (const o of OUTCOMES) {
    const theta = solved[o].theta;
    const refs: Record<string, string> = { year: firstYear };
    let intercept = 0;
    const coefficients: Record<string, number> = {};
    const add = (k: string, v: number, keepZero = false) => {
      if (v !== 0 || keepZero) coefficients[k] = (coefficients[k] ?? 0) + v;
    };
    for (const [f, levels] of Object.entries(theta)) {
      const ref = f === 'year' ? firstYear : REFERENCE[f]!;
      refs[f] = ref;
      intercept += levels[ref] ?? 0;
      for (const [l, v] of Object.entries(levels)) if (l !== ref) add(`${f}=${l}`, v - (levels[ref] ?? 0));
    }
    const fx = FIXED[o];
    add('gp_specialist', fx.gp_specialist, true);
    add('gp_salaried', fx.gp_salaried, true);
    add('gp_short_list', fx.gp_short_list, true);
    add('gp_female', fx.gp_female, true);
    if (fx.employed) add('employed', fx.employed);
    if (fx.male) add('sex=M', fx.male);
    if (fx.immigrant) add('immigrant=yes', fx.immigrant);
    if (fx.rural) add('rural=yes', fx.rural);
    if (fx.edu_high) add('edu=high', fx.edu_high);
    for (const [b, v] of Object.entries(fx.age ?? {})) {
      if (b === '18-29') intercept += v;
      else add(`band=${b}`, v - (fx.age?.['18-29'] ?? 0));
    }
    for (const [k, v] of Object.entries({
      sex: 'F',
      band: '18-29',
      edu: 'low',
      immigrant: 'no',
      rural: 'no',
    }))
      refs[k] ??= v;
    const s2 = GP_VARIANCE[o];
    outcomes[o] = {
      label: OUTCOME_LABEL[o],
      definition: DEFINITION[o],
      population:
        o === 'sick'
          ? 'episodes employed at the index date (an employment row covering it; employed only at 20-66); none among the not employed'
          : 'all episodes (calibrated on adults 18+; 12-17 from stated offsets)',
      gpVariance: s2,
      medianOddsRatio: Math.exp(Math.sqrt(2 * s2) * 0.6744897501960817),
      iccLatent: s2 / (s2 + Math.PI ** 2 / 3),
      intercept,
      referenceLevels: refs,
      coefficients: Object.fromEntries(Object.entries(coefficients).sort(([a], [b]) => a.localeCompare(b))),
      calibrated: Object.keys(theta),
      solver: { iterations: solved[o].iterations, maxError: solved[o].maxError },
    };
  }
  return {
    format: 'gpdep-registry-truth/1',
    seed: ctx.opts.seed,
    persons: ctx.opts.persons,
    years: [ctx.opts.firstYear, ctx.opts.lastYear],
    episodeYears: ctx.episodeYears,
    referenceDate: ctx.refDate,
    episodes: {
      count: episodes,
      definition:
        'index = a consultation bill (contact_type 1, tariff 2ad) with ICPC-2 P76; a person has at most one episode in any three consecutive calendar years and no P76 bill later than index+300 days; a quarter of episodes (recurrent depression) have one earlier P76 simple contact (contact_type 3) 400-1095 days before the index, after any previous episode (prior_p76_days in truth_episodes.parquet); so any washout of up to 365 days recovers exactly the planted episodes, and a longer one drops those with an earlier contact within it; ages 12+ (adult targets for 18+)',
    },
    covariates: {
      year: 'calendar year of the index date',
      sex: "persons.sex ('F' reference)",
      band: 'age at index = year - birth_year, bands 12-17, 18-29 (reference), 30-39, 40-49, 50-59, 60-69, 70+',
      edu: "education group in the index year (education table); 'missing' when the person has no education row (coded like medium)",
      immigrant: "persons.immigrant_category = 'immigrant' (born abroad)",
      rural: `patient's municipality centrality >= ${RURAL_CENTRALITY_MIN}`,
      employed:
        'an employment relationship (employment table, Aa-registeret) covering the index date; in generated data the same as labour_income_nok >= 180,000 in the index year',
      gp_specialist:
        'the GP who billed the index consultation was a specialist in general practice on the index date (gps.specialist_from <= index date)',
      gp_salaried: "the GP's contract on the index date (gp_contracts) is 'salaried'",
      gp_female: "gps.sex = 'F'",
      gp_short_list: `the GP's list has fewer than ${SHORT_LIST_BELOW} members at the reference date (list_memberships valid on ${ctx.refDate})`,
      gp: 'the GP who billed the index consultation (the list GP at index; a GP of the municipality for persons on a list without a GP)',
    },
    model:
      "logit P(outcome) = intercept + sum of coefficients for the episode's levels + u_j, u_j ~ N(0, gpVariance), outcomes independent given covariates and u_j; u_j are centred within rural and urban GPs and scaled to sample variance exactly gpVariance",
    outcomes,
    gps: gps.map((g) => ({
      gp_id: String(g.gp_id),
      rural: Boolean(g.rural),
      list_size: Number(g.list_size),
      short_list: Boolean(g.short_list),
      specialist: Boolean(g.specialist),
      specialistFrom: g.specialist_from === null ? null : String(g.specialist_from),
      salaried: Boolean(g.salaried),
      salariedUntil: g.salaried_until === null ? null : String(g.salaried_until),
      female: Boolean(g.female),
      u: {
        talk: Number(g.u_talk),
        long: Number(g.u_long),
        ad: Number(g.u_ad),
        sick: Number(g.u_sick),
        referral: Number(g.u_referral),
      },
    })),
  };
}
