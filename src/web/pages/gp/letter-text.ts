/**
 * The printed invitation, in Norwegian or English whatever the screen language: the GP picks the
 * patient's language. Kept here (not in the UI catalogs) because it is a document, not UI, and
 * only the GP face needs it. Crisis numbers come from the same domain constants as everywhere.
 */
import type { GuidanceLevel } from '../../../domain/followup/plan.js';

type Text = { nb: string; en: string };

export const LETTER: {
  title: Text;
  greeting: (name: string) => Text;
  recommends: (gp: string) => Text;
  whatHeading: Text;
  what: Text;
  whyHeading: Text;
  why: Text;
  howHeading: Text;
  how: Record<GuidanceLevel, Text[]>;
  startHeading: Text;
  steps: (address: string) => Text[];
  codeLabel: Text;
  validUntil: (date: string) => Text;
  singleUse: Text;
  privacy: Text;
  safetyHeading: Text;
  safety: Text;
  fromGp: (gp: string, practice: string) => Text;
} = {
  title: {
    nb: 'Invitasjon til nettbehandling for depresjon',
    en: 'Invitation to online treatment for depression',
  },
  greeting: (name) => ({ nb: `Hei ${name},`, en: `Dear ${name},` }),
  recommends: (gp) => ({
    nb: `${gp} anbefaler deg et nettbasert behandlingsprogram for lette til moderate depresjonsplager, med oppfølging hos fastlegen.`,
    en: `${gp} recommends an online treatment programme for mild to moderate depression, with follow-up from your GP.`,
  }),
  whatHeading: { nb: 'Hva er programmet?', en: 'What is the programme?' },
  what: {
    nb: 'Programmet bygger på kognitiv atferdsterapi (KAT). Det har fem moduler på 20–30 minutter som du gjør hjemme, på PC, nettbrett eller mobil, i ditt eget tempo.',
    en: 'The programme is based on cognitive behavioural therapy (CBT). It has five modules of 20–30 minutes that you do at home, on a computer, tablet or phone, at your own pace.',
  },
  whyHeading: { nb: 'Hvorfor kan det hjelpe?', en: 'Why can it help?' },
  why: {
    nb: 'Du lærer å se sammenhengen mellom tanker, følelser og det du gjør, og prøver små, konkrete ting i hverdagen. Veiledet nettbasert KAT har god dokumentert effekt ved lett til moderat depresjon, særlig når fastlegen følger med underveis.',
    en: 'You learn to see how thoughts, feelings and what you do affect each other, and try small, concrete steps in everyday life. Guided internet-based CBT works well for mild to moderate depression, especially when your GP follows you along the way.',
  },
  howHeading: { nb: 'Slik følger fastlegen deg opp', en: 'How your GP follows you up' },
  how: {
    guided: [
      {
        nb: 'En kort samtale (ca. 20 minutter) med fastlegen etter hver modul, omtrent annenhver uke.',
        en: 'A short talk (about 20 minutes) with your GP after each module, about every second week.',
      },
      {
        nb: 'Før hver samtale svarer du på noen spørsmål om hvordan du har det, og skriver hva du vil snakke om.',
        en: 'Before each talk you answer a few questions about how you are and write what you want to talk about.',
      },
    ],
    minimal: [
      {
        nb: 'Korte samtaler med fastlegen etter 2, 6 og 10 uker.',
        en: 'Short talks with your GP after 2, 6 and 10 weeks.',
      },
      {
        nb: 'Underveis svarer du på noen spørsmål om hvordan du har det, som fastlegen ser.',
        en: 'Along the way you answer a few questions about how you are, which your GP sees.',
      },
    ],
    self: [
      {
        nb: 'Du gjør programmet på egen hånd, og har en samtale med fastlegen etter omtrent 10 uker.',
        en: 'You do the programme on your own, with a talk with your GP after about 10 weeks.',
      },
      {
        nb: 'Underveis svarer du på noen spørsmål om hvordan du har det, som fastlegen ser.',
        en: 'Along the way you answer a few questions about how you are, which your GP sees.',
      },
    ],
  },
  startHeading: { nb: 'Slik kommer du i gang', en: 'How to start' },
  steps: (address) => [
    { nb: `Gå til ${address}`, en: `Go to ${address}` },
    { nb: 'Skriv inn koden nedenfor.', en: 'Type the code below.' },
    {
      nb: 'Velg ditt eget passord (minst 12 tegn). Så er du logget inn og kan starte.',
      en: 'Choose your own password (at least 12 characters). Then you are signed in and can start.',
    },
  ],
  codeLabel: { nb: 'Din kode', en: 'Your code' },
  validUntil: (date) => ({ nb: `Gyldig til og med ${date}.`, en: `Valid until ${date}.` }),
  singleUse: {
    nb: 'Koden kan bare brukes én gang. Har den gått ut, får du en ny hos fastlegen.',
    en: 'The code can be used once. If it has expired, ask your GP for a new one.',
  },
  privacy: {
    nb: 'Svarene dine lagres sikkert. Bare du og fastlegen din ser dem, og du bestemmer selv hva du deler fra arbeidsboken.',
    en: 'Your answers are stored securely. Only you and your GP see them, and you decide what you share from your workbook.',
  },
  safetyHeading: { nb: 'Hvis du får det verre', en: 'If you feel worse' },
  safety: {
    nb: 'Tjenesten følges ikke med døgnet rundt. Fastlegen ser svarene dine i arbeidstiden. Svarer du at du har tanker om å skade deg selv, får legekontoret beskjed med en gang og følger det opp samme arbeidsdag. Trenger du hjelp raskt, ring:',
    en: 'This service is not monitored around the clock. Your GP sees your answers in working hours. If you answer that you have thoughts of hurting yourself, the practice is told at once and follows it up the same working day. If you need help quickly, call:',
  },
  fromGp: (gp, practice) => ({
    nb: `Vennlig hilsen ${gp}${practice ? `, ${practice}` : ''}`,
    en: `Kind regards, ${gp}${practice ? `, ${practice}` : ''}`,
  }),
};

/** The printed follow-up plan for the patient. */
export const PLAN_TEXT: {
  title: Text;
  intro: (name: string) => Text;
  date: Text;
  time: Text;
  length: Text;
  topic: Text;
  module: (number: number) => Text;
  checkIn: Text;
  minutes: (n: number) => Text;
  before: Text;
  footer: Text;
} = {
  title: { nb: 'Dine samtaler med fastlegen', en: 'Your talks with your GP' },
  intro: (name) => ({
    nb: `Plan for ${name}. Ta med notatene dine fra programmet. Passer ikke en tid, ring legekontoret.`,
    en: `Plan for ${name}. Bring your notes from the programme. If a time does not suit you, call the practice.`,
  }),
  date: { nb: 'Dato', en: 'Date' },
  time: { nb: 'Klokkeslett', en: 'Time' },
  length: { nb: 'Varighet', en: 'Length' },
  topic: { nb: 'Tema', en: 'Topic' },
  module: (number) => ({ nb: `Etter modul ${number}`, en: `After module ${number}` }),
  checkIn: { nb: 'Hvordan det går', en: 'How things are going' },
  minutes: (n) => ({ nb: `${n} min`, en: `${n} min` }),
  before: {
    nb: 'En til to dager før hver samtale ber programmet deg svare på PHQ-9 og skrive hva du vil snakke om.',
    en: 'One or two days before each talk the programme asks you to answer the PHQ-9 and write what you want to talk about.',
  },
  footer: {
    nb: 'Tjenesten følges ikke med døgnet rundt. Akutt hjelp: 113. Legevakt: 116 117.',
    en: 'This service is not monitored around the clock. Emergency: 113. Out-of-hours doctor: 116 117.',
  },
};
