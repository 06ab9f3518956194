/**
 * Norwegian bokmål for the report's sentences with variable parts: kinds of care whose label holds
 * the run's codes, table notes, figure titles, descriptions and captions, the reasons a number is
 * not given. Templates as in translator.ts; tried in order, so a specific template comes before a
 * general one that would also match. Each comment names the code that writes the English.
 */
import { nbNumber, type Message } from './translator.js';

/** Variables and levels as gp-models.ts names them in a note on pooled levels. */
const VARIABLE_NB: Readonly<Record<string, string>> = {
  sex: 'kjønn',
  age_group: 'aldersgruppe',
  edu_group: 'utdanning',
};
const LEVEL_NB: Readonly<Record<string, string>> = {
  F: 'kvinner',
  M: 'menn',
  low: 'lav',
  medium: 'middels',
  high: 'høy',
  missing: 'mangler',
};
const level = (code: string) => LEVEL_NB[code] ?? code;

/** "a (1; 2); b" → ["a (1; 2)", "b"]: split on the separator outside parentheses. */
function splitOutside(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (depth === 0 && text.startsWith(separator, i)) {
      parts.push(text.slice(start, i));
      start = i + separator.length;
    }
  }
  return [...parts, text.slice(start)];
}

/** "Talking therapy (615): 2010 43.5, 2011 suppressed" → "Samtaleterapi (615): 2010: 43,5 %; 2011: prikket". */
function trendSeries(item: string, tryText: (en: string) => string | null): string | null {
  const at = item.lastIndexOf(': ');
  const label = at < 0 ? null : tryText(item.slice(0, at));
  if (label === null) return null;
  const points = item
    .slice(at + 2)
    .split(', ')
    .map((point) => {
      const [year, value] = point.split(' ');
      return value === 'suppressed' ? `${year}: prikket` : `${year}: ${nbNumber(value ?? '')} %`;
    });
  return `${label}: ${points.join('; ')}`;
}

export const NB_MESSAGES: readonly Message[] = [
  // Kinds of care, with the run's codes (analyze/tables.ts indicatorDefs).
  ['Talking therapy ({codes})', 'Samtaleterapi ({codes})'],
  ['Long consultation ({codes})', 'Lang konsultasjon ({codes})'],
  ['Antidepressant dispensed ({codes}, new users)', 'Antidepressiva utlevert ({codes}, nye brukere)'],
  ['Antidepressant dispensed ({codes})', 'Antidepressiva utlevert ({codes})'],
  [
    'Referral to specialist mental health care ({codes})',
    'Henvisning til spesialisthelsetjenesten i psykisk helsevern ({codes})',
  ],
  ['Sick leave (employed, ages {ages})', 'Sykmelding (sysselsatte, {ages} år)'],
  ['Sick leave (ages {ages})', 'Sykmelding ({ages} år)'],
  // Groups and columns (analyze/tables.ts).
  ['{group:t} (ref.)', '{group} (ref.)'],
  ['{care:t}: n', '{care}: n'],
  ['{care:t}: %', '{care}: %'],
  // Cohort flow (analyze/key-figures.ts flowTable).
  ['New episodes with index {from} to {to}', 'Nye episoder med indeksdato fra {from} til {to}'],
  ['Age {min}+ at index', 'Alder {min}+ på indeksdatoen'],
  ['Age {min}-{max} at index', 'Alder {min}-{max} år på indeksdatoen'],
  // Key figures (analyze/key-figures.ts).
  ['Ruths: {a:n} ({from}) to {b:n} ({to})', 'Ruths: {a} ({from}) til {b} ({to})'],
  ['Ruths: {a:n} to {b:n}', 'Ruths: {a} til {b}'],
  // Estimates with intervals as text cells (gp-models-table.ts, equity-table.ts).
  ['{estimate:n} ({lower:n} to {upper:n})', '{estimate} ({lower} til {upper})'],
  ['{estimate:n} ({lower:n} to ?)', '{estimate} ({lower} til ?)'],
  ['{lower:n} to {upper:n}', '{lower} til {upper}'],

  // Notes: relative risks (analyze/tables.ts) and multiplicity (analyze/multiplicity.ts).
  [
    "An RR is left out where its group's or the reference group's counts are suppressed, or where the group has no events.",
    'En RR er utelatt der antallene for gruppen eller referansegruppen er prikket, eller der gruppen ikke har hendelser.',
  ],
  [
    'Multiple comparisons: this table gives {count:n} {what:t}, each with a 95 % confidence interval for that comparison alone, ' +
      'not adjusted for multiplicity: where there is no difference, about 1 in 20 such intervals would still exclude {null:t} by chance alone. ' +
      'The estimates are descriptive and hypothesis-generating, not tests of pre-specified hypotheses ({sources}).',
    'Multiple sammenligninger: denne tabellen gir {count} {what}, hver med et 95 % konfidensintervall som gjelder den ene sammenligningen, ' +
      'ikke justert for multiplisitet: der det ikke er noen forskjell, vil omtrent 1 av 20 slike intervaller likevel utelukke {null} ved tilfeldighet alene. ' +
      'Estimatene er beskrivende og hypotesegenererende, ikke tester av forhåndsdefinerte hypoteser ({sources}).',
  ],
  [
    'Few GPs: {groups}. These groups have fewer than {min:n} GPs in effect (effective number; GPs with episodes), ' +
      'too few for a cluster-robust interval to be trusted: their intervals, and those of the RRs set against them, may be too narrow.',
    (v, tryText) => {
      const groups = splitOutside(v.groups!, '; ').map(tryText);
      if (groups.some((g) => g === null)) return null;
      return (
        `Få fastleger: ${groups.join('; ')}. Disse gruppene har i praksis færre enn ${v.min} fastleger (effektivt antall; fastleger med episoder), ` +
        'for få til at et klyngerobust intervall kan stoles på: intervallene deres, og intervallene for RR som sammenlignes med dem, kan være for smale.'
      );
    },
  ],
  ['{group:t} ({effective:n}; {n:n} GPs)', '{group} ({effective}; {n} fastleger)'],
  // Competing events (analyze/competing-events.ts).
  [
    'No episode ended early: the two columns are the same.',
    'Ingen episode sluttet tidlig: de to kolonnene er like.',
  ],
  [
    'A difference shows how much the deaths and emigrations lower the main share; it is not a test.',
    'En differanse viser hvor mye dødsfall og utvandringer senker andelen i hovedanalysen; den er ikke en test.',
  ],
  [
    '{care:t}: the share with full follow-up is withheld, since with the main share it would reveal a count under 5 among the episodes ended by death or emigration.',
    '{care}: andelen med full oppfølging holdes tilbake, fordi den sammen med andelen i hovedanalysen ville avsløre et antall under 5 blant episodene som ble avsluttet ved død eller utvandring.',
  ],
  // Work participation and pathways (analyze/tables.ts, pathways.ts).
  [
    'Means are left out where the number of episodes they are computed over is suppressed.',
    'Gjennomsnitt er utelatt der antallet episoder de er beregnet over, er prikket.',
  ],
  [
    'Sequences with fewer than {n:n} episodes are pooled in "{other:t}".',
    'Sekvenser med færre enn {n} episoder er slått sammen i «{other}».',
  ],
  // Variation between GPs (analyze/gp-variation.ts, gp-models-table.ts).
  [
    'Summaries of GPs, not of patients: no GP-level counts are published.',
    'Oppsummeringer av fastleger, ikke av pasienter: ingen antall på fastlegenivå publiseres.',
  ],
  [
    '{care:t}: not estimated (too few GPs, or a risk model that could not be fitted).',
    '{care}: ikke estimert (for få fastleger, eller en risikomodell som ikke kunne tilpasses).',
  ],
  [
    'Summaries of GPs: no GP is listed or ranked.',
    'Oppsummeringer av fastleger: ingen fastlege listes opp eller rangeres.',
  ],
  ['{care:t}: not fitted ({reason:t}).', '{care}: ikke tilpasset ({reason}).'],
  [
    '{n:n} GPs; a between-GP variance needs at least {min:n}',
    '{n} fastleger; en varians mellom fastleger krever minst {min}',
  ],
  [
    'Covariate "{name}" is a linear combination of the earlier columns ({columns}); drop it or one of them',
    'Kovariaten «{name}» er en lineærkombinasjon av de foregående kolonnene ({columns}); ta den eller en av dem ut',
  ],
  [
    '{care:t}: the PCV is negative ({pcv:n} %), so the GP variance is larger in the adjusted model than in the null model. ' +
      'In a logistic (binomial) multilevel model the patient-level variance is fixed at π²/3, so patient covariates that explain variation ' +
      'between patients rescale the model, and the GP variance on the new scale can rise. A negative PCV is therefore not evidence that ' +
      'case-mix creates variation between GPs (Merlo et al. 2006, J Epidemiol Community Health 60:290-297; Hox, Multilevel Analysis).',
    '{care}: PCV er negativ ({pcv} %), så variansen mellom fastleger er større i den justerte modellen enn i nullmodellen. ' +
      'I en logistisk (binomisk) flernivåmodell er variansen på pasientnivå fastsatt til π²/3, så pasientkovariater som forklarer variasjon ' +
      'mellom pasienter, skalerer om modellen, og variansen mellom fastleger på den nye skalaen kan øke. En negativ PCV er derfor ikke tegn på at ' +
      'pasientsammensetningen skaper variasjon mellom fastleger (Merlo mfl. 2006, J Epidemiol Community Health 60:290-297; Hox, Multilevel Analysis).',
  ],
  [
    '{care:t}: pooled because every person in the level had the outcome, or none did, which leaves no finite estimate: {levels:list}.',
    '{care}: slått sammen fordi alle personene i nivået hadde utfallet, eller ingen hadde det, slik at det ikke finnes noe endelig estimat: {levels}.',
  ],
  [
    '{variable} {level} ({n:n} persons, {which} with the outcome) with {largest}',
    (v) =>
      `${VARIABLE_NB[v.variable!] ?? v.variable} ${level(v.level!)} (${v.n} personer, ${v.which === 'none' ? 'ingen' : 'alle'} med utfallet) slått sammen med ${level(v.largest!)}`,
  ],
  ['Reference: GPs without the characteristic.', 'Referanse: fastleger uten kjennetegnet.'],
  [
    'Reference: GPs without the characteristic (yes/no characteristics).',
    'Referanse: fastleger uten kjennetegnet (ja/nei-kjennetegn).',
  ],
  // GP characteristics' notes (engine/analyses.ts GP_CHARACTERISTICS).
  [
    "List size: the number of persons on the GP's list on the index date (Fastlegeregisteret), rounded to 50, centred at {centre:n} patients (about the national mean list length of GPs in {years}) and counted in units of 500, so its odds ratio is per 500 more patients on the list.",
    'Listelengde: antall personer på fastlegens liste på indeksdatoen (Fastlegeregisteret), avrundet til 50, sentrert ved {centre} pasienter (omtrent gjennomsnittlig listelengde for fastleger nasjonalt i {years}) og regnet i enheter på 500, så oddsratioen gjelder per 500 flere pasienter på listen.',
  ],
  // Three-level models (analyze/gp-models-table.ts threeLevelTable, analyze/run.ts).
  [
    'Summaries of GPs and municipalities: none is listed or ranked.',
    'Oppsummeringer av fastleger og kommuner: ingen listes opp eller rangeres.',
  ],
  ['no two-level model', 'ingen tonivåmodell'],
  [
    '{n:n} municipalities; a between-municipality variance needs at least {min:n}',
    '{n} kommuner; en varians mellom kommuner krever minst {min}',
  ],
  [
    "Fitted for talking therapy and referral to specialist mental health care, where the municipality's own services (low-threshold mental health teams and psychologists; the specialist services a GP refers to) may shape what GPs do, so part of the variation between GPs may lie between places.",
    'Tilpasset for samtaleterapi og henvisning til spesialisthelsetjenesten i psykisk helsevern, der kommunens egne tjenester (lavterskeltilbud i psykisk helse og kommunepsykologer; spesialisttjenestene fastlegen henviser til) kan påvirke hva fastlegene gjør, slik at en del av variasjonen mellom fastleger kan ligge mellom steder.',
  ],
  // Equity (analyze/equity-table.ts).
  [
    'Standard errors by the delta method on the grouped data (the concentration indices include the uncertainty of the ranks and, for HI, of the need model); SII/RII with robust (HC0) errors, ridits taken as fixed.',
    'Standardfeil etter deltametoden på de grupperte dataene (konsentrasjonsindeksene tar med usikkerheten i rangene og, for HI, i behovsmodellen); SII/RII med robuste standardfeil (HC0), med ridittene som faste.',
  ],
  [
    'Rows with an SES group of fewer than {min:n} episodes, or with 1 to 4 episodes with or without the care in a group, are left empty. ' +
      'Episode counts are not repeated here, and a share is left empty when, set against Table 2, it would reveal a small number of episodes ' +
      'with education or income unknown (the same primary and complementary suppression as every count table).',
    'Rader der en sosioøkonomisk gruppe har færre enn {min} episoder, eller 1 til 4 episoder med eller uten behandlingen, er tomme. ' +
      'Antall episoder gjentas ikke her, og en andel er tom når den, holdt opp mot tabell 2, ville avsløre et lite antall episoder ' +
      'med ukjent utdanning eller inntekt (samme primær- og sekundærprikking som i alle tabeller med antall).',
  ],
  [
    '{care:t}, {position:t}, {sex:t}: not estimated ({reason:t}).',
    '{care}, {position}, {sex}: ikke estimert ({reason}).',
  ],
  ['a group has fewer than {n:n} episodes', 'en gruppe har færre enn {n} episoder'],
  [
    'a group of fewer than {n:n} episodes where all or none had the care',
    'en gruppe på færre enn {n} episoder der alle eller ingen fikk behandlingen',
  ],
  [
    'suppressed: with Table 2 it would reveal a small group with {position:t} unknown',
    'prikket: sammen med tabell 2 ville den avsløre en liten gruppe med ukjent {position}',
  ],

  // Figures (analyze/run.ts): titles, descriptions, captions.
  ['data folder "{name}"', 'datamappen «{name}»'],
  [
    'Percent of episodes with each kind of care, by year of index: {series}.',
    (v, tryText) => {
      const series = v.series!.split('; ').map((item) => trendSeries(item, tryText));
      if (series.some((s) => s === null)) return null;
      return `Prosent av episodene med hver behandlingsform, etter indeksår. ${series.join('. ')}.`;
    },
  ],
  ['{care:t}: adjusted relative risks', '{care}: justert relativ risiko'],
  [
    'Adjusted relative risks with 95 % confidence intervals by patient characteristic: {rows:list}.',
    'Justert relativ risiko med 95 % konfidensintervall etter pasientkjennetegn: {rows}.',
  ],
  ['{group:t} reference', '{group} referanse'],
  ['{group:t} {rr:n} ({lower:n}-{upper:n})', '{group} {rr} ({lower}–{upper})'],
  [
    'Figure {figure}. {care:t}: adjusted relative risks (numbers in Table {table}).',
    'Figur {figure}. {care}: justert relativ risiko (tallene står i tabell {table}).',
  ],
  [
    'Sunburst: the inner ring is the first treatment step, the next rings the following steps. {sequences:list}.',
    'Solstrålediagram: den indre ringen er første behandlingstrinn, de neste ringene de påfølgende trinnene. {sequences}.',
  ],
  [
    '{care:t}: share by GP, adjusted for case-mix',
    '{care}: andel per fastlege, justert for pasientsammensetning',
  ],
  [
    'Figure {figure}. {care:t}: funnel plot of GPs with at least {min:n} patients ({omitted:n} GPs with fewer left out). Share of patients indirectly standardised for sex, age group and education; positions rounded.',
    (v) =>
      `Figur ${v.figure}. ${v.care}: traktplott for fastleger med minst ${v.min} pasienter (${v.omitted} ${v.omitted === '1' ? 'fastlege' : 'fastleger'} med færre er utelatt). ` +
      'Andel pasienter indirekte standardisert for kjønn, aldersgruppe og utdanning; posisjonene er avrundet.',
  ],

  // Last: a label and a value ("Sex: Women", "Talking therapy: 348"), when both translate.
  ['{label:t}: {value:t}', '{label}: {value}'],
];
