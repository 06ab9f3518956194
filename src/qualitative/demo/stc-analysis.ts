/**
 * The demo study's STC analysis in progress (issue 15, "Demo data"): themes and subgroups drawn from
 * the demo focus groups, meaning units named by a phrase of the de-identified transcript (the seed
 * finds each phrase's offsets; phrases carry no name, place or age, so de-identification leaves
 * them as written), a first-person condensate per subgroup with its golden quotation (step 3),
 * and one theme taken on to a synthesis paragraph (step 4), which is what the user group is shown.
 *
 * Written for this platform, in the manner of Malterud's systematic text condensation; the
 * themes follow the barriers the guided-iCBT focus-group paper names (time, knowledge of the
 * modules, the recommendation left unrecorded, no feedback, and the conversation coming first).
 */

export interface DemoMeaningUnit {
  id: string;
  /** The demo source (manifest id). */
  source: string;
  /** A phrase of the de-identified text: the meaning unit is its first occurrence. */
  phrase: string;
  groupId: string;
}

export interface DemoCondensate {
  id: string;
  groupId: string;
  text: string;
  meaningUnitIds: string[];
  goldenQuoteId: string;
}

export const DEMO_STC_TITLE = 'Fastlegens veiledning: STC av fokusgruppene';

export const DEMO_STC_IMPRESSIONS: Record<string, string[]> = {
  fg1: [
    'Depresjon kommer sent i timen, og tiden strekker ikke til',
    'Legene kjenner ikke modulene, og materiellet forsvinner',
    'Ingen oversikt over hvem som har fått anbefalingen, ingen tilbakemelding',
    'Samtalen med pasienten må komme før programmet',
  ],
  fg2: ['Korte avtaler mellom modulene kan bære mye', 'Tjue minutter skal romme alt'],
};

export const DEMO_STC_GROUPS = [
  { id: 'time', name: 'Tid i en full hverdag', parentId: null },
  { id: 'time-late', name: 'Depresjonen kommer på slutten av timen', parentId: 'time' },
  { id: 'time-short', name: 'Korte og planlagte kontakter', parentId: 'time' },
  { id: 'know', name: 'Å kjenne programmet', parentId: null },
  { id: 'know-modules', name: 'Har ikke sett modulene selv', parentId: 'know' },
  { id: 'know-lost', name: 'Materiellet forsvinner i alt det andre', parentId: 'know' },
  { id: 'feedback', name: 'Uten tilbakemelding', parentId: null },
  { id: 'talk', name: 'Samtalen kommer først', parentId: null },
] as const;

export const DEMO_STC_UNITS: readonly DemoMeaningUnit[] = [
  {
    id: 'mu-late-1',
    source: 'fg1',
    phrase: 'når det er fem minutter igjen, kommer det',
    groupId: 'time-late',
  },
  {
    id: 'mu-late-2',
    source: 'fg1',
    phrase: 'Det fungerer hvis jeg har en ledig dobbelttime innen to uker, og det har jeg sjelden',
    groupId: 'time-late',
  },
  {
    id: 'mu-short-1',
    source: 'fg2',
    phrase: 'En telefon på ti minutter kan holde noen oppe i tre uker.',
    groupId: 'time-short',
  },
  {
    id: 'mu-short-2',
    source: 'fg2',
    phrase: 'Jeg har tjue minutter, og i løpet av de tjue minuttene skal jeg ofte også se på et blodtrykk',
    groupId: 'time-short',
  },
  {
    id: 'mu-modules-1',
    source: 'fg1',
    phrase: 'Og jeg har ikke selv vært inne og sett på modulene.',
    groupId: 'know-modules',
  },
  {
    id: 'mu-modules-2',
    source: 'fg1',
    phrase: 'At pasienten vet mer om behandlingen enn jeg gjør.',
    groupId: 'know-modules',
  },
  {
    id: 'mu-lost-1',
    source: 'fg1',
    phrase: 'Den forsvant litt i alt det andre som kommer.',
    groupId: 'know-lost',
  },
  {
    id: 'mu-lost-2',
    source: 'fg1',
    phrase: 'Hvis noen hadde laget en lapp med fem setninger, så hadde jeg hengt den på veggen.',
    groupId: 'know-lost',
  },
  { id: 'mu-feedback-1', source: 'fg1', phrase: 'Vi får ingen tilbakemelding.', groupId: 'feedback' },
  {
    id: 'mu-feedback-2',
    source: 'fg1',
    phrase: 'Han sa at han ikke visste om noen så på det han skrev.',
    groupId: 'feedback',
  },
  {
    id: 'mu-feedback-3',
    source: 'fg1',
    phrase: 'Men så har jeg ingen steder å se hvem jeg har anbefalt det til.',
    groupId: 'feedback',
  },
  { id: 'mu-talk-1', source: 'fg1', phrase: 'Samtalen må komme først.', groupId: 'talk' },
  {
    id: 'mu-talk-2',
    source: 'fg1',
    phrase: 'Det kan føles som å sende dem videre, som om jeg ikke orker.',
    groupId: 'talk',
  },
];

export const DEMO_STC_CONDENSATES: readonly DemoCondensate[] = [
  {
    id: 'c-late',
    groupId: 'time-late',
    text: 'Depresjonen kommer ofte fram når timen nesten er over, og da har jeg sjelden en ny lang time å tilby snart nok.',
    meaningUnitIds: ['mu-late-1', 'mu-late-2'],
    goldenQuoteId: 'mu-late-1',
  },
  {
    id: 'c-short',
    groupId: 'time-short',
    text: 'Timen min skal romme mye, men en kort, avtalt kontakt mellom gangene kan bety mer enn jeg tror.',
    meaningUnitIds: ['mu-short-1', 'mu-short-2'],
    goldenQuoteId: 'mu-short-1',
  },
  {
    id: 'c-modules',
    groupId: 'know-modules',
    text: 'Jeg anbefaler programmet uten å ha sett modulene selv, og jeg er redd pasienten vet mer om behandlingen enn jeg gjør.',
    meaningUnitIds: ['mu-modules-1', 'mu-modules-2'],
    goldenQuoteId: 'mu-modules-1',
  },
  {
    id: 'c-lost',
    groupId: 'know-lost',
    text: 'Informasjonen om programmet forsvinner blant alt annet som kommer; jeg trenger det korte poenget der jeg arbeider.',
    meaningUnitIds: ['mu-lost-1', 'mu-lost-2'],
    goldenQuoteId: 'mu-lost-1',
  },
  {
    id: 'c-feedback',
    groupId: 'feedback',
    text: 'Når pasienten har gått hjem med anbefalingen, hører jeg ingenting, og jeg har ingen oversikt over hvem som har fått den.',
    meaningUnitIds: ['mu-feedback-1', 'mu-feedback-2', 'mu-feedback-3'],
    goldenQuoteId: 'mu-feedback-1',
  },
  {
    id: 'c-talk',
    groupId: 'talk',
    text: 'Jeg må forstå hva pasienten strever med før jeg foreslår programmet, ellers føles det som å sende dem videre.',
    meaningUnitIds: ['mu-talk-1', 'mu-talk-2'],
    goldenQuoteId: 'mu-talk-1',
  },
];

/** Step 4 for one theme: the paragraph the demo shares with the user group. */
export const DEMO_STC_SYNTHESIS = [
  {
    id: 'p-feedback',
    groupId: 'feedback',
    sentences: [
      {
        text: 'Legene fortalte at anbefalingen av programmet sjelden ble fulgt av noe de fikk vite om igjen.',
        condensateIds: ['c-feedback'],
      },
      {
        text: 'Uten et sted å se hvem som hadde fått anbefalingen, og uten tilbakemelding fra pasientene, ble veiledningen mellom modulene stående ugjort.',
        condensateIds: ['c-feedback'],
      },
    ],
  },
];

export const DEMO_SHARE_MESSAGE =
  'Her er et første utkast til ett av temaene fra fokusgruppene med fastleger. Kjenner dere dette igjen fra pasientenes side? Mangler det noe?';
