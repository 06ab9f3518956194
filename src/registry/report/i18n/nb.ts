/**
 * Norwegian bokmål for the report (rapport.html): the frame and figure words, the tables' titles,
 * captions and column labels by table id and column key, the section headings by section id, and
 * the words that appear as cell values. Sentences with numbers or labels inside them (notes,
 * figure captions, descriptions) are in nb-messages.ts. The methods text is methods-nb.ts, and the
 * definitions of care and patient characteristics are in engine/definitions.ts (`nb`).
 *
 * Each entry holds the English it translates (see translator.ts): when the English is changed, the
 * entry no longer applies and rapport.test.ts lists the English text, so the Norwegian is updated
 * rather than left stale. A new table gets an entry in NB_TABLES (title, caption, the columns
 * not in NB_COLUMNS); a new category label a line in NB_WORDS; a new note a message in
 * nb-messages.ts.
 *
 * Terms as in Norwegian health research: fastlege (a listed regular GP), allmennlege (a GP bill),
 * samtaleterapi, lang konsultasjon, antidepressiva, sykmelding, henvisning til
 * spesialisthelsetjenesten i psykisk helsevern, relativ risiko (RR), konfidensintervall (KI),
 * sensitivitetsanalyse, prikking (suppression of small numbers).
 */
import type { FunnelPlotData } from '../../stats/funnel.js';
import type { FunnelLabels } from '../funnel-geometry.js';
import { NB_MESSAGES } from './nb-messages.js';
import { nbFixed, type Catalogue, type TableText } from './translator.js';
import type { UiStrings } from './ui.js';

const FUNNEL_LABELS_NB: FunnelLabels = {
  xAxis: 'Pasienter per fastlege',
  yAxis: 'Andel pasienter (%)',
  yAxisAdjusted: 'Risikojustert andel pasienter (%)',
  points: 'Én fastlege (pasienter avrundet til 5, andel til 0,5 poeng)',
  // Short, so "Samlet andel (54,6 %)" stays on one legend line.
  target: 'Samlet andel',
  exact95: '95 %-grenser (eksakt binomisk)',
  exact998: '99,8 %-grenser (eksakt binomisk)',
  multiplicative998: '99,8 %-grenser utvidet med overdispersjonsfaktoren φ',
  additive998: '99,8 %-grenser som tar hensyn til variasjon mellom fastleger',
};

/** funnel-geometry.ts funnelSummary in Norwegian. */
export function funnelSummaryNb(data: FunnelPlotData): string[] {
  const s = data.summary;
  const out = (k: keyof typeof s.outside) => s.outside[k].above + s.outside[k].below;
  const gp = (n: number) => `${n} ${n === 1 ? 'fastlege' : 'fastleger'}`;
  const p = s.pValue < 0.001 ? 'p < 0,001' : `p = ${nbFixed(s.pValue, 3)}`;
  const tau2 =
    s.tau2 === 0 ? '0' : s.tau2 < 0.01 ? s.tau2.toPrecision(2).replace('.', ',') : nbFixed(s.tau2, 3);
  return [
    `${gp(data.points.length)} vist, hver med minst ${data.minPatients} pasienter` +
      (data.omitted > 0
        ? `; ${gp(data.omitted)} med færre pasienter er utelatt fra plottet, men tatt med i tallene.`
        : '.'),
    `Referanse (samlet andel${s.riskAdjusted ? '; fastlegene vist med risikojusterte andeler' : ''}): ${nbFixed(100 * s.p0, 1)} %.`,
    `Overdispersjon φ = ${nbFixed(s.phi, 2)} (${s.winsorise > 0 ? `${nbFixed(100 * s.winsorise, Number.isInteger(100 * s.winsorise) ? 0 : 1)} % winsorisert` : 'ikke winsorisert'}; test mot ingen overdispersjon ${p}); ` +
      `varians mellom fastleger τ² = ${tau2} på arcsinus-kvadratrot-skalaen.`,
    `Av ${gp(s.gps)} i analysen er ${out('exact95')} utenfor de eksakte 95 %-grensene ` +
      `(${s.outside.exact95.above} over, ${s.outside.exact95.below} under), ${out('exact998')} utenfor de eksakte 99,8 %-grensene ` +
      `(${s.outside.exact998.above} over, ${s.outside.exact998.below} under), ${out('multiplicative998')} utenfor 99,8 %-grensene ` +
      `utvidet med φ og ${out('additive998')} utenfor 99,8 %-grensene som tar hensyn til variasjon mellom fastleger.`,
  ];
}

export const UI_NB: UiStrings = {
  htmlLang: 'nb',
  generated: (at, data, from, to) => `Laget ${at} fra ${data}. Indeksperiode ${from} til ${to}.`,
  suppressed: (largest, mark) =>
    `Antall fra 1 til ${largest}, og cellene som ville avsløre dem, er skjult (prikket) og vises som «${mark}».`,
  contents: 'Innhold',
  methods: 'Metode og definisjoner',
  ci95: ' (95 % KI)',
  rangeSeparator: '–',
  collapsed: (n) => `(${n} ${n === 1 ? 'rad' : 'rader'}; åpne for å vise)`,
  pointTitle: (series, x, percent) => `${series}, ${x}: ${percent} %`,
  forestAxis: 'Justert relativ risiko (logaritmisk skala)',
  reference: 'referanse',
  sameDay: 'Samme dag (kombinasjon)',
  otherPooled: 'Andre (små, slått sammen)',
  noneOfFour: 'Ingen av de fire',
  otherSequences: 'Andre forløp',
  otherShort: 'Andre',
  noneShort: 'Ingen',
  noData: 'Ingen data å vise',
  segmentTitle: (path, count, percent) => `${path}: ${count} episoder (${percent} %)`,
  funnelLabels: FUNNEL_LABELS_NB,
  funnelSummary: funnelSummaryNb,
};

/** Exact phrases: category labels in the tables, the kinds of care, short texts. */
export const NB_WORDS: Readonly<Record<string, string>> = {
  // Patient characteristics and their groups (analyze/tables.ts, equity-table.ts).
  All: 'Alle',
  Sex: 'Kjønn',
  Women: 'Kvinner',
  Men: 'Menn',
  Both: 'Begge',
  women: 'kvinner',
  men: 'menn',
  both: 'begge',
  'Age group': 'Aldersgruppe',
  Education: 'Utdanning',
  education: 'utdanning',
  'Low (NUS 0-2)': 'Lav (NUS 0-2)',
  'Medium (NUS 3-5)': 'Middels (NUS 3-5)',
  'High (NUS 6-8)': 'Høy (NUS 6-8)',
  Missing: 'Mangler',
  'Immigrant background': 'Innvandringsbakgrunn',
  'Norwegian-born or other': 'Norskfødt eller annen',
  'Born abroad (immigrant)': 'Født i utlandet (innvandrer)',
  'Centrality (residence)': 'Sentralitet (bosted)',
  'Central (1-2)': 'Sentral (1-2)',
  'Intermediate (3-4)': 'Middels sentral (3-4)',
  'Rural (5-6)': 'Lite sentral (5-6)',
  'Year of index': 'Indeksår',
  'Household income (decile)': 'Husholdningsinntekt (desil)',
  'household income (decile)': 'husholdningsinntekt (desil)',
  // Kinds of care (analyze/tables.ts indicatorDefs; the rest are templates in nb-messages.ts).
  'None of talking therapy, antidepressant, sick leave':
    'Verken samtaleterapi, antidepressiva eller sykmelding',
  'None of the five kinds of care': 'Ingen av de fem behandlingsformene',
  'Talking therapy': 'Samtaleterapi',
  Antidepressant: 'Antidepressiva',
  'Sick leave': 'Sykmelding',
  'Specialist care': 'Spesialisthelsetjenesten',
  'Referral to specialist care': 'Henvisning til spesialisthelsetjenesten',
  // Pathways (analyze/pathways.ts).
  none: 'ingen',
  'None of the four': 'Ingen av de fire',
  'Other sequences': 'Andre forløp',
  'All episodes': 'Alle episoder',
  // GP characteristics (engine/analyses.ts GP_CHARACTERISTICS) and the GP covariate of Table 7.
  'Rural practice (centrality 5-6)': 'Praksis i lite sentral kommune (sentralitet 5-6)',
  'Female GP': 'Kvinnelig fastlege',
  'Specialist in general practice': 'Spesialist i allmennmedisin',
  'Salaried (not self-employed)': 'Fastlønnet (ikke selvstendig næringsdrivende)',
  'Rural GP': 'Fastlege i lite sentral kommune',
  'List size (per 500 patients)': 'Listelengde (per 500 pasienter)',
  // Key figures (analyze/key-figures.ts): measures and notes.
  Episodes: 'Episoder',
  'Episodes per year': 'Episoder per år',
  Patients: 'Pasienter',
  'Women, %': 'Kvinner, %',
  'Mean age': 'Gjennomsnittsalder',
  'Censored (death or emigration)': 'Sensurert (død eller utvandring)',
  'Talking therapy, %': 'Samtaleterapi, %',
  'Long consultation, %': 'Lang konsultasjon, %',
  'Antidepressant, %': 'Antidepressiva, %',
  'Antidepressant (new users), %': 'Antidepressiva (nye brukere), %',
  'Antidepressant (any use, as published), %': 'Antidepressiva (all bruk, som publisert), %',
  'Referral to specialist care, %': 'Henvisning til spesialisthelsetjenesten, %',
  'Sick leave (20-66), %': 'Sykmelding (20-66 år), %',
  'Sick leave (employed 20-66), %': 'Sykmelding (sysselsatte 20-66 år), %',
  'Employed at index (20-66), %': 'Sysselsatt på indeksdatoen (20-66 år), %',
  'Sick leave (all 20-66, as published), %': 'Sykmelding (alle 20-66 år, som publisert), %',
  'None of talking therapy, antidepressant, sick leave, %':
    'Verken samtaleterapi, antidepressiva eller sykmelding, %',
  'Riiser counts patients, Ruths diagnoses; 7 years': 'Riiser teller pasienter, Ruths diagnoser; 7 år',
  'Not published: the papers count any use': 'Ikke publisert: artiklene teller all bruk',
  'Not published: the papers count all 20-66': 'Ikke publisert: artiklene teller alle 20-66 år',
  'NAV Aa-registeret': 'NAV Aa-registeret',
  // Cohort flow (analyze/key-figures.ts flowTable); the steps with numbers are in nb-messages.ts.
  'Alive and resident at index': 'I live og bosatt i Norge på indeksdatoen',
  "The person's first episode": 'Personens første episode',
  'Every new episode (no restriction)': 'Hver ny episode (ingen avgrensning)',
  'Listed with a GP at index': 'På en fastleges liste på indeksdatoen',
  'GP list not required': 'Fastlegeliste ikke påkrevd',
  // Report frame and figures (analyze/run.ts).
  'GP-DEP registry analysis: depression care in general practice':
    'GP-DEP-registeranalyse: behandling av depresjon i allmennpraksis',
  'Care within 12 months by year of index': 'Behandling innen 12 måneder etter indeksår',
  '% of episodes': '% av episodene',
  'Order of first treatments within 12 months': 'Rekkefølgen av de første behandlingene innen 12 måneder',
  'Figure 1. Share of episodes with each kind of care by year of index (numbers in Table 2, rows "Year of index").':
    'Figur 1. Andel episoder med hver behandlingsform etter indeksår (tallene står i tabell 2, radene «Indeksår»).',
  'Figure 3. Pathways of first treatments (numbers in Table 5). Inner ring: first step; outer rings: later steps.':
    'Figur 3. Forløp av de første behandlingene (tallene står i tabell 5). Indre ring: første trinn; ytre ringer: senere trinn.',
  // Reasons a number is not given (notes).
  'fewer than 5': 'færre enn 5',
  'no model': 'ingen modell',
  'no variation in the outcome': 'ingen variasjon i utfallet',
  'a group has from 1 to 4 episodes with or without the care':
    'en gruppe har fra 1 til 4 episoder med eller uten behandlingen',
  // Multiplicity notes: what was estimated, and its null value (analyze/multiplicity.ts).
  'relative risks': 'relative risikoer',
  'odds ratios': 'oddsratioer',
  'equity indices': 'ulikhetsindekser',
  'an RR of 1': 'en RR på 1',
  'an odds ratio of 1': 'en oddsratio på 1',
  'the null value (0 for C, W, E, HI and SII; 1 for RII)':
    'nullverdien (0 for C, W, E, HI og SII; 1 for RII)',
  // Income year (engine/definitions.ts incomeYearPhrase).
  'the calendar year before the index year': 'kalenderåret før indeksåret',
  'the latest year before the index year with a value': 'det siste året før indeksåret som har en verdi',
};

/** Section headings by section id (analyze/run.ts). */
export const NB_SECTIONS: Catalogue['sections'] = {
  key: ['Key figures', 'Nøkkeltall'],
  cohort: ['Cohort', 'Kohort'],
  care: ['Care within 12 months', 'Behandling innen 12 måneder'],
  'rr-*': ['{care:t}: relative risks', '{care}: relativ risiko'],
  pathways: ['Pathways', 'Behandlingsforløp'],
  work: ['Work participation', 'Arbeidsdeltakelse'],
  gp: ['Variation between GPs', 'Variasjon mellom fastleger'],
  equity: ['Equity by education and income', 'Sosial ulikhet etter utdanning og inntekt'],
};

/** Column labels several tables share, by column key. */
export const NB_COLUMNS: Catalogue['columns'] = {
  covariate: ['Characteristic', 'Kjennetegn'],
  level: ['Group', 'Gruppe'],
  n: ['Episodes', 'Episoder'],
  percent: ['%', '%'],
  care: ['Care', 'Behandling'],
  gps: ['GPs', 'Fastleger'],
};

const TABLE3_CAPTION =
  '{care:t} within follow-up: n, %, mean number among those with it, and relative risks (RR) with 95% confidence intervals ' +
  'from Poisson regression with a log link and robust (HC0) standard errors; crude (one characteristic) and adjusted ' +
  '(all characteristics in the table, year included). An RR describes how the share differs from the reference group; it is an association, not an effect of the characteristic. Published: Riiser et al. 2022, Table 4.';

/** Titles, captions and the table's own column labels, by table id. */
export const NB_TABLES: Readonly<Record<string, TableText>> = {
  table0_key_figures: {
    title: [
      'Key figures beside the published GP-DEP results',
      'Nøkkeltall sammenlignet med publiserte resultater fra GP-DEP',
    ],
    caption: [
      'This analysis and the published figures (Riiser et al. 2022; Ruths et al. 2021).',
      'Denne analysen og de publiserte tallene (Riiser mfl. 2022; Ruths mfl. 2021).',
    ],
    columns: {
      measure: ['Measure', 'Mål'],
      this_analysis: ['This analysis', 'Denne analysen'],
      riiser_2022: ['Riiser 2022', 'Riiser 2022'],
      ruths_2021: ['Ruths 2021', 'Ruths 2021'],
      note: ['Note', 'Merknad'],
    },
  },
  table0_cohort_flow: {
    title: ['Cohort flow', 'Utvelgelse av kohorten'],
    caption: [
      'Episodes left after each restriction (restrictions that exclude fewer than 5 episodes are pooled with the next).',
      'Episoder som gjenstår etter hver avgrensning (avgrensninger som utelukker færre enn 5 episoder, er slått sammen med den neste).',
    ],
    columns: {
      step: ['Restriction', 'Avgrensning'],
      episodes: ['Episodes', 'Episoder'],
      excluded: ['Excluded', 'Utelukket'],
    },
  },
  table1_cohort: {
    title: [
      'Table 1. New depression episodes by patient characteristics',
      'Tabell 1. Nye depresjonsepisoder etter pasientkjennetegn',
    ],
    caption: [
      'Episodes in the cohort by sex, age group, education, immigrant background, centrality of residence and year of index.',
      'Episoder i kohorten etter kjønn, aldersgruppe, utdanning, innvandringsbakgrunn, sentralitet for bostedet og indeksår.',
    ],
  },
  table2_care_by_characteristics: {
    title: [
      'Table 2. Care within 12 months by patient characteristics',
      'Tabell 2. Behandling innen 12 måneder etter pasientkjennetegn',
    ],
    caption: [
      [
        "Episodes with each kind of care within follow-up, n and % of the indicator's denominator (sick leave: ages {ages}; antidepressants: new users). Patients may receive more than one kind.",
        'Episoder med hver behandlingsform i oppfølgingstiden, n og % av indikatorens nevner (sykmelding: {ages} år; antidepressiva: nye brukere). Pasienter kan få mer enn én behandlingsform.',
      ],
      [
        "Episodes with each kind of care within follow-up, n and % of the indicator's denominator (sick leave: ages {ages}). Patients may receive more than one kind.",
        'Episoder med hver behandlingsform i oppfølgingstiden, n og % av indikatorens nevner (sykmelding: {ages} år). Pasienter kan få mer enn én behandlingsform.',
      ],
    ],
  },
  table2b_competing_events: {
    title: [
      'Table 2b. Competing events: follow-up ended by death or emigration',
      'Tabell 2b. Konkurrerende hendelser: oppfølging avsluttet ved død eller utvandring',
    ],
    caption: [
      'Follow-up ends at death or emigration. The main analysis keeps these episodes in the denominator as "no care" after that date (the GP-DEP definition: care within 12 months of the episode). ' +
        'Sensitivity analysis: the share among the episodes followed for the full 12 months only. ' +
        'Episodes ended by death: {deaths:t}; by emigration: {emigrations:t}.',
      'Oppfølgingen slutter ved død eller utvandring. Hovedanalysen beholder disse episodene i nevneren som «ingen behandling» etter den datoen (GP-DEP-definisjonen: behandling innen 12 måneder etter episoden). ' +
        'Sensitivitetsanalyse: andelen blant episodene som ble fulgt i hele 12 måneder. ' +
        'Episoder avsluttet ved død: {deaths}; ved utvandring: {emigrations}.',
    ],
    columns: {
      pct_all: ['% of all episodes (main)', '% av alle episoder (hovedanalyse)'],
      pct_full: ['% with full follow-up', '% med full oppfølging'],
      diff_pp: ['Difference, percentage points', 'Differanse, prosentpoeng'],
    },
  },
  'table3_*': {
    title: ['Table 3.{k}. {care:t}: relative risks', 'Tabell 3.{k}. {care}: relativ risiko'],
    caption: [
      [
        '{care:t} within follow-up: n, %, mean number among those with it, and relative risks (RR) with 95% confidence intervals ' +
          'from Poisson regression with a log link and GP-cluster-robust standard errors (patients of the same GP are not independent: CR1 with the small-cluster correction, t with G - 1 degrees of freedom for G GPs); crude (one characteristic) and adjusted ' +
          '(all characteristics in the table, year included). GPs: how many GPs have episodes in the group, and their effective number ((Σ n)²/Σ n² over the episodes n at each GP: 10 GPs of equal size count 10, one GP with most of the episodes counts little more than 1); an interval is only as good as the GPs that carry it. ' +
          'An RR describes how the share differs from the reference group; it is an association, not an effect of the characteristic. Published: Riiser et al. 2022, Table 4.',
        '{care} i oppfølgingstiden: n, %, gjennomsnittlig antall blant dem som fikk det, og relativ risiko (RR) med 95 % konfidensintervall ' +
          'fra Poisson-regresjon med log-link og klyngerobuste standardfeil etter fastlege (pasienter hos samme fastlege er ikke uavhengige: CR1 med korreksjon for få klynger, t med G - 1 frihetsgrader for G fastleger); ujustert (ett kjennetegn) og justert ' +
          '(alle kjennetegnene i tabellen, også år). Fastleger: hvor mange fastleger som har episoder i gruppen, og deres effektive antall ((Σ n)²/Σ n² over episodene n hos hver fastlege: 10 like store fastleger teller 10, én fastlege med de fleste episodene teller lite mer enn 1); et intervall er ikke bedre enn fastlegene som bærer det. ' +
          'En RR beskriver hvordan andelen skiller seg fra referansegruppen; den er en sammenheng, ikke en effekt av kjennetegnet. Publisert: Riiser mfl. 2022, tabell 4.',
      ],
      [
        TABLE3_CAPTION,
        '{care} i oppfølgingstiden: n, %, gjennomsnittlig antall blant dem som fikk det, og relativ risiko (RR) med 95 % konfidensintervall ' +
          'fra Poisson-regresjon med log-link og robuste standardfeil (HC0); ujustert (ett kjennetegn) og justert ' +
          '(alle kjennetegnene i tabellen, også år). En RR beskriver hvordan andelen skiller seg fra referansegruppen; den er en sammenheng, ikke en effekt av kjennetegnet. Publisert: Riiser mfl. 2022, tabell 4.',
      ],
    ],
    columns: {
      denominator: ['Denominator', 'Nevner'],
      gps_effective: ['GPs, effective number', 'Fastleger, effektivt antall'],
      events: ['With care', 'Med behandling'],
      mean_count: ['Mean number among those with care', 'Gjennomsnittlig antall blant dem med behandling'],
      crude_rr: ['Crude RR', 'Ujustert RR'],
      crude_lo: ['Crude RR lower 95%', 'Ujustert RR, nedre 95 %-grense'],
      crude_hi: ['Crude RR upper 95%', 'Ujustert RR, øvre 95 %-grense'],
      adj_rr: ['Adjusted RR', 'Justert RR'],
      adj_lo: ['Adjusted RR lower 95%', 'Justert RR, nedre 95 %-grense'],
      adj_hi: ['Adjusted RR upper 95%', 'Justert RR, øvre 95 %-grense'],
      published_pct: ['Published % (Riiser 2022)', 'Publisert % (Riiser 2022)'],
    },
  },
  table4_work_participation: {
    title: ['Table 4. Work participation within 12 months', 'Tabell 4. Arbeidsdeltakelse innen 12 måneder'],
    caption: [
      'Episodes of patients aged {ages}: sick-leave days inside follow-up (calendar days on any ' +
        'certificate; grade-weighted days = days × grade, overlapping grades summed and capped at 100 %), and return to work ' +
        '(RTW) at 6 and 12 months among those on sick leave in the first {base} days and followed that long: no sick leave ' +
        'and no sickness benefit, AAP or disability benefit in the last {window} days up to the time point.',
      'Episoder hos pasienter i alderen {ages} år: sykmeldingsdager i oppfølgingstiden (kalenderdager med en ' +
        'sykmelding; graderte dager = dager × sykmeldingsgrad, overlappende grader summert og begrenset til 100 %), og tilbake i arbeid ' +
        'etter 6 og 12 måneder blant dem som var sykmeldt de første {base} dagene og ble fulgt så lenge: ingen sykmelding ' +
        'og ingen sykepenger, arbeidsavklaringspenger (AAP) eller uføretrygd de siste {window} dagene fram til tidspunktet.',
    ],
    columns: {
      with_sick_leave_days: ['With sick-leave days', 'Med sykmeldingsdager'],
      with_sick_leave_pct: ['%', '%'],
      mean_days: ['Mean sick-leave days (all)', 'Gjennomsnittlige sykmeldingsdager (alle)'],
      mean_graded_days: ['Mean grade-weighted days (all)', 'Gjennomsnittlige graderte dager (alle)'],
      mean_days_sick_listed: [
        'Mean days among those with days',
        'Gjennomsnittlige dager blant dem med sykmeldingsdager',
      ],
      rtw6_base: ['RTW 6 mo: base', 'Tilbake i arbeid 6 mnd.: grunnlag'],
      rtw6_n: ['RTW 6 mo: returned', 'Tilbake i arbeid 6 mnd.: tilbake'],
      rtw6_pct: ['RTW 6 mo: %', 'Tilbake i arbeid 6 mnd.: %'],
      rtw12_base: ['RTW 12 mo: base', 'Tilbake i arbeid 12 mnd.: grunnlag'],
      rtw12_n: ['RTW 12 mo: returned', 'Tilbake i arbeid 12 mnd.: tilbake'],
      rtw12_pct: ['RTW 12 mo: %', 'Tilbake i arbeid 12 mnd.: %'],
    },
  },
  table5_pathways: {
    title: [
      'Table 5. Pathways: order of first treatments within 12 months',
      'Tabell 5. Behandlingsforløp: rekkefølgen av de første behandlingene innen 12 måneder',
    ],
    caption: [
      'Episodes by the order in which the first talking therapy (T), antidepressant dispensing (A), sick-leave period (S, ages in the sick-leave range) ' +
        'and referral to specialist mental health care (R) came within follow-up; events on the same day form one step (e.g. T+S).',
      'Episoder etter rekkefølgen som første samtaleterapi (T), utlevering av antidepressiva (A), sykmeldingsperiode (S, alder innenfor aldersgrensene for sykmelding) ' +
        'og henvisning til spesialisthelsetjenesten i psykisk helsevern (R) kom i oppfølgingstiden; hendelser på samme dag utgjør ett trinn (f.eks. T+S).',
    ],
    columns: { sequence: ['Sequence', 'Sekvens'], description: ['Pathway', 'Forløp'] },
  },
  table6_gp_variation: {
    title: ['Table 6. Variation between GPs', 'Tabell 6. Variasjon mellom fastleger'],
    caption: [
      'Regular GPs with at least one episode of a listed patient (all years pooled), as in the funnel plots (Figures 4.x): ' +
        "each GP's share indirectly standardised for patient sex, age group and education (p0·O/E). " +
        'Overdispersion φ (1 = no more variation than chance; z on the arcsine-square-root scale winsorised at 10 % in each tail) ' +
        'and the between-GP standard deviation τ on that scale (DerSimonian-Laird, Spiegelhalter 2005), ' +
        'converted to percentage points at the overall share; and the GPs outside the exact binomial 99.8 % limits, which ignore overdispersion.',
      'Fastleger med minst én episode hos en pasient på listen (alle år samlet), som i traktplottene (figur 4.x): ' +
        'hver fastleges andel indirekte standardisert for pasientenes kjønn, aldersgruppe og utdanning (p0·O/E). ' +
        'Overdispersjon φ (1 = ikke mer variasjon enn tilfeldig; z på arcsinus-kvadratrot-skalaen winsorisert ved 10 % i hver hale) ' +
        'og standardavviket mellom fastleger τ på den skalaen (DerSimonian-Laird, Spiegelhalter 2005), ' +
        'omregnet til prosentpoeng ved den samlede andelen; og fastlegene utenfor de eksakte binomiske 99,8 %-grensene, som ser bort fra overdispersjon.',
    ],
    columns: {
      indicator: ['Indicator', 'Indikator'],
      median_patients: ['Median episodes per GP', 'Median episoder per fastlege'],
      percent: ['Overall %', 'Samlet %'],
      phi: ['Overdispersion φ', 'Overdispersjon φ'],
      tau: ['τ (arcsine scale)', 'τ (arcsinus-skala)'],
      sd_pp: ['Between-GP SD (percentage points)', 'SD mellom fastleger (prosentpoeng)'],
      outside_n: ['GPs outside 99.8 % limits', 'Fastleger utenfor 99,8 %-grensene'],
      outside_pct: ['% of GPs outside 99.8 % limits', '% av fastlegene utenfor 99,8 %-grensene'],
    },
  },
  table7_gp_mixed_models: {
    title: [
      'Table 7. Variation in care between GPs: mixed models',
      'Tabell 7. Variasjon i behandling mellom fastleger: flernivåmodeller',
    ],
    caption: [
      'Random-intercept logistic models with the listed GP as grouping factor, fitted by maximum likelihood (Laplace approximation). ' +
        'Null model: GP only. Adjusted: patient sex, age group and education, and the GP characteristics of Table 7b. σ² is the GP variance on the log-odds scale ' +
        '(95 % profile-likelihood interval; from 1,000 GPs Wald on log σ, which then agrees with it); ICC on the latent scale σ²/(σ² + π²/3); MOR, the median odds ratio between two GPs for the same patient; ' +
        'PCV, the proportional change in the GP variance from the null to the adjusted model; {gp:t}: odds ratio (95 % CI) and 80 % interval odds ratio (IOR-80), ' +
        'which holds the odds ratios between a GP with and one without the characteristic once the GP variance is counted. ' +
        'Last column: GPs whose 95 % interval of the shrunken GP random effect lies wholly above / below the average GP (no ranking).',
      'Logistiske modeller med tilfeldig konstantledd og fastlegen pasienten stod på listen til som grupperingsfaktor, tilpasset med sannsynlighetsmaksimering (Laplace-tilnærming). ' +
        'Nullmodell: bare fastlege. Justert: pasientens kjønn, aldersgruppe og utdanning, og fastlegekjennetegnene i tabell 7b. σ² er variansen mellom fastleger på log-odds-skalaen ' +
        '(95 % profile likelihood-intervall; fra 1 000 fastleger Wald på log σ, som da stemmer med det); ICC på den latente skalaen σ²/(σ² + π²/3); MOR, median oddsratio mellom to fastleger for samme pasient; ' +
        'PCV, den relative endringen i variansen mellom fastleger fra nullmodellen til den justerte modellen; {gp}: oddsratio (95 % KI) og 80 % intervall-oddsratio (IOR-80), ' +
        'som rommer oddsratioene mellom en fastlege med og en uten kjennetegnet når variansen mellom fastleger regnes med. ' +
        'Siste kolonne: fastleger der 95 %-intervallet for den krympede tilfeldige fastlegeeffekten ligger helt over / under gjennomsnittsfastlegen (ingen rangering).',
    ],
    columns: {
      var_null: ['σ² null', 'σ² nullmodell'],
      icc_null: ['ICC null', 'ICC nullmodell'],
      mor_null: ['MOR null', 'MOR nullmodell'],
      var_adj: ['σ² adjusted', 'σ² justert'],
      mor_adj: ['MOR adjusted', 'MOR justert'],
      pcv: ['PCV %', 'PCV %'],
      gp_or: ['{gp:t}: OR', '{gp}: OR'],
      gp_ior80: ['{gp:t}: IOR-80', '{gp}: IOR-80'],
      gps_above_below: ['GPs above / below average', 'Fastleger over / under gjennomsnittet'],
    },
  },
  table7b_gp_characteristics: {
    title: [
      'Table 7b. GP characteristics in the mixed models',
      'Tabell 7b. Fastlegekjennetegn i flernivåmodellene',
    ],
    caption: [
      [
        'Odds ratios (95 % CI) for GP characteristics in the adjusted models of Table 7 (patient sex, age group and education, and all the characteristics below, each as on the index date), ' +
          'with the 80 % interval odds ratio (IOR-80): the middle 80 % of odds ratios between a GP with and a GP without the characteristic (for list size: a GP with 500 more patients), once the variation between GPs is counted. ' +
          'An IOR-80 that spans 1 means the difference associated with the characteristic is smaller than the variation between GPs who share it. Odds ratios describe associations, not effects of the characteristic. Empty: the characteristic does not vary in the data or the model was not fitted.',
        'Oddsratioer (95 % KI) for fastlegekjennetegn i de justerte modellene i tabell 7 (pasientens kjønn, aldersgruppe og utdanning, og alle kjennetegnene nedenfor, slik de var på indeksdatoen), ' +
          'med 80 % intervall-oddsratio (IOR-80): de midterste 80 % av oddsratioene mellom en fastlege med og en fastlege uten kjennetegnet (for listelengde: en fastlege med 500 flere pasienter), når variasjonen mellom fastleger regnes med. ' +
          'En IOR-80 som spenner over 1, betyr at forskjellen knyttet til kjennetegnet er mindre enn variasjonen mellom fastleger som har det. Oddsratioer beskriver sammenhenger, ikke effekter av kjennetegnet. Tom: kjennetegnet varierer ikke i dataene, eller modellen ble ikke tilpasset.',
      ],
      [
        'Odds ratios (95 % CI) for GP characteristics in the adjusted models of Table 7 (patient sex, age group and education, and all four characteristics), ' +
          'with the 80 % interval odds ratio (IOR-80): the middle 80 % of odds ratios between a GP with and a GP without the characteristic, once the variation between GPs is counted. ' +
          'An IOR-80 that spans 1 means the difference associated with the characteristic is smaller than the variation between GPs who share it. Odds ratios describe associations, not effects of the characteristic. Empty: the characteristic does not vary in the data or the model was not fitted.',
        'Oddsratioer (95 % KI) for fastlegekjennetegn i de justerte modellene i tabell 7 (pasientens kjønn, aldersgruppe og utdanning, og alle fire kjennetegnene), ' +
          'med 80 % intervall-oddsratio (IOR-80): de midterste 80 % av oddsratioene mellom en fastlege med og en fastlege uten kjennetegnet, når variasjonen mellom fastleger regnes med. ' +
          'En IOR-80 som spenner over 1, betyr at forskjellen knyttet til kjennetegnet er mindre enn variasjonen mellom fastleger som har det. Oddsratioer beskriver sammenhenger, ikke effekter av kjennetegnet. Tom: kjennetegnet varierer ikke i dataene, eller modellen ble ikke tilpasset.',
      ],
    ],
    columns: {
      characteristic: ['GP characteristic', 'Fastlegekjennetegn'],
      or: ['OR (95 % CI)', 'OR (95 % KI)'],
      ior80: ['IOR-80', 'IOR-80'],
    },
  },
  table7c_three_level: {
    title: [
      'Table 7c. Variation between GPs and between their municipalities: three-level models',
      'Tabell 7c. Variasjon mellom fastleger og mellom kommunene deres: trenivåmodeller',
    ],
    caption: [
      "The adjusted models of Table 7 (same patient and GP covariates) with random intercepts for the GP's practice municipality and for GPs within it " +
        '(patients in GPs in municipalities; maximum likelihood, Laplace approximation). ' +
        '{why:t} ' +
        'σ² two-level: the GP variance of Table 7. σ² municipality: between municipalities (95 % profile-likelihood interval); σ² GP: between GPs of the same municipality ' +
        '(profile likelihood; from 1,000 GPs Wald on log σ). Share: σ² municipality / (σ² municipality + σ² GP), the part of the variation between GPs that lies between their municipalities ' +
        '(Wald on the logit scale; no interval when σ² municipality is at zero). MOR: median odds ratio between two municipalities, between two GPs of one municipality, and between any two GPs ' +
        '(Larsen & Merlo 2005; for three levels Austin & Leckie 2026). Test: likelihood ratio against the two-level model, p from the 50:50 mixture of χ²₀ and χ²₁ (the null lies on the boundary).',
      'De justerte modellene i tabell 7 (samme pasient- og fastlegekovariater) med tilfeldige konstantledd for kommunen der fastlegen har praksis, og for fastleger innenfor kommunen ' +
        '(pasienter hos fastleger i kommuner; sannsynlighetsmaksimering, Laplace-tilnærming). ' +
        '{why} ' +
        'σ² tonivå: variansen mellom fastleger i tabell 7. σ² kommune: mellom kommuner (95 % profile likelihood-intervall); σ² fastlege: mellom fastleger i samme kommune ' +
        '(profile likelihood; fra 1 000 fastleger Wald på log σ). Andel: σ² kommune / (σ² kommune + σ² fastlege), den delen av variasjonen mellom fastleger som ligger mellom kommunene deres ' +
        '(Wald på logit-skalaen; intet intervall når σ² kommune er null). MOR: median oddsratio mellom to kommuner, mellom to fastleger i samme kommune og mellom to vilkårlige fastleger ' +
        '(Larsen & Merlo 2005; for tre nivåer Austin & Leckie 2026). Test: likelihood ratio-test mot tonivåmodellen, p fra 50:50-blandingen av χ²₀ og χ²₁ (nullhypotesen ligger på randen av parameterrommet).',
    ],
    columns: {
      municipalities: ['Municipalities', 'Kommuner'],
      var_two_level: ['σ² two-level', 'σ² tonivå'],
      var_municipality: ['σ² municipality', 'σ² kommune'],
      var_gp: ['σ² GP within municipality', 'σ² fastlege innen kommune'],
      share: ['Share between municipalities %', 'Andel mellom kommuner %'],
      mor_municipality: ['MOR municipality', 'MOR kommune'],
      mor_gp: ['MOR GP within municipality', 'MOR fastlege innen kommune'],
      mor_total: ['MOR any two GPs', 'MOR to vilkårlige fastleger'],
      lrt_p: ['Test σ² municipality = 0: p', 'Test σ² kommune = 0: p'],
    },
  },
  table8_equity: {
    title: [
      'Table 8. Equity: care by education and household income',
      'Tabell 8. Sosial ulikhet: behandling etter utdanning og husholdningsinntekt',
    ],
    caption: [
      'Concentration index C of each kind of care over the ranking by education (low, medium, high) or household income decile ({year:t}, ranked within the index year), with the Wagstaff (W) and Erreygers (E) corrections for a binary outcome; ' +
        'the horizontal inequity index HI = C after indirect need standardisation (linear model on age group, and sex for both sexes, with immigrant background and centrality as non-need controls); ' +
        'the slope index (SII, percentage points between the worst-off and the best-off) and the relative index (RII) from models on the ridit, without and with need adjustment. 95 % confidence intervals in brackets. ' +
        'Positive C, HI and SII, and RII above 1, mean more care among the better-off. The indices describe how care differs by position; they do not say why.',
      'Konsentrasjonsindeks C for hver behandlingsform over rangeringen etter utdanning (lav, middels, høy) eller desil av husholdningsinntekt ({year}, rangert innenfor indeksåret), med korreksjonene til Wagstaff (W) og Erreygers (E) for et binært utfall; ' +
        'den horisontale ulikhetsindeksen HI = C etter indirekte standardisering for behov (lineær modell på aldersgruppe, og kjønn når begge kjønn er samlet, med innvandringsbakgrunn og sentralitet som kontrollvariabler som ikke er behov); ' +
        'helningsindeksen (SII, prosentpoeng mellom de dårligst stilte og de best stilte) og den relative indeksen (RII) fra modeller på riditten, uten og med justering for behov. 95 % konfidensintervall i parentes. ' +
        'Positive C, HI og SII, og RII over 1, betyr mer behandling blant de bedre stilte. Indeksene beskriver hvordan behandlingen varierer med posisjon; de sier ikke hvorfor.',
    ],
    columns: {
      position: ['Socio-economic position', 'Sosioøkonomisk posisjon'],
      sex: ['Sex', 'Kjønn'],
      c: ['C', 'C'],
      w: ['W (Wagstaff)', 'W (Wagstaff)'],
      e: ['E (Erreygers)', 'E (Erreygers)'],
      hi: ['HI (need-standardised)', 'HI (behovsstandardisert)'],
      sii: ['SII, pp', 'SII, prosentpoeng'],
      sii_adj: ['SII need-adjusted, pp', 'SII behovsjustert, prosentpoeng'],
      rii: ['RII', 'RII'],
      rii_adj: ['RII need-adjusted', 'RII behovsjustert'],
    },
  },
};

export const NB_CATALOGUE: Catalogue = {
  ui: UI_NB,
  words: NB_WORDS,
  messages: NB_MESSAGES,
  sections: NB_SECTIONS,
  tables: NB_TABLES,
  columns: NB_COLUMNS,
};
