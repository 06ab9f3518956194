/**
 * The fee codes the note screen may suggest, with what they mean and where the rule comes from
 * (the same table as docs/clinical/fee-codes.md). Suggestions only: the GP confirms each one.
 */
type Text = { nb: string; en: string };

export interface FeeCodeSource {
  code: string;
  when: Text;
  meaning: Text;
  source: Text;
}

export const FEE_CODE_SOURCES: readonly FeeCodeSource[] = [
  {
    code: '2ad',
    when: { nb: 'Oppmøte', en: 'In person' },
    meaning: { nb: 'Konsultasjon hos allmennlege (dagtid)', en: 'GP consultation (daytime)' },
    source: {
      nb: 'Normaltariffen (normaltariffen.legeforeningen.no); SSBs definisjon av legekonsultasjon bruker 2ad/2ak/2ae',
      en: "Normaltariffen (normaltariffen.legeforeningen.no); Statistics Norway's definition of a GP consultation uses 2ad/2ak/2ae",
    },
  },
  {
    code: '2ae',
    when: { nb: 'Video eller telefon', en: 'Video or phone' },
    meaning: {
      nb: 'E-konsultasjon (video og tekst; telefon fra 2020)',
      en: 'E-consultation (video and text; phone since 2020)',
    },
    source: {
      nb: 'Normaltariffen; Helsedirektoratet, statistikk «Samtaleterapi og e-konsultasjoner»',
      en: 'Normaltariffen; Norwegian Directorate of Health, "Samtaleterapi og e-konsultasjoner" statistics',
    },
  },
  {
    code: '615',
    when: { nb: '15 minutter eller mer', en: '15 minutes or more' },
    meaning: {
      nb: 'Samtaleterapi: minst 15 minutter, terapeutisk samtale ved psykisk lidelse; kan kombineres med e-konsultasjon (2019) og telefon (mars 2020)',
      en: 'Talking therapy: at least 15 minutes, a therapeutic conversation for a mental disorder; combinable with e-consultation (2019) and phone (March 2020)',
    },
    source: {
      nb: 'Helsedirektoratet, statistikk om allmennlegetjenester: samtaleterapi og e-konsultasjoner',
      en: 'Norwegian Directorate of Health, GP service statistics: talking therapy and e-consultations',
    },
  },
  {
    code: '2cd',
    when: { nb: 'Lengre enn 20 minutter', en: 'Longer than 20 minutes' },
    meaning: {
      nb: 'Tidstillegg for konsultasjon utover 20 minutter',
      en: 'Time supplement for a consultation longer than 20 minutes',
    },
    source: {
      nb: 'Helfo, «Husk riktig bruk av tidstakst for lege» (kontroller av feilbruk)',
      en: 'Helfo, "Husk riktig bruk av tidstakst for lege" (audits of misuse)',
    },
  },
  {
    code: '617',
    when: { nb: 'PHQ-9 fra siste 7 dager er gjennomgått', en: 'A PHQ-9 from the last 7 days was reviewed' },
    meaning: {
      nb: 'Bruk av kartleggingsskjema ved psykisk lidelse',
      en: 'Use of a mapping form for a mental disorder',
    },
    source: {
      nb: 'Normaltariffen, takst 617 (sjekk gjeldende ordlyd og om den kan kombineres med 615)',
      en: 'Normaltariffen, code 617 (check the current wording and whether it may be combined with 615)',
    },
  },
];
