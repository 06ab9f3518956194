/**
 * The report's methods section: what the data are, the cohort and indicator definitions of this
 * run (from its parameters), the statistics, disclosure control and the published comparators.
 */
import type { ResolvedParams } from '../engine/params.js';
import { SMALL_CELL_THRESHOLD } from '../stats/suppress.js';
import { RIISER_2022, RUTHS_2021 } from '../report/published.js';
import { esc } from '../report/svg.js';
import { methodsHtmlNb } from '../report/i18n/methods-nb.js';
import type { PublishedTable } from './model.js';
import { MULTIPLICITY_SOURCES, countRunEstimates } from './multiplicity.js';
import { FEW_GPS } from './tables.js';
import { codeWithText } from '../codes.js';
import {
  CHARACTERISTIC_DEFINITIONS,
  INDICATOR_DEFINITIONS,
  definitionSentence,
  incomeYearPhrase,
} from '../engine/definitions.js';

function paramList(p: ResolvedParams): string {
  const items: [string, string][] = [
    [
      'Depression codes',
      `ICPC-2 ${p.icpc2Codes.map((c) => codeWithText('ICPC-2', c)).join(', ') || '-'}${p.icd10Codes.length ? `; ICD-10 ${p.icd10Codes.map((c) => codeWithText('ICD-10', c)).join(', ')}` : ''} (prefix match; ${p.mainDiagnosisOnly ? 'main diagnosis only' : 'any diagnosis on the bill'})`,
    ],
    [
      'Index consultation',
      `first bill with KPR contact type ${p.indexContactTypes.join('/')} (consultation) carrying a depression code, not from practice types ${p.excludePracticeTypes.join(', ') || '-'}`,
    ],
    [
      'Washout',
      `${p.washoutDays} days without a depression code on ${p.washoutAnyContact ? 'any GP bill (any contact type, incl. out-of-hours)' : 'an index-type consultation'}`,
    ],
    ['Index period', `${p.indexFrom} to ${p.indexTo}`],
    [
      'Episodes',
      p.episodes === 'all'
        ? 'every new episode (a person can contribute more than one)'
        : "each person's first episode",
    ],
    [
      'Age',
      `${p.minAge}${p.maxAge === null ? ' or older' : `-${p.maxAge}`} at index (index year minus birth year)`,
    ],
    ['Follow-up', `${p.followUpDays} days from index (day 0 = index), ended at death or emigration`],
    // The indicators as engine/definitions.ts words them, from the parameters the SQL used.
    ...INDICATOR_DEFINITIONS.map((d): [string, string] => [d.term, d.text(p)]),
    [
      'Return to work',
      `among ${p.sickLeaveMinAge}-${p.sickLeaveMaxAge}-year-olds on sick leave in the first ${p.rtwBaselineDays} days and followed to the time point (day ${Math.floor(p.followUpDays / 2)} and day ${p.followUpDays - 1}): no sick-leave period and no sickness benefit, AAP or disability spell in the last ${p.rtwWindowDays} days up to it`,
    ],
    [
      'GP',
      p.requireListedGp
        ? 'episodes without a listed GP at index are excluded'
        : 'the GP whose list the patient was on at index (list membership and the list holder valid on the index date); not required',
    ],
  ];
  return `<dl class="params">${items.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`;
}

/**
 * The multiplicity paragraph. With the run's tables it states how many estimates they give; without
 * them (a caller that has none) it says the same without the numbers.
 */
export function multiplicityParagraph(tables?: readonly PublishedTable[]): string {
  const counted = tables ? countRunEstimates(tables) : null;
  const how = counted
    ? `This run gives ${counted.total.toLocaleString('en-GB')} estimates with 95 % confidence intervals: ` +
      `${counted.relativeRisks} relative risks (Tables 3.x, crude and adjusted), ${counted.gpOddsRatios} odds ratios of GP characteristics ` +
      `(Table 7b; Table 7 repeats one of them) and ${counted.equityIndices} equity indices (Table 8). `
    : 'The report gives many estimates with 95 % confidence intervals (relative risks, odds ratios of GP characteristics, equity indices). ';
  return (
    `<p>Multiple comparisons: ${esc(how)}Each interval holds for its own comparison and none is adjusted for multiplicity, ` +
    'so about 1 in 20 intervals would exclude the null value (RR or OR 1, index 0) by chance alone, even with no real difference. ' +
    'The results are descriptive and hypothesis-generating: a single interval that excludes the null is not evidence by itself, and ' +
    `associations are not causal effects (${esc(MULTIPLICITY_SOURCES)}).</p>`
  );
}

/**
 * The methods section; `tables`, the run's published tables, give the multiplicity note its numbers.
 * In Norwegian (`lang` "nb") it is report/i18n/methods-nb.ts, a translation of this text.
 */
export function methodsHtml(
  p: ResolvedParams,
  tables?: readonly PublishedTable[],
  lang: 'en' | 'nb' = 'en'
): string {
  if (lang === 'nb') return methodsHtmlNb(p, tables);
  return `
<h3>Data</h3>
<p>Linked registry extract in the platform's Parquet schema (src/registry/schema/tables.ts): KUHR/KPR bills with diagnoses and tariffs,
NorPD dispensings, NPR contacts, NAV sick-leave periods and benefit spells, SSB persons, education and income, and the regular GP register.</p>
<h3>Cohort and indicators (parameters of this run)</h3>
${paramList(p)}
<p>${CHARACTERISTIC_DEFINITIONS.map((d) => esc(definitionSentence(d, p))).join('\n')}
Episodes whose follow-up ends early at death or emigration (competing events) stay in every denominator as "no care" after that date (the papers' approach); Table 2b counts them and gives each share among the episodes with full follow-up as a sensitivity analysis.</p>
<h3>Statistics</h3>
<p>Relative risks from Poisson regression with a log link on the binary indicator (modified Poisson, Zou 2004), fitted by
Newton-Raphson on covariate patterns (the data reduce to counts per combination of sex, age group, education, immigrant background,
centrality and year). Patients of the same GP are not independent, so the standard errors are cluster-robust by GP: a sandwich whose
middle sums each GP's score, with the small-cluster correction G/(G − 1)·(N − 1)/(N − p) (CR1, as Stata's regress with
vce(cluster); G GPs, N episodes, p parameters). The GP is the listed GP at index, else the GP who billed the index consultation;
an episode with neither would be a cluster of its own. 95 % confidence intervals are exp(β ± t·SE) with t from Student's t with
G − 1 degrees of freedom (Cameron &amp; Miller 2015, J Hum Resour 50:317-372), not the normal 1.96.
Crude: one characteristic at a time. Adjusted: all six together. Reference groups: women, 18-29, low education, Norwegian-born or other,
central, the first year. Groups without events are not estimable and are left out of the adjusted model.
Tables 3.x give for each group the number of GPs with episodes in it and their effective number (Σn)²/Σn² over its episodes n at
each GP, because an interval is only as good as the GPs that carry it; groups in a contrast with fewer than ${FEW_GPS} GPs in effect are named
in a note, as their cluster-robust intervals may be too narrow (MacKinnon &amp; Webb 2017, J Appl Econom 32:233-254).
Episodes are not clustered by person as well (a person with two episodes at different GPs counts in both GPs' clusters).</p>
<p>Pathways: the date of the first talking therapy, antidepressant dispensing, sick-leave period (within the sick-leave ages; the first day on
sick leave inside follow-up) and specialist-care referral inside follow-up; events on the same date form one step.</p>
<p>Variation between GPs (Table 6): the summary of each indicator's funnel analysis below (the same standardised shares, overdispersion φ,
DerSimonian-Laird between-GP variance and exact 99.8 % limits, over every listed GP with at least one episode).
Mixed models: random-intercept logistic regression with the listed GP as grouping factor, fitted by maximum likelihood with the Laplace
approximation (the platform's own implementation, validated against lme4::glmer to 1e-5; docs/registry/mixed-models.md), on counts per GP and
patient pattern (sex, age group, education); the GP-level covariates are a rural practice (municipality centrality 5-6), a female GP,
a specialist in general practice and a salaried GP, all on the index date, and the GP's list size on the index date (per 500 patients,
centred at 1,150) (Table 7b). For talking therapy and referral, where municipal services may shape what GPs do, Table 7c adds a random
intercept for the GP's practice municipality (GPs nested in municipalities; validated against lme4 to about 1e-6). The GP variance σ² has a
profile-likelihood interval (Wald on log σ from 1,000 GPs, where the two agree to the third decimal); ICC = σ²/(σ² + π²/3); MOR = exp(√(2σ²)·0.6745); PCV = (σ²null − σ²adjusted)/σ²null (the proportional change in the GP variance when the covariates are added; it can be negative, see Table 7); IOR-80 = exp(γ ± 1.2816·√(2σ²)).
GP random effects are shrunken conditional modes, summarised as counts above and below the average, never listed.
Funnel plots: each GP's share, indirectly standardised for patient sex, age group and education (p0·O/E, E from a logistic model without GP
effects), against exact binomial 95 % and 99.8 % limits (Spiegelhalter 2005) and limits widened for overdispersion (multiplicative φ and additive
DerSimonian-Laird τ², arcsine scale, z-scores winsorised at 10 %). GPs with fewer than 10 patients are left out and positions are rounded
(patients to 5, shares to 0.5 percentage point), so no GP can be recognised.</p>
<p>Equity: concentration index C = 2·cov(y, R)/μ over the fractional rank R by education (low, medium, high) or household equivalised income
decile (${esc(incomeYearPhrase(p))}, ranked within the index year), computed from grouped data, with Wagstaff W = C/(1 − μ) and Erreygers E = 4μC;
horizontal inequity HI = C(y) − C(ŷᴺ) with ŷᴺ from a linear model on need (age group, sex) with non-need controls (immigrant background,
centrality, SES group) set to their means (O'Donnell et al. 2008); slope index SII (linear probability on the ridit) and relative index RII
(log-link Poisson on the ridit), without and with need adjustment. Delta-method standard errors include the uncertainty of the ranks and of the
need model; SII/RII use robust errors with the ridits taken as fixed.</p>
${multiplicityParagraph(tables)}
<h3>Disclosure control</h3>
<p>Every table is treated with its margins. Counts from 1 to ${SMALL_CELL_THRESHOLD - 1} are suppressed (primary); then complementary cells
are suppressed until every row and column with a suppressed cell has at least two and every suppressed cell lies on a cycle of
suppressed cells, which is the condition under which no suppressed value can be computed from the published cells. Numbers that several
tables share (the same denominators, the same totals) are suppressed in all of them when suppressed in one. Percentages, means and
relative risks computed from a suppressed count are suppressed too. Pathways with fewer than ${SMALL_CELL_THRESHOLD} episodes are pooled.
Every published file gives numbers as this report prints them. A share in Table 8 (over the episodes with education or income known) is
withheld when, set against the totals of Table 2, it would reveal a group of 1 to ${SMALL_CELL_THRESHOLD - 1} episodes with the position unknown,
or 1 to ${SMALL_CELL_THRESHOLD - 1} with or without the care in it, for either sex or both; one sex withheld withholds the other.
Suppressed cells are shown as “:”.</p>
<h3>Published comparators</h3>
<p>${esc(RIISER_2022.source)}; ${esc(RUTHS_2021.source)}. Their definitions differ in details (see docs/registry/analyses.md); compare shares, not counts.</p>
`;
}
