/**
 * The demo study's starter codebook (code groups in the spirit of systematic text condensation)
 * and two coders' partial coding of focus group 1, as data. Example quotations and codings are
 * written as verbatim passages of the transcript's text; `resolveQuote` turns a passage into
 * half-open character offsets of the parsed transcript's full text (`Transcript.text`, speaker
 * labels excluded), so the data stays readable and the offsets cannot drift from the file.
 */
import type { Code } from '../../domain/qualitative/codebook.js';

export interface DemoCode extends Code {
  /** The source (manifest id) the example quotation is taken from. */
  exampleSource: string;
}

const c = (
  id: string,
  parentId: string | null,
  name: string,
  definition: string,
  inclusion: string,
  exclusion: string,
  example: string
): DemoCode => ({ id, parentId, name, definition, inclusion, exclusion, example, exampleSource: 'fg1' });

export const DEMO_CODEBOOK: readonly DemoCode[] = [
  c(
    'tid',
    null,
    'Tid og struktur i konsultasjonen',
    'Hvordan konsultasjonens lengde, timebok og rekkefølge former møtet med pasienten med depresjon.',
    'Utsagn om tidspress, timelengde, ventetid på ny time og når i timen plagene kommer fram.',
    'Ventetid hos andre tjenester (kodes under Oppfølging og samarbeid).',
    'Da sitter du der med tjue minutter på timen og en venteliste på gangen.'
  ),
  c(
    'tid.sent',
    'tid',
    'Plagene kommer fram sent i timen',
    'Pasienten kommer for noe annet, og depresjonen blir nevnt mot slutten.',
    'Beskrivelser av at depresjon kommer fram som «bitillegg» eller i timens siste minutter.',
    'Pasienter som bestiller time for depresjon.',
    'Og så, når det er fem minutter igjen, kommer det.'
  ),
  c(
    'tid.dobbelttime',
    'tid',
    'Å skaffe mer tid',
    'Legens grep for å få nok tid: dobbelttime, ny time, påminnelser.',
    'Konkrete grep for å sette av tid til samtale eller oppfølging.',
    'Generelle klager over travelhet uten grep.',
    'Jeg sier at dette må vi ha god tid til, og så setter jeg opp en dobbelttime.'
  ),
  c(
    'moduler',
    null,
    'Kjennskap til modulene',
    'Hva legen vet om innholdet i det veiledede nettkurset.',
    'Utsagn om å ha eller ikke ha sett modulene, og om behov for å kjenne dem.',
    'Pasientens egen bruk av kurset (kodes under Pasientens tilbakemelding).',
    'Og jeg har ikke selv vært inne og sett på modulene.'
  ),
  c(
    'moduler.mappe',
    'moduler',
    'Informasjon som forsvinner',
    'Prosjektinformasjon som blir borte blant alt annet som kommer til kontoret.',
    'Mapper, skriv og rutiner som glemmes eller forsvinner i hverdagen.',
    'Mangel på informasjon som aldri ble gitt.',
    'Den forsvant litt i alt det andre som kommer.'
  ),
  c(
    'moduler.rolle',
    'moduler',
    'Legens rolle overfor programmet',
    'Hvordan legen forstår sin egen oppgave når pasienten bruker programmet.',
    'Refleksjoner om å være lærer, vakt eller samtalepartner ved siden av kurset.',
    'Praktisk oppfølging (kodes under Oppfølging og samarbeid).',
    'Er jeg den som skal lære pasienten programmet, eller er jeg den som skal passe på at de ikke blir verre?'
  ),
  c(
    'tilbakemelding',
    null,
    'Pasientens tilbakemelding',
    'Hva legen får vite, eller ikke får vite, om pasientens bruk av programmet.',
    'Utsagn om manglende eller mottatt tilbakemelding fra pasient eller program.',
    'Legens egen registrering (kodes under Registrering av anbefalingen).',
    'Vi får ingen tilbakemelding.'
  ),
  c(
    'tilbakemelding.journal',
    'tilbakemelding',
    'Registrering av anbefalingen',
    'Hvordan anbefalingen skrives ned og holdes oversikt over.',
    'Journalnotat, egne lister, regneark og påminnelser om hvem som har fått anbefalingen.',
    'Registrering av andre tiltak enn programmet.',
    'Jeg har laget meg en egen liste i et regneark, faktisk.'
  ),
  c(
    'samtale',
    null,
    'Samtale eller program',
    'Spenningen mellom den pasientsentrerte samtalen og å tilby et strukturert program.',
    'Utsagn om hva som bør komme først, om å «sende videre» og om pasienter som vil ha et menneske.',
    'Vurdering av hvem programmet passer for (kodes under Hvem programmet passer for).',
    'Og så sitter jeg der og gir dem en lenke.'
  ),
  c(
    'passer',
    null,
    'Hvem programmet passer for',
    'Legens vurdering av om programmet passer for den enkelte pasient.',
    'Kjennetegn ved pasienter som fullfører eller faller fra, og kriterier legen bruker.',
    'Generelle holdninger til nettbasert behandling.',
    'Det er mer om de har overskudd til å lese og skrive.'
  ),
  c(
    'oppfolging',
    null,
    'Oppfølging og samarbeid',
    'Hvem som følger opp pasienten underveis og etterpå, og samarbeidet med andre hjelpere.',
    'Psykiatrisk sykepleier, kommunale tjenester, meldinger og telefoner til pasienten.',
    'Henvisning til spesialisthelsetjenesten alene.',
    'Hun har fått tilgang og ser når de logger inn.'
  ),
];

export interface DemoCodingPassage {
  codeId: string;
  /** A verbatim passage of the source's text. */
  quote: string;
}

/**
 * Two coders' partial coding of focus group 1 (`fg1`). They agree on some passages, code others
 * with a different code, and each codes passages the other left alone (so kappa is between 0 and 1).
 */
export const DEMO_CODINGS: Readonly<Record<'coder-a' | 'coder-b', readonly DemoCodingPassage[]>> = {
  'coder-a': [
    { codeId: 'tid', quote: 'Da sitter du der med tjue minutter på timen og en venteliste på gangen.' },
    { codeId: 'moduler', quote: 'Og jeg har ikke selv vært inne og sett på modulene.' },
    {
      codeId: 'moduler',
      quote: 'Jeg fikk en mappe med informasjon da prosjektet startet, og den ligger et sted på kontoret.',
    },
    { codeId: 'tilbakemelding', quote: 'Det er akkurat det. Vi får ingen tilbakemelding.' },
    {
      codeId: 'tilbakemelding',
      quote: 'Han sa at han ikke visste om noen så på det han skrev.',
    },
    { codeId: 'samtale', quote: 'Og så sitter jeg der og gir dem en lenke.' },
    { codeId: 'oppfolging', quote: 'Hun har fått tilgang og ser når de logger inn.' },
  ],
  'coder-b': [
    {
      codeId: 'tid',
      quote:
        'Og så, når det er fem minutter igjen, kommer det. Da sitter du der med tjue minutter på timen og en venteliste på gangen.',
    },
    { codeId: 'moduler', quote: 'Og jeg har ikke selv vært inne og sett på modulene.' },
    { codeId: 'tilbakemelding', quote: 'Vi får ingen tilbakemelding.' },
    { codeId: 'tilbakemelding', quote: 'Jeg har laget meg en egen liste i et regneark, faktisk.' },
    {
      codeId: 'samtale',
      quote: 'For det jeg egentlig vil, er å snakke med dem. Finne ut hva som er vondt.',
    },
    { codeId: 'oppfolging', quote: 'Hun har fått tilgang og ser når de logger inn.' },
    {
      codeId: 'oppfolging',
      quote: 'Så jeg henviser ikke formelt, jeg bare sier til pasienten at Randi ringer deg.',
    },
  ],
};

/** Half-open offsets of the first occurrence of `quote` in `text`; throws when it is absent. */
export function resolveQuote(text: string, quote: string): { start: number; end: number } {
  const start = text.indexOf(quote);
  if (start < 0) throw new RangeError(`quotation not found in the source: "${quote.slice(0, 60)}"`);
  return { start, end: start + quote.length };
}
