/**
 * Published GP-DEP figures to set the results beside.
 * Riiser et al. 2022 (BMC Health Serv Res, doi:10.1186/s12913-022-08579-x), Table 4: % with the
 * care within 12 months by patient characteristics (sick leave among 20-66). Ruths et al. 2021
 * (doi:10.1186/s12913-021-06712-w): 2009 and 2015 shares.
 */

export const RIISER_2022 = {
  source: 'Riiser et al. 2022, Table 4 (new episodes 2009-2015, 18+; sick leave 20-66)',
  sourceNb: 'Riiser mfl. 2022, tabell 4 (nye episoder 2009-2015, 18+; sykmelding 20-66 år)',
  patients: 285_113,
  meanAge: 43.5,
  womenPercent: 61.6,
  overall: { tt: 52.5, ad: 34.1, sl: 54.1, none3: 17.3 } as Record<string, number>,
  /** covariate → level → indicator → % */
  byLevel: {
    sex: {
      F: { tt: 52.5, ad: 33.2, sl: 55.0 },
      M: { tt: 51.9, ad: 35.5, sl: 53.5 },
    },
    age_group: {
      '18-29': { tt: 56.7, ad: 33.2, sl: 46.6 },
      '30-39': { tt: 56.1, ad: 31.0, sl: 61.8 },
      '40-49': { tt: 53.4, ad: 31.7, sl: 60.1 },
      '50-59': { tt: 49.9, ad: 32.2, sl: 53.8 },
      '60-69': { tt: 45.8, ad: 36.4, sl: 40.9 },
      '70+': { tt: 38.6, ad: 54.5 },
    },
    edu_group: {
      low: { tt: 51.7, ad: 36.5, sl: 47.3 },
      medium: { tt: 51.0, ad: 34.6, sl: 56.2 },
      high: { tt: 55.0, ad: 30.2, sl: 59.8 },
    },
    immigrant: {
      born_abroad: { tt: 54.2, ad: 35.8, sl: 53.2 },
      norway_or_other: { tt: 52.2, ad: 33.8, sl: 54.5 },
    },
  } as Record<string, Record<string, Record<string, number>>>,
  /** Mean number among users (Table 4, overall women/men are equal to one decimal). */
  meanCount: { tt: 2.8, ad: 3.7, sl: 3.8 } as Record<string, number>,
  ruralVsUrban: { tt: '0.68 (0.64-0.73)', ad: '1.09 (1.04-1.14)' } as Record<string, string>,
};

export const RUTHS_2021 = {
  source: 'Ruths et al. 2021 (new diagnoses 2009-2015, 20+)',
  sourceNb: 'Ruths mfl. 2021 (nye diagnoser 2009-2015, 20+)',
  episodes: 365_947,
  meanAge: 44,
  womenPercent: 61.9,
  /** indicator → [2009 %, 2015 %] */
  trend: {
    tt: [42.3, 63.4],
    long: [56.4, 71.8],
    ref: [16.6, 21.6],
    ad: [31.3, 25.9],
    sl: [58.1, 50.0],
  } as Record<string, [number, number]>,
};
