/**
 * Ground truth of the demo material (docs/qualitative/demo-material.md): every source file in this
 * folder, the event it belongs to, its participants (study pseudonym and fictional first name) and
 * the identifying details written into it on purpose, which de-identification must propose.
 * All people, places and workplaces are fictional.
 */
import type { TranscriptFormat } from '../../domain/qualitative/transcript.js';

export type IdentifierCategory = 'participant' | 'person' | 'place' | 'workplace' | 'age' | 'date';

export interface PlantedIdentifier {
  /** The text exactly as written in the source (every occurrence counts). */
  text: string;
  category: IdentifierCategory;
  /** Set when the domain's proposals do not catch it: why (reported, not fixed here). */
  missed?: string;
}

export interface DemoParticipant {
  /** The study pseudonym, also the speaker label in the transcript. */
  pseudonym: string;
  /** The fictional first name the participant is called by in the recording. */
  firstName: string;
  role: 'gp' | 'helper' | 'nav' | 'case' | 'key-user';
}

export interface DemoSourceManifest {
  id: string;
  file: string;
  format: TranscriptFormat;
  event: { kind: 'focus-group' | 'case-study' | 'interview'; number: number };
  language: 'nb' | 'en';
  /** Labels that may speak besides the participants (the moderator, the interviewer). */
  staffLabels: string[];
  participants: DemoParticipant[];
  identifiers: PlantedIdentifier[];
  /** Word count range the source was written to. */
  words: { min: number; max: number };
}

export const DEMO_SOURCES: readonly DemoSourceManifest[] = [
  {
    id: 'fg1',
    file: 'fokusgruppe-1.txt',
    format: 'txt',
    event: { kind: 'focus-group', number: 1 },
    language: 'nb',
    staffLabels: ['Moderator'],
    participants: [
      { pseudonym: 'GP-01', firstName: 'Ingrid', role: 'gp' },
      { pseudonym: 'GP-02', firstName: 'Torbjørn', role: 'gp' },
      { pseudonym: 'GP-03', firstName: 'Solveig', role: 'gp' },
      { pseudonym: 'GP-04', firstName: 'Anders', role: 'gp' },
      { pseudonym: 'GP-05', firstName: 'Maren', role: 'gp' },
    ],
    identifiers: [
      { text: 'Ingrid', category: 'participant' },
      { text: 'Torbjørn', category: 'participant' },
      { text: 'Solveig', category: 'participant' },
      { text: 'Anders', category: 'participant' },
      { text: 'Maren', category: 'participant' },
      { text: 'Randi', category: 'person' },
      { text: 'Henrik', category: 'person' },
      { text: 'Sigrid', category: 'person' },
      { text: 'Fjellvik', category: 'place' },
      { text: 'Storøya', category: 'place' },
      { text: 'Håkøy', category: 'place' },
      { text: 'Fjellvik legesenter', category: 'workplace' },
      { text: 'Bryggen legekontor', category: 'workplace' },
      { text: '61 år', category: 'age' },
      { text: '34 år', category: 'age' },
      { text: '23 år', category: 'age' },
      { text: '3. oktober', category: 'date' },
    ],
    words: { min: 2500, max: 3500 },
  },
  {
    id: 'fg2',
    file: 'fokusgruppe-2.vtt',
    format: 'vtt',
    event: { kind: 'focus-group', number: 2 },
    language: 'nb',
    staffLabels: ['Moderator'],
    participants: [
      { pseudonym: 'GP-06', firstName: 'Kjetil', role: 'gp' },
      { pseudonym: 'Helper-01', firstName: 'Hilde', role: 'helper' },
      { pseudonym: 'GP-07', firstName: 'Eirik', role: 'gp' },
      { pseudonym: 'Helper-02', firstName: 'Linnea', role: 'helper' },
      { pseudonym: 'Helper-03', firstName: 'Gunnar', role: 'helper' },
    ],
    identifiers: [
      { text: 'Kjetil', category: 'participant' },
      { text: 'Hilde', category: 'participant' },
      { text: 'Eirik', category: 'participant' },
      { text: 'Linnea', category: 'participant' },
      { text: 'Gunnar', category: 'participant' },
      { text: 'Jon', category: 'person' },
      { text: 'Turid', category: 'person' },
      { text: 'Elvestad', category: 'place' },
      { text: 'Elvestad legesenter', category: 'workplace' },
      {
        text: 'Nordbyen ungdomsskole',
        category: 'workplace',
      },
      {
        text: 'Elvestad helsehus',
        category: 'workplace',
      },
      { text: 'Fjordhotellet', category: 'workplace' },
      { text: '27 år', category: 'age' },
      { text: '45 år', category: 'age' },
      {
        text: 'femten år',
        category: 'age',
      },
      { text: '2009', category: 'date' },
      { text: '2022', category: 'date' },
    ],
    words: { min: 2500, max: 3500 },
  },
  {
    id: 'ku1',
    file: 'interview-key-user-1.txt',
    format: 'txt',
    event: { kind: 'interview', number: 1 },
    language: 'en',
    staffLabels: ['Interviewer'],
    participants: [{ pseudonym: 'User-01', firstName: 'Priya', role: 'key-user' }],
    identifiers: [
      { text: 'Priya', category: 'participant' },
      { text: 'Tom', category: 'person' },
      { text: 'Holm', category: 'person' },
      { text: 'Bodil', category: 'person' },
      { text: 'Lunde', category: 'person' },
      { text: 'Leeds', category: 'place' },
      { text: 'Brattvåg', category: 'place' },
      { text: 'Vestkaia Marine', category: 'workplace' },
      {
        text: '38',
        category: 'age',
      },
      {
        text: '12th of May',
        category: 'date',
      },
    ],
    words: { min: 1000, max: 1500 },
  },
  {
    id: 'case1-interview',
    file: 'case-1-intervju.srt',
    format: 'srt',
    event: { kind: 'case-study', number: 1 },
    language: 'nb',
    staffLabels: ['Intervjuer'],
    participants: [{ pseudonym: 'Case-1', firstName: 'Sander', role: 'case' }],
    identifiers: [
      { text: 'Sander', category: 'participant' },
      { text: 'Vibeke', category: 'person' },
      { text: 'Åse', category: 'person' },
      { text: 'Rune', category: 'person' },
      { text: 'Mathias', category: 'person' },
      { text: 'Sjøvik', category: 'place' },
      { text: 'Tromsø', category: 'place' },
      {
        text: 'Sjøvik videregående',
        category: 'workplace',
      },
      { text: 'Bakken Elektro', category: 'workplace' },
      { text: '19 år', category: 'age' },
      { text: '2. februar', category: 'date' },
    ],
    words: { min: 1100, max: 1800 },
  },
  {
    id: 'fg3',
    file: 'fokusgruppe-3.txt',
    format: 'txt',
    event: { kind: 'focus-group', number: 3 },
    language: 'nb',
    staffLabels: ['Moderator'],
    participants: [
      { pseudonym: 'NAV-01', firstName: 'Tone', role: 'nav' },
      { pseudonym: 'NAV-02', firstName: 'Petter', role: 'nav' },
      { pseudonym: 'Helper-04', firstName: 'Silje', role: 'helper' },
      { pseudonym: 'Helper-05', firstName: 'Jonas', role: 'helper' },
      { pseudonym: 'GP-08', firstName: 'Marit', role: 'gp' },
    ],
    identifiers: [
      { text: 'Tone', category: 'participant' },
      { text: 'Petter', category: 'participant' },
      { text: 'Silje', category: 'participant' },
      { text: 'Jonas', category: 'participant' },
      { text: 'Marit', category: 'participant' },
      { text: 'Camilla', category: 'person' },
      { text: 'Frode', category: 'person' },
      { text: 'Geir', category: 'person' },
      { text: 'Nora', category: 'person' },
      { text: 'NAV Fjellvik', category: 'workplace' },
      { text: 'Storøya legesenter', category: 'workplace' },
      { text: 'Kvernstad Sag', category: 'workplace' },
      { text: 'Fjellvik ungdomshus', category: 'workplace' },
      { text: 'Håkøy', category: 'place' },
      { text: '19 år', category: 'age' },
      { text: '24 år', category: 'age' },
      { text: '14. mars', category: 'date' },
    ],
    words: { min: 2500, max: 3500 },
  },
  {
    id: 'case2-interview',
    file: 'case-2-intervju.txt',
    format: 'txt',
    event: { kind: 'case-study', number: 2 },
    language: 'nb',
    staffLabels: ['Intervjuer'],
    participants: [{ pseudonym: 'Case-2', firstName: 'Emil', role: 'case' }],
    identifiers: [
      { text: 'Emil', category: 'participant' },
      { text: 'Hege', category: 'person' },
      { text: 'Kristin', category: 'person' },
      { text: 'Bjørn', category: 'person' },
      { text: 'Lars', category: 'person' },
      { text: 'Storøya', category: 'place' },
      { text: 'Storøya Frakt', category: 'workplace' },
      { text: 'Storøya sykehjem', category: 'workplace' },
      { text: 'NAV Sjøvik', category: 'workplace' },
      { text: 'Kaikanten arbeidssenter', category: 'workplace' },
      { text: '22 år', category: 'age' },
      { text: '3. mars', category: 'date' },
      { text: '10. april', category: 'date' },
    ],
    words: { min: 1100, max: 1800 },
  },
  {
    id: 'case1-fieldnotes',
    file: 'case-1-feltnotater.txt',
    format: 'txt',
    event: { kind: 'case-study', number: 1 },
    language: 'nb',
    staffLabels: ['Forsker'],
    participants: [{ pseudonym: 'Case-1', firstName: 'Sander', role: 'case' }],
    identifiers: [
      { text: 'Sander', category: 'participant' },
      { text: 'Tuva', category: 'person' },
      { text: 'Ragnhild', category: 'person' },
      { text: 'Åse', category: 'person' },
      { text: 'Sjøvik', category: 'place' },
      { text: 'Storøya legesenter', category: 'workplace' },
      { text: '9. april', category: 'date' },
      { text: '16. april', category: 'date' },
      { text: '30. april', category: 'date' },
    ],
    words: { min: 400, max: 800 },
  },
  {
    id: 'case2-fieldnotes',
    file: 'case-2-feltnotater.txt',
    format: 'txt',
    event: { kind: 'case-study', number: 2 },
    language: 'nb',
    staffLabels: ['Forsker'],
    participants: [{ pseudonym: 'Case-2', firstName: 'Emil', role: 'case' }],
    identifiers: [
      { text: 'Emil', category: 'participant' },
      { text: 'Kristin', category: 'person' },
      { text: 'Lars', category: 'person' },
      { text: 'Storøya legesenter', category: 'workplace' },
      { text: 'Kaikanten arbeidssenter', category: 'workplace' },
      { text: '24. februar', category: 'date' },
      { text: '3. mars', category: 'date' },
      { text: '12. april', category: 'date' },
    ],
    words: { min: 400, max: 800 },
  },
];
