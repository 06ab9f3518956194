/**
 * The methods section in Norwegian bokmål: the same paragraphs as analyze/methods-text.ts, built
 * from the same run parameters, with the indicator and characteristic definitions from
 * engine/definitions.ts (their `nb` sentences, so they cannot drift from the SQL). The prose around
 * them is a translation of methods-text.ts; `METHODS_EN_FINGERPRINT` records which English it
 * translates, and i18n.test.ts fails when the English has changed since (update this file and
 * the fingerprint together).
 */
import type { ResolvedParams } from '../../engine/params.js';
import { SMALL_CELL_THRESHOLD } from '../../stats/suppress.js';
import type { PublishedTable } from '../../analyze/model.js';
import { MULTIPLICITY_SOURCES, countRunEstimates } from '../../analyze/multiplicity.js';
import { codeWithText } from '../../codes.js';
import {
  CHARACTERISTIC_DEFINITIONS,
  INDICATOR_DEFINITIONS,
  definitionSentence,
  incomeYearPhrase,
} from '../../engine/definitions.js';
import { RIISER_2022, RUTHS_2021 } from '../published.js';
import { esc } from '../svg.js';
import { FEW_GPS } from '../../analyze/tables.js';

/**
 * The English methods text (analyze/methods-text.ts, default parameters, no tables), paragraph by
 * paragraph, as a short hash: see i18n.test.ts.
 */
export const METHODS_EN_FINGERPRINT = [
  'h3:3f5279',
  'p:1a9498',
  'h3:ac49fc',
  'dl:448f4f',
  'p:848773',
  'h3:9e6fb0',
  'p:754af8',
  'p:5a4064',
  'p:02e527',
  'p:fc3b9d',
  'p:28d1a1',
  'h3:c53ae6',
  'p:c905e8',
  'h3:3a34aa',
  'p:1b1f4d',
];

/**
 * A short hash of each block (h3, p, dl) of a methods text, whitespace normalised: a change in one
 * English paragraph shows as a change in one entry.
 */
export function paragraphFingerprints(html: string): string[] {
  return [...html.matchAll(/<(h3|p|dl)\b[^>]*>([\s\S]*?)<\/\1>/g)].map(([, tag, body]) => {
    let h = 0x811c9dc5;
    for (const ch of body!.replace(/\s+/g, ' ').trim())
      h = Math.imul(h ^ ch.codePointAt(0)!, 0x01000193) >>> 0;
    return `${tag}:${(h >>> 8).toString(16).padStart(6, '0')}`;
  });
}

function paramList(p: ResolvedParams): string {
  const max = p.maxAge;
  const items: [string, string][] = [
    [
      'Depresjonskoder',
      `ICPC-2 ${p.icpc2Codes.map((c) => codeWithText('ICPC-2', c)).join(', ') || '-'}${p.icd10Codes.length ? `; ICD-10 ${p.icd10Codes.map((c) => codeWithText('ICD-10', c)).join(', ')}` : ''} (prefikstreff; ${p.mainDiagnosisOnly ? 'bare hoveddiagnosen' : 'alle diagnoser på regningen'})`,
    ],
    [
      'Indekskonsultasjon',
      `første regning med KPR-kontakttype ${p.indexContactTypes.join('/')} (konsultasjon) med en depresjonskode, ikke fra praksistype ${p.excludePracticeTypes.join(', ') || '-'}`,
    ],
    [
      'Utvaskingsperiode',
      `${p.washoutDays} dager uten depresjonskode på ${p.washoutAnyContact ? 'noen regning fra allmennlege (alle kontakttyper, også legevakt)' : 'en konsultasjon av samme type som indekskonsultasjonen'}`,
    ],
    ['Indeksperiode', `${p.indexFrom} til ${p.indexTo}`],
    [
      'Episoder',
      p.episodes === 'all'
        ? 'hver ny episode (en person kan bidra med flere enn én)'
        : 'hver persons første episode',
    ],
    [
      'Alder',
      `${p.minAge}${max === null ? ' år eller eldre' : `-${max} år`} ved indeksdatoen (indeksår minus fødselsår)`,
    ],
    [
      'Oppfølging',
      `${p.followUpDays} dager fra indeksdatoen (dag 0 = indeksdatoen), avsluttet ved død eller utvandring`,
    ],
    // The indicators as engine/definitions.ts words them, from the parameters the SQL used.
    ...INDICATOR_DEFINITIONS.map((d): [string, string] => [d.nb.term, d.nb.text(p)]),
    [
      'Tilbake i arbeid',
      `blant ${p.sickLeaveMinAge}-${p.sickLeaveMaxAge}-åringer som var sykmeldt i løpet av de første ${p.rtwBaselineDays} dagene og ble fulgt til tidspunktet (dag ${Math.floor(p.followUpDays / 2)} og dag ${p.followUpDays - 1}): ingen sykmeldingsperiode og ingen periode med sykepenger, arbeidsavklaringspenger (AAP) eller uføretrygd de siste ${p.rtwWindowDays} dagene fram til tidspunktet`,
    ],
    [
      'Fastlege',
      p.requireListedGp
        ? 'episoder uten fastlege på indeksdatoen er utelatt'
        : 'fastlegen pasienten stod på listen til på indeksdatoen (listetilknytningen og listeinnehaveren gyldige på indeksdatoen); ikke et krav',
    ],
  ];
  return `<dl class="params">${items.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`;
}

/** The multiplicity paragraph (methods-text.ts multiplicityParagraph). */
function multiplicityParagraph(tables?: readonly PublishedTable[]): string {
  const counted = tables ? countRunEstimates(tables) : null;
  const how = counted
    ? `Denne kjøringen gir ${counted.total.toLocaleString('nb-NO')} estimater med 95 % konfidensintervall: ` +
      `${counted.relativeRisks} relative risikoer (tabell 3.x, ujustert og justert), ${counted.gpOddsRatios} oddsratioer for fastlegekjennetegn ` +
      `(tabell 7b; tabell 7 gjentar én av dem) og ${counted.equityIndices} ulikhetsindekser (tabell 8). `
    : 'Rapporten gir mange estimater med 95 % konfidensintervall (relative risikoer, oddsratioer for fastlegekjennetegn, ulikhetsindekser). ';
  return (
    `<p>Multiple sammenligninger: ${esc(how)}Hvert intervall gjelder sin egen sammenligning, og ingen er justert for multiplisitet, ` +
    'så omtrent 1 av 20 intervaller vil utelukke nullverdien (RR eller OR 1, indeks 0) ved tilfeldighet alene, også når det ikke er noen reell forskjell. ' +
    'Resultatene er beskrivende og hypotesegenererende: ett enkelt intervall som utelukker nullverdien, er ikke bevis i seg selv, og ' +
    `sammenhenger er ikke årsakseffekter (${esc(MULTIPLICITY_SOURCES)}).</p>`
  );
}

/** The methods section in Norwegian; `tables`, the run's published tables, give the multiplicity note its numbers. */
export function methodsHtmlNb(p: ResolvedParams, tables?: readonly PublishedTable[]): string {
  const small = SMALL_CELL_THRESHOLD - 1;
  return `
<h3>Data</h3>
<p>Koblet registeruttrekk i plattformens Parquet-skjema (src/registry/schema/tables.ts): regninger fra KUHR/KPR med diagnoser og takster,
utleveringer fra Reseptregisteret (NorPD), kontakter i Norsk pasientregister (NPR), sykmeldingsperioder og ytelsesperioder fra NAV, personer, utdanning og inntekt fra SSB, og fastlegeregisteret.</p>
<h3>Kohort og indikatorer (parametrene for denne kjøringen)</h3>
${paramList(p)}
<p>${CHARACTERISTIC_DEFINITIONS.map((d) => esc(definitionSentence(d, p, 'nb'))).join('\n')}
Episoder der oppfølgingen slutter tidlig ved død eller utvandring (konkurrerende hendelser), blir stående i alle nevnere som «ingen behandling» etter den datoen (slik artiklene gjorde); tabell 2b teller dem og gir hver andel blant episodene med full oppfølging som en sensitivitetsanalyse.</p>
<h3>Statistikk</h3>
<p>Relativ risiko (RR) fra Poisson-regresjon med log-link på den binære indikatoren (modifisert Poisson, Zou 2004), tilpasset med
Newton-Raphson på kovariatmønstre (dataene reduseres til antall per kombinasjon av kjønn, aldersgruppe, utdanning, innvandringsbakgrunn,
sentralitet og år). Pasienter hos samme fastlege er ikke uavhengige, så standardfeilene er klyngerobuste etter fastlege: en sandwich der
midtleddet summerer hver fastleges skår, med korreksjonen for få klynger G/(G − 1)·(N − 1)/(N − p) (CR1, som Statas regress med
vce(cluster); G fastleger, N episoder, p parametere). Klyngen er fastlegen pasienten stod på listen til ved indeksdato, ellers legen som
fakturerte indekskonsultasjonen; en episode uten noen av dem ville være en egen klynge. 95 % konfidensintervall exp(β ± t·SE) med t fra
Students t-fordeling med G − 1 frihetsgrader (Cameron &amp; Miller 2015, J Hum Resour 50:317-372), ikke normalfordelingens 1,96.
Ujustert: ett kjennetegn om gangen. Justert: alle seks samtidig. Referansegrupper: kvinner, 18-29 år, lav utdanning, norskfødt eller annen,
sentral, det første året. Grupper uten hendelser kan ikke estimeres og utelates fra den justerte modellen.
Tabell 3.x viser for hver gruppe antall fastleger med episoder i gruppen og deres effektive antall (Σn)²/Σn² over gruppens episoder n hos
hver fastlege, fordi et intervall ikke er bedre enn fastlegene som bærer det; grupper i en sammenligning med færre enn ${FEW_GPS} fastleger i
praksis nevnes i en merknad, fordi de klyngerobuste intervallene deres kan være for smale (MacKinnon &amp; Webb 2017, J Appl Econom 32:233-254).
Episodene klynges ikke i tillegg etter person (en person med to episoder hos ulike fastleger teller i begge fastlegenes klynger).</p>
<p>Behandlingsforløp: datoen for første samtaleterapi, utlevering av antidepressiva, sykmeldingsperiode (innenfor aldersgrensene for sykmelding; første sykmeldingsdag
i oppfølgingstiden) og henvisning til spesialisthelsetjenesten i oppfølgingstiden; hendelser på samme dato utgjør ett trinn.</p>
<p>Variasjon mellom fastleger (tabell 6): oppsummeringen av hver indikators traktanalyse nedenfor (de samme standardiserte andelene, overdispersjonen φ,
DerSimonian-Laird-variansen mellom fastleger og de eksakte 99,8 %-grensene, for alle fastleger med minst én episode blant pasientene på listen).
Flernivåmodeller: logistisk regresjon med tilfeldig konstantledd for fastlegen pasienten stod på listen til, tilpasset med sannsynlighetsmaksimering og
Laplace-tilnærming (plattformens egen implementasjon, validert mot lme4::glmer til 1e-5; docs/registry/mixed-models.md), på antall per fastlege og
pasientmønster (kjønn, aldersgruppe, utdanning); kovariatene på fastlegenivå er praksis i lite sentral kommune (sentralitet 5-6), kvinnelig fastlege,
spesialist i allmennmedisin og fastlønnet fastlege, alle ved indeksdato, og listelengden ved indeksdato (per 500 pasienter,
sentrert ved 1 150) (tabell 7b). For samtaleterapi og henvisning, der kommunale tjenester kan prege det fastlegene gjør, legger tabell 7c til et
tilfeldig konstantledd for kommunen der fastlegen har praksis (fastleger hierarkisk innenfor kommuner; validert mot lme4 til omkring 1e-6). Variansen mellom fastleger σ² har et
profile likelihood-intervall (Wald på log σ fra 1 000 fastleger, der de to er like til tredje desimal); ICC = σ²/(σ² + π²/3); MOR = exp(√(2σ²)·0,6745); PCV = (σ²null − σ²justert)/σ²null (den relative endringen i variansen mellom fastleger når kovariatene legges til; den kan være negativ, se tabell 7); IOR-80 = exp(γ ± 1,2816·√(2σ²)).
Fastlegenes tilfeldige effekter er krympede betingede modi, oppsummert som antall over og under gjennomsnittet, aldri listet opp.
Traktplott: hver fastleges andel, indirekte standardisert for pasientenes kjønn, aldersgruppe og utdanning (p0·O/E, E fra en logistisk modell uten
fastlegeeffekter), mot eksakte binomiske 95 %- og 99,8 %-grenser (Spiegelhalter 2005) og grenser utvidet for overdispersjon (multiplikativ φ og additiv
DerSimonian-Laird τ², arcsinus-skala, z-verdier winsorisert ved 10 %). Fastleger med færre enn 10 pasienter er utelatt, og posisjonene er avrundet
(pasienter til nærmeste 5, andeler til nærmeste 0,5 prosentpoeng), så ingen fastlege kan gjenkjennes.</p>
<p>Ulikhet: konsentrasjonsindeksen C = 2·cov(y, R)/μ over den fraksjonelle rangen R etter utdanning (lav, middels, høy) eller desil av ekvivalert husholdningsinntekt
(${esc(incomeYearPhrase(p, 'nb'))}, rangert innenfor indeksåret), beregnet fra grupperte data, med Wagstaff W = C/(1 − μ) og Erreygers E = 4μC;
horisontal ulikhet HI = C(y) − C(ŷᴺ) med ŷᴺ fra en lineær modell for behov (aldersgruppe, kjønn) med kontrollvariabler som ikke er behov (innvandringsbakgrunn,
sentralitet, sosioøkonomisk gruppe) satt til gjennomsnittet (O'Donnell mfl. 2008); helningsindeksen SII (lineær sannsynlighetsmodell på riditten) og den relative indeksen RII
(Poisson-modell med log-link på riditten), uten og med justering for behov. Standardfeil etter deltametoden tar med usikkerheten i rangene og i
behovsmodellen; SII/RII bruker robuste standardfeil med ridittene som faste.</p>
${multiplicityParagraph(tables)}
<h3>Prikking av små tall</h3>
<p>Hver tabell behandles sammen med marginene sine. Antall fra 1 til ${small} skjules (primærprikking); deretter skjules komplementære celler
til hver rad og kolonne med en skjult celle har minst to, og hver skjult celle ligger på en sykel av skjulte celler,
som er betingelsen for at ingen skjult verdi kan regnes ut fra de publiserte cellene. Tall som flere tabeller deler (de samme nevnerne,
de samme totalene), skjules i alle tabellene når de skjules i én. Prosenter, gjennomsnitt og
relative risikoer beregnet fra et skjult antall skjules også. Forløp med færre enn ${SMALL_CELL_THRESHOLD} episoder slås sammen.
Alle publiserte filer gir tallene slik denne rapporten skriver dem. En andel i tabell 8 (blant episodene med kjent utdanning eller inntekt)
holdes tilbake når den, holdt opp mot totalene i tabell 2, ville avsløre en gruppe på 1 til ${small} episoder med ukjent posisjon,
eller 1 til ${small} med eller uten behandlingen, for ett av kjønnene eller begge; holdes ett kjønn tilbake, holdes også det andre tilbake.
Skjulte (prikkede) celler vises som «:».</p>
<h3>Publiserte sammenligningstall</h3>
<p>${esc(RIISER_2022.sourceNb)}; ${esc(RUTHS_2021.sourceNb)}. Definisjonene deres avviker i detaljer (se docs/registry/analyses.md); sammenlign andeler, ikke antall.</p>
`;
}
