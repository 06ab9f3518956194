/**
 * Every number the synthetic generator is built from, with its source. Facts carry the published
 * source named beside them (full list: docs/registry/analyses.md, Sources); anything marked
 * ASSUMPTION is a modelling choice, stated so the planted truth is explicit.
 */

/**
 * Population of Norway in the middle of the period: the mean of 4,985,870 (1 Jan 2012) and
 * 5,051,275 (1 Jan 2013) (SSB, Befolkningsendringer, hele landet, ssb.no/104476). The twin's
 * reference date is 1 July 2012 (the middle of 2009-2016), and its persons present then stand for
 * this population (not for the 5,550,203 of 1 Jan 2024).
 */
export const PERIOD_POPULATION = (4_985_870 + 5_051_275) / 2;
/**
 * Share of the generated persons present at the reference date (the rest are born later, or died or
 * emigrated before): GP numbers are scaled to this population so mean list length matches.
 */
export const PRESENT_AT_REFERENCE = 0.915;
/**
 * Generated persons that stand for the whole country: PERIOD_POPULATION present at the reference
 * date, plus those born later or gone by then (about 5.48 M). A national count x persons /
 * NATIONAL_POPULATION (= twinScale) is the twin's count; the number of municipalities (the 356 of
 * the 2020 structure) is scaled the same way.
 */
export const NATIONAL_POPULATION = PERIOD_POPULATION / PRESENT_AT_REFERENCE;

/** National count x twinScale(persons) = the twin's count (persons present at the reference date / PERIOD_POPULATION). */
export function twinScale(persons: number): number {
  return persons / NATIONAL_POPULATION;
}

/**
 * The GP-DEP cohort of Riiser et al. 2022 (doi:10.1186/s12913-022-08579-x): 285,113 patients aged
 * 18+ with a new depression episode in 2009-2015, registered with 5,574 GPs: 285,113 / 5,574 / 7 =
 * 7.3 new patients per GP-year, the cluster size of GP-level analyses. Ruths et al. 2021
 * (doi:10.1186/s12913-021-06712-w) count 365,947 new depression diagnoses among residents 20+ in
 * the same years (52,278 a year): at least 1.28 per patient, so some patients had more than one.
 */
export const GPDEP_COHORT = {
  patients: 285_113,
  gps: 5_574,
  years: 7,
  ruthsDiagnoses20plus: 365_947,
} as const;

/**
 * The twin's GPs. The twin has no GP turnover: each GP holds one list through the whole period, so
 * a twin GP stands for one of the 5,574 distinct GPs who saw the 2009-2015 cohort, not for a GP in
 * post on a given day (fewer: 8.3 GPs per 10,000 inhabitants in 2008 and 9.0 in 2018, SSB via
 * Kommunal Rapport 2019; 4,668 lists with a GP at the end of 2016, Helsedirektoratet,
 * Fastlegestatistikk 2016). With GPs in post (~4,300 in 2012) the twin would have about 9.5
 * patients per GP-year instead of 7.3, and larger clusters shrink the GP random effects and narrow
 * the funnels less than the registry data do. The price: twin lists are shorter (below) than the
 * published mean list lengths of GPs in post.
 */
export const TWIN_GPS_NATIONAL = GPDEP_COHORT.gps;

/**
 * Regular GP scheme, published figures by year (Fastlegeregisteret). Mean list length of lists with
 * a GP: 1,181 in 2009 (Box I, Scand J Prim Health Care 2012;30(4):214, doi:10.3109/02813432.2012.735554),
 * 1,120 at the end of 2016 and 1,106 in 2017 (Helsedirektoratet, Fastlegestatistikk 2016, 2017),
 * 1,088 in 2019 Q4 and 1,005 in 2023 Q4 (Helsedirektoratet, Allmennlegetjenesten årsrapport 2023).
 */
export const PUBLISHED_MEAN_LIST: Readonly<Record<number, number>> = {
  2009: 1_181,
  2016: 1_120,
  2017: 1_106,
  2019: 1_088,
  2023: 1_005,
};
/** Mean list ceiling: 1,013 in 2023 Q4 (Helsedirektoratet); no 2009-2016 figure found. */
export const NATIONAL_MEAN_CEILING = 1_013;
/**
 * Listed persons on lists without a GP (Helsedirektoratet): 55,042 on 100 lists at the end of 2018
 * (of about 4,814 lists with a GP x ~1,100 = 5.3 M listed: 1.0 %; Fastlegestatistikk 2018, which
 * also says the number of lists without a GP had been down to about 50 before it rose in
 * 2016-2018), 75,537 (1.4 %) in 2019 Q4, 214,106 (3.9 %) in 2023 Q4. No 2009-2016 figure found:
 * the twin uses the 2018 share, an upper bound for the period.
 */
export const PUBLISHED_SHARE_ON_VACANT_LISTS: Readonly<Record<number, number>> = {
  2018: 55_042 / (55_042 + 4_814 * 1_100),
  2019: 0.014,
  2023: 214_106 / (214_106 + 5_320_828),
};
export const SHARE_ON_VACANT_LISTS = PUBLISHED_SHARE_ON_VACANT_LISTS[2018]!;
/** Lists without a GP per list with a GP: 100 of 4,814 at the end of 2018 (Helsedirektoratet). */
export const VACANT_LISTS_PER_GP_LIST = 100 / 4_814;
/** % GPs specialists 63 % (2023), women 40-49 % over 2016-2024: ASSUMPTION 42 % for 2009-2016. */
export const GP_SHARE_SPECIALIST = 0.6;
export const GP_SHARE_FEMALE = 0.42;
/** Salaried (fastlønnet) 14 % in 2019; more common outside cities. ASSUMPTION by centrality. */
export const GP_SHARE_SALARIED_BY_CENTRALITY = [0.08, 0.08, 0.1, 0.16, 0.3, 0.38] as const;

/**
 * The twin's mean list length: the listed persons with a GP spread over the twin's GPs,
 * PERIOD_POPULATION x (1 - SHARE_ON_VACANT_LISTS) / TWIN_GPS_NATIONAL = about 891 (a derived
 * target: GPs in post had 1,181 in 2009 and 1,120 in 2016, but there were fewer of them; see
 * TWIN_GPS_NATIONAL).
 */
export const TWIN_MEAN_LIST = (PERIOD_POPULATION * (1 - SHARE_ON_VACANT_LISTS)) / TWIN_GPS_NATIONAL;
/**
 * SSB centrality classes 1 (most central) to 6: ASSUMPTION population shares and national numbers
 * of municipalities (356 municipalities after 2020), and mean list capacity per class (shorter
 * lists in rural municipalities; the urban/rural ratios are an ASSUMPTION) chosen so the
 * population-weighted harmonic mean is TWIN_MEAN_LIST (about 891) and the number of GPs is
 * TWIN_GPS_NATIONAL scaled to the twin.
 */
export const CENTRALITY = [
  { cls: 1, popShare: 0.23, municipalities: 5, meanList: 940 },
  { cls: 2, popShare: 0.25, municipalities: 24, meanList: 940 },
  { cls: 3, popShare: 0.22, municipalities: 49, meanList: 932 },
  { cls: 4, popShare: 0.15, municipalities: 72, meanList: 870 },
  { cls: 5, popShare: 0.09, municipalities: 94, meanList: 781 },
  { cls: 6, popShare: 0.06, municipalities: 112, meanList: 675 },
] as const;
/** "Rural" in Riiser 2022's sense: here centrality class 5 or 6 (ASSUMPTION). */
export const RURAL_CENTRALITY_MIN = 5;

/**
 * Age structure around 2012 (SSB, approximate 5-year shares, ASSUMPTION within bands uniform), and
 * share of women per band. Ages are at the reference year (middle of the generated range).
 */
export const AGE_BANDS: readonly { lo: number; hi: number; share: number; female: number }[] = [
  { lo: 0, hi: 4, share: 6.3, female: 0.487 },
  { lo: 5, hi: 9, share: 6.0, female: 0.487 },
  { lo: 10, hi: 14, share: 6.2, female: 0.487 },
  { lo: 15, hi: 19, share: 6.5, female: 0.486 },
  { lo: 20, hi: 24, share: 6.6, female: 0.49 },
  { lo: 25, hi: 29, share: 6.6, female: 0.49 },
  { lo: 30, hi: 34, share: 6.5, female: 0.49 },
  { lo: 35, hi: 39, share: 7.0, female: 0.49 },
  { lo: 40, hi: 44, share: 7.3, female: 0.49 },
  { lo: 45, hi: 49, share: 7.1, female: 0.49 },
  { lo: 50, hi: 54, share: 6.5, female: 0.49 },
  { lo: 55, hi: 59, share: 6.1, female: 0.495 },
  { lo: 60, hi: 64, share: 5.9, female: 0.5 },
  { lo: 65, hi: 69, share: 4.8, female: 0.51 },
  { lo: 70, hi: 74, share: 3.5, female: 0.53 },
  { lo: 75, hi: 79, share: 2.8, female: 0.56 },
  { lo: 80, hi: 84, share: 2.3, female: 0.61 },
  { lo: 85, hi: 89, share: 1.5, female: 0.66 },
  { lo: 90, hi: 99, share: 0.8, female: 0.72 },
];
/** Births per year as a share of the population (about 60,000 / 5 M): persons born after the reference year. */
export const BIRTHS_PER_YEAR_SHARE = 0.0115;

/** Mortality: Gompertz hazard h(a) = exp(LN_A + B·a) per year (ASSUMPTION, about Norwegian life tables). */
export const GOMPERTZ = { lnA: -10.7, b: 0.095 } as const;
/** Emigration per year: ASSUMPTION 0.4 % (no immigrant background), 3 % (immigrants). */
export const EMIGRATION_RATE = { native: 0.004, immigrant: 0.03 } as const;

/** Immigrant background by age at reference year (SSB 2012-2016 orders of magnitude, ASSUMPTION). */
export const IMMIGRANT_BY_AGE: readonly { maxAge: number; immigrant: number; born: number }[] = [
  { maxAge: 17, immigrant: 0.06, born: 0.09 },
  { maxAge: 24, immigrant: 0.15, born: 0.04 },
  { maxAge: 44, immigrant: 0.22, born: 0.015 },
  { maxAge: 66, immigrant: 0.12, born: 0.003 },
  { maxAge: 200, immigrant: 0.05, born: 0.002 },
];
/** Immigrants without a record in the education database (NUDB): ASSUMPTION. */
export const IMMIGRANT_EDUCATION_MISSING = 0.12;

/**
 * Final education by birth cohort and sex (SSB 2011: 28.6 % compulsory, 42.3 % upper secondary,
 * 29.1 % tertiary among 16+, SSB Statistisk årbok; cohort gradients ASSUMPTION). [low, high] shares.
 */
export const EDUCATION_BY_COHORT: readonly {
  bornFrom: number;
  female: [number, number];
  male: [number, number];
}[] = [
  { bornFrom: 1980, female: [0.17, 0.5], male: [0.25, 0.33] },
  { bornFrom: 1955, female: [0.22, 0.38], male: [0.22, 0.3] },
  { bornFrom: 1940, female: [0.36, 0.2], male: [0.3, 0.25] },
  { bornFrom: 0, female: [0.55, 0.1], male: [0.45, 0.15] },
];
/** Rural municipalities: fewer with higher education (ASSUMPTION multipliers on low/high shares). */
export const RURAL_EDUCATION = { low: 1.2, high: 0.75 } as const;

/** Employment (labour income >= 2G) among 20-66 by education (ASSUMPTION; ages 62-66 x 0.65). */
export const EMPLOYMENT_BY_EDU = { low: 0.55, medium: 0.76, high: 0.88 } as const;
export const EMPLOYMENT_IMMIGRANT_FACTOR = 0.8;
/** Median labour income of the employed, NOK at the reference year, by education (ASSUMPTION); women x 0.8; growth 3 %/yr. */
export const INCOME_MEDIAN = { low: 380_000, medium: 450_000, high: 560_000 } as const;

/**
 * GP consultations (SSB, Allmennlegetjenesten; consultations = bills with 2ad/2ak/2ae/2ed) by year:
 * per person 2.5 (2010), 2.6 (2011, 2012), 2.7 (2019), 3.0 (2023); persons with at least one 68 %
 * (2012), 70 % (2019), 72 % (2023) (ssb.no/helse/statistikker/fastlegetj/aar/2013-09-18 for 2010-2012;
 * ssb.no/en/helse/statistikker/fastlegetj for 2019; ssb.no/helse/helsetjenester/statistikk/allmennlegetjenesten
 * for 2023). Share of consultations in the diagnosis group "mental illness or mental health
 * problems": 10.8 % (2019), 11.3 % (2020), 12.2 % (2023); no 2009-2016 figure found.
 */
export const PUBLISHED_CONSULTATIONS_PER_PERSON: Readonly<Record<number, number>> = {
  2010: 2.5,
  2011: 2.6,
  2012: 2.6,
  2019: 2.7,
  2023: 3.0,
};
export const PUBLISHED_SHARE_WITH_CONSULTATION: Readonly<Record<number, number>> = {
  2012: 0.68,
  2019: 0.7,
  2023: 0.72,
};
export const PUBLISHED_P_SHARE: Readonly<Record<number, number>> = { 2019: 0.108, 2020: 0.113, 2023: 0.122 };
/**
 * Mean consultations per person-year by age: SSB's 2012 rows (0-5 1.7, 6-15 1.1, 16-19 1.6, 20-29
 * 2.1, 30-49 2.6, 50-66 3.2, 67-79 4.4, 80-89 5.2, 90+ 3.2; all ages 2.6), multiplied by the sex
 * factor (ASSUMPTION, women about 1.5 times men as in SSB's sex rows). Simple contacts come on top.
 */
export const CONSULT_MEAN_BY_AGE: readonly { maxAge: number; mean: number }[] = [
  { maxAge: 5, mean: 1.7 },
  { maxAge: 15, mean: 1.1 },
  { maxAge: 19, mean: 1.6 },
  { maxAge: 29, mean: 2.1 },
  { maxAge: 49, mean: 2.6 },
  { maxAge: 66, mean: 3.2 },
  { maxAge: 79, mean: 4.4 },
  { maxAge: 89, mean: 5.2 },
  { maxAge: 200, mean: 3.2 },
];
export const CONSULT_SEX_FACTOR = { F: 1.2, M: 0.8 } as const;
/** Person-level frailty (log-normal SD) so that about 32 % have no consultation in a year (SSB 2012: 68 % had one). */
export const CONSULT_FRAILTY_SD = 0.25;
/** Simple contacts per consultation (ASSUMPTION). */
export const SIMPLE_CONTACT_SHARE = 0.15;
/** Share of background consultations with a P-chapter main diagnosis; the episodes add about 1 % (SSB 2019: 10.8 %, the nearest year published). */
export const BACKGROUND_P_SHARE = 0.094;
/** Out-of-hours or another GP than the list GP. */
export const OTHER_GP_SHARE = 0.07;
/** Long-consultation supplement on background consultations without a P diagnosis (ASSUMPTION). */
export const BACKGROUND_2CD_SHARE = 0.18;

/**
 * New GP-recorded depression episodes (ICPC-2 P76) among adults 18+ a year nationally: Riiser
 * 2022's 285,113 patients in 2009-2015 / 7 = 40,730, scaled to the twin by twinScale. The twin
 * plants about one episode per patient in the period, so its episodes are Riiser's patients (and
 * its GP clusters Riiser's 7.3 patients per GP-year); Ruths 2021's 365,947 diagnoses among 20+
 * (52,278 a year) count repeat episodes of the same patients as well, which the twin does not
 * reproduce (reported, not calibrated). 61.6 % women and mean age 43.5 (Riiser 2022); SD of age 16
 * (Ruths 2021, 20+); age composition from Riiser 2022 Table 4 (Ruths et al. 2021,
 * doi:10.1186/s12913-021-06712-w; Riiser et al. 2022, doi:10.1186/s12913-022-08579-x).
 */
export const EPISODES_PER_YEAR_NATIONAL = GPDEP_COHORT.patients / GPDEP_COHORT.years;
export const EPISODE_SHARE_FEMALE = 0.616;
export const EPISODE_AGE_SHARES: readonly { band: AgeBand; share: number }[] = [
  { band: '18-29', share: 0.242 },
  { band: '30-39', share: 0.217 },
  { band: '40-49', share: 0.217 },
  { band: '50-59', share: 0.163 },
  { band: '60-69', share: 0.089 },
  { band: '70+', share: 0.072 },
];
/** Adolescents 12-17 (outside the adult targets, present so age limits matter): ASSUMPTION 4 % of the adult count. */
export const EPISODE_ADOLESCENT_SHARE = 0.04;
/** Relative episode rates (ASSUMPTION; chosen so the cohort is about 32/41/27 % low/medium/high and 11.7 % born abroad). */
export const EPISODE_RR_EDU = { low: 1.2, medium: 0.95, high: 0.98, missing: 1.0 } as const;
export const EPISODE_RR_IMMIGRANT = 0.79;
/** Within-band age tilt of episode rates, log-RR per year of age (band totals are fixed; shifts the mean age to Riiser's 43.5). */
export const EPISODE_AGE_TILT = 0.05;
/** From 70 the tilt turns: episodes are more common among the young old (keeps the age SD at 16). */
export const EPISODE_AGE_TILT_70 = -0.06;
/** Episodes are never within two calendar years of a previous one, so every washout up to 365 days recovers them exactly. */
export const EPISODE_GAP_YEARS = 2;
/** Last P76-coded bill of an episode: at most this many days after the index. */
export const EPISODE_P76_MAX_DAYS = 300;

export type AgeBand = '12-17' | '18-29' | '30-39' | '40-49' | '50-59' | '60-69' | '70+';
export const AGE_BAND_SQL = `CASE WHEN age < 18 THEN '12-17' WHEN age < 30 THEN '18-29' WHEN age < 40 THEN '30-39' WHEN age < 50 THEN '40-49' WHEN age < 60 THEN '50-59' WHEN age < 70 THEN '60-69' ELSE '70+' END`;

/** Care outcomes planted per episode (12-month window from the index date). */
export type Outcome = 'talk' | 'long' | 'ad' | 'sick' | 'referral';
export const OUTCOMES: readonly Outcome[] = ['talk', 'long', 'ad', 'sick', 'referral'];
export const OUTCOME_LABEL: Record<Outcome, string> = {
  talk: 'talking therapy (615)',
  long: 'long consultation (2cd)',
  ad: 'antidepressant (N06A)',
  sick: 'sick leave (20-66)',
  referral: 'referral to specialist mental health care',
};

/** GP-level random-intercept variances on the logit scale (ASSUMPTION: none are published for these outcomes). */
export const GP_VARIANCE: Record<Outcome, number> = {
  talk: 0.8,
  long: 0.4,
  ad: 0.25,
  sick: 0.1,
  referral: 0.2,
};
/**
 * Correlation of a GP's random intercepts across outcomes (ASSUMPTION: a common "engagement" style;
 * it makes the outcomes positively associated, which brings "none of the three" to Riiser's 17.3 %).
 * Order: talk, long, ad, sick, referral.
 */
export const GP_CORRELATION: readonly (readonly number[])[] = [
  [1, 0.5, 0.4, 0.4, 0.2],
  [0.5, 1, 0.2, 0.2, 0.2],
  [0.4, 0.2, 1, 0.4, 0.2],
  [0.4, 0.2, 0.4, 1, 0.2],
  [0.2, 0.2, 0.2, 0.2, 1],
];

/**
 * Trends 2009 -> 2015 (Ruths 2021): talking therapy 42.3 -> 63.4 %, long consultations 56.4 -> 71.8 %,
 * sick-listing 58.1 -> 50.0 %, referral 16.6 -> 21.6 %. Antidepressants: Ruths' 31.3 -> 25.9 % uses
 * a narrower definition; the generator keeps Ruths' relative decline (x0.83) around Riiser's pooled
 * 34.1 % (2015 value 30.9 %, close to Hansen 2021's 31.4 %). Intermediate years linear.
 */
export const TREND: Record<Outcome, { first: number; last: number }> = {
  talk: { first: 0.423, last: 0.634 },
  long: { first: 0.564, last: 0.718 },
  ad: { first: 0.3727, last: 0.3093 },
  sick: { first: 0.581, last: 0.5 },
  referral: { first: 0.166, last: 0.216 },
};

/** Riiser 2022 Table 4: 12-month shares by patient group (Riiser et al. 2022, doi:10.1186/s12913-022-08579-x), and mean number among users. */
export const TABLE4 = {
  talk: {
    sex: { F: 0.525, M: 0.519 },
    age: { '18-29': 0.567, '30-39': 0.561, '40-49': 0.534, '50-59': 0.499, '60-69': 0.458, '70+': 0.386 },
    edu: { low: 0.517, medium: 0.51, high: 0.55 },
    immigrant: { yes: 0.542, no: 0.522 },
    meanCount: 2.8,
  },
  ad: {
    sex: { F: 0.332, M: 0.355 },
    age: { '18-29': 0.332, '30-39': 0.31, '40-49': 0.317, '50-59': 0.322, '60-69': 0.364, '70+': 0.545 },
    edu: { low: 0.365, medium: 0.346, high: 0.302 },
    immigrant: { yes: 0.358, no: 0.338 },
    meanCount: 3.7,
  },
  sick: {
    sex: { F: 0.55, M: 0.535 },
    age: { '18-29': 0.466, '30-39': 0.618, '40-49': 0.601, '50-59': 0.538, '60-69': 0.409 },
    edu: { low: 0.473, medium: 0.562, high: 0.598 },
    immigrant: { yes: 0.532, no: 0.545 },
    meanCount: 3.8,
  },
} as const;
/** Pooled 12-month shares (Riiser 2022): talking therapy 52.5 %, antidepressants 34.1 %, sick leave 54.1 %, none of the three 17.3 %. */
export const POOLED = { talk: 0.525, ad: 0.341, sick: 0.541, none: 0.173 } as const;
/** Rural vs urban adjusted RR (Riiser 2022): talking therapy 0.68, antidepressants 1.09; short vs long lists, antidepressants 1.08. */
export const RURAL_RR = { talk: 0.68, ad: 1.09 } as const;
export const SHORT_LIST_RR_AD = 1.08;
/**
 * A GP's list is "short" below this many patients at the reference date (ASSUMPTION: about the
 * shortest 30 % of the twin's lists; Riiser's list-size groups were not retrieved).
 */
export const SHORT_LIST_BELOW = 710;

/**
 * Fixed (not calibrated) log-odds effects: GP level and, for long consultation and referral, patient
 * level (ASSUMPTION, stated so analyses can recover them). Sick leave needs a job: it is planted
 * only for episodes employed in the index year (the employment table; issue 13, item 4), so its
 * model, its calibration and its GP variance are among the employed.
 */
export interface FixedEffects {
  gp_specialist: number;
  gp_salaried: number;
  gp_short_list: number;
  gp_female: number;
  employed?: number;
  male?: number;
  immigrant?: number;
  rural?: number;
  edu_high?: number;
  age?: Partial<Record<AgeBand, number>>;
}
export const FIXED: Record<Outcome, FixedEffects> = {
  talk: { gp_specialist: 0.15, gp_salaried: -0.2, gp_short_list: 0.1, gp_female: 0.1 },
  ad: { gp_specialist: -0.1, gp_salaried: 0.05, gp_short_list: 0.12, gp_female: -0.05 },
  sick: { gp_specialist: -0.06, gp_salaried: -0.1, gp_short_list: 0, gp_female: -0.1 },
  long: {
    gp_specialist: 0.2,
    gp_salaried: -0.3,
    gp_short_list: 0.15,
    gp_female: 0.1,
    male: -0.1,
    immigrant: -0.1,
    rural: -0.2,
    edu_high: 0.1,
    age: { '60-69': -0.1, '70+': -0.3 },
  },
  referral: {
    gp_specialist: -0.05,
    gp_salaried: 0,
    gp_short_list: 0,
    gp_female: 0.05,
    male: -0.1,
    immigrant: -0.15,
    rural: -0.3,
    edu_high: 0.1,
    age: { '12-17': 0.4, '18-29': 0.2, '60-69': -0.2, '70+': -0.6 },
  },
};
/** Adolescents 12-17 (no published targets): log-odds relative to 18-29, ASSUMPTION. */
export const ADOLESCENT_OFFSET: Record<'talk' | 'ad', number> = { talk: 0, ad: -0.8 };

/**
 * Counts among users: 1 + a geometric number of extra events with this mean, capped; chosen so the
 * capped means hit Riiser 2022 Table 4 (talking therapy 2.8 sessions, antidepressants 3.7
 * dispensings, sick leave 3.8 periods).
 */
export const COUNT_DRAW = {
  talk: { extra: 1.82, cap: 12 },
  ad: { extra: 2.78, cap: 15 },
  sick: { extra: 2.8, cap: 20 },
  long: { extra: 0.6, cap: 6 },
  referralContacts: { extra: 5, cap: 40 },
} as const;

/**
 * Antidepressants dispensed (NorPD, N06A): ATC, share of first choices (ASSUMPTION shaped after
 * Norwegian use: escitalopram and sertraline most used), DDD per package.
 */
export const ANTIDEPRESSANTS: readonly { atc: string; share: number; dddPerPack: number }[] = [
  { atc: 'N06AB10', share: 0.3, dddPerPack: 28 },
  { atc: 'N06AB06', share: 0.2, dddPerPack: 30 },
  { atc: 'N06AB04', share: 0.1, dddPerPack: 28 },
  { atc: 'N06AX11', share: 0.14, dddPerPack: 15 },
  { atc: 'N06AX16', share: 0.08, dddPerPack: 28 },
  { atc: 'N06AX21', share: 0.06, dddPerPack: 28 },
  { atc: 'N06AX12', share: 0.04, dddPerPack: 30 },
  { atc: 'N06AA09', share: 0.05, dddPerPack: 12.5 },
  { atc: 'N06AB05', share: 0.03, dddPerPack: 30 },
];
/** Other drugs in the background (so analyses must filter N06A): ATC, DDD per package. */
export const OTHER_DRUGS: readonly { atc: string; share: number; dddPerPack: number }[] = [
  { atc: 'N05CF01', share: 0.35, dddPerPack: 30 },
  { atc: 'N05BA01', share: 0.25, dddPerPack: 12.5 },
  { atc: 'C10AA01', share: 0.4, dddPerPack: 100 },
];
/** Background antidepressant users (NorPD: 6.2 % one-year prevalence 2014, women twice men). ASSUMPTION per-person propensity. */
export const BACKGROUND_AD = {
  women: 0.075,
  men: 0.04,
  elderlyFactor: 1.6,
  activeYearShare: 0.75,
  perYear: 4,
} as const;

/** Background ICPC-2 codes: P chapter without P76, and other chapters (ASSUMPTION weights). */
export const P_CODES: readonly [string, number][] = [
  ['P01', 18],
  ['P02', 14],
  ['P03', 10],
  ['P06', 13],
  ['P74', 16],
  ['P29', 8],
  ['P78', 6],
  ['P15', 3],
  ['P81', 4],
  ['P70', 3],
  ['P20', 2],
  ['P82', 3],
];
export const OTHER_CODES: readonly [string, number][] = [
  ['R74', 10],
  ['R05', 4],
  ['L03', 9],
  ['L02', 4],
  ['L86', 4],
  ['L92', 3],
  ['K86', 9],
  ['T90', 7],
  ['T93', 3],
  ['A97', 4],
  ['A04', 3],
  ['S87', 3],
  ['D73', 3],
  ['U71', 3],
  ['R96', 4],
  ['N01', 3],
  ['K74', 3],
  ['L84', 3],
  ['W11', 3],
  ['X11', 2],
  ['Y06', 1],
  ['H71', 3],
  ['F70', 2],
  ['B80', 2],
];
/** ICD-10 codes used on a small share of bills (GPs may code ICD-10). */
export const ICD10_BACKGROUND = ['J06.9', 'M54.5', 'I10', 'E11.9', 'F41.1'] as const;
export const ICD10_SHARE = 0.01;
/** ICD-10 codes on specialist mental-health contacts for a depression referral. */
export const DEPRESSION_ICD10: readonly [string, number][] = [
  ['F32.1', 40],
  ['F32.2', 15],
  ['F33.1', 25],
  ['F32.0', 10],
  ['F33.2', 5],
  ['F41.2', 5],
];
/** Background NPR contacts: specialist mental health (adults) ~3 % a year, somatic outpatient ~12 % (ASSUMPTION; order of magnitude from Helsedirektoratet's NPR statistics). */
export const BACKGROUND_NPR = { vop: 0.025, avtspes: 0.01, tsb: 0.004, som: 0.12 } as const;
/** Background sick leave among the employed per year, background AAP incidence, disability prevalence (ASSUMPTION, NAV §1.6). */
export const BACKGROUND_SICK = { perEmployedYear: 0.3, pShare: 0.12 } as const;
export const AAP = { incidencePerYear: 0.012, afterExhaustedSickLeave: 0.5 } as const;
export const DISABILITY = { prevalence50to66: 0.2, prevalence18to49: 0.05 } as const;
