/**
 * What a GP records to close an urgent case: how the patient was contacted, their assessment and
 * the plan, in plain words. Opening a page never closes a case; this record does, and it goes into
 * the next consultation note. The platform records what a person did; it never grades risk.
 */
import type { Locale } from '../instruments/phq9.js';

export const URGENT_CONTACTS = [
  'reached_phone',
  'reached_video',
  'seen_in_person',
  'tried_no_answer',
  'not_contacted',
] as const;
export type UrgentContact = (typeof URGENT_CONTACTS)[number];

export const URGENT_CONTACT_LABELS: Readonly<Record<UrgentContact, Record<Locale, string>>> = {
  reached_phone: { nb: 'snakket med pasienten på telefon', en: 'spoke with the patient by phone' },
  reached_video: { nb: 'snakket med pasienten på video', en: 'spoke with the patient by video' },
  seen_in_person: { nb: 'så pasienten på kontoret', en: 'saw the patient in person' },
  tried_no_answer: { nb: 'prøvde å nå pasienten, uten svar', en: 'tried to reach the patient, no answer' },
  not_contacted: {
    nb: 'tok ikke kontakt (begrunnet under)',
    en: 'did not contact the patient (reason below)',
  },
};

export const URGENT_TEXT_MAX = 2000;

export interface UrgentCaseRecord {
  contact: UrgentContact;
  assessment: string;
  plan: string;
}

/** Field problems with a closing record (empty when it may close the case). */
export function urgentRecordProblems(record: UrgentCaseRecord): { field: string; reason: string }[] {
  const problems: { field: string; reason: string }[] = [];
  if (!record.assessment.trim())
    problems.push({ field: 'assessment', reason: 'is required: what you assessed' });
  if (!record.plan.trim()) problems.push({ field: 'plan', reason: 'is required: what happens next' });
  return problems;
}

/** The case as a line for the consultation note. */
export function urgentCaseNoteLine(
  c: UrgentCaseRecord & { openedAt: Date; item9Max: number },
  locale: Locale,
  formatDate: (d: Date) => string
): string {
  const nb = locale === 'nb';
  return nb
    ? `Hastesak ${formatDate(c.openedAt)} (PHQ-9 spørsmål 9: ${c.item9Max}): ${URGENT_CONTACT_LABELS[c.contact].nb}. Vurdering: ${c.assessment.trim()} Plan: ${c.plan.trim()}`
    : `Urgent case ${formatDate(c.openedAt)} (PHQ-9 item 9: ${c.item9Max}): ${URGENT_CONTACT_LABELS[c.contact].en}. Assessment: ${c.assessment.trim()} Plan: ${c.plan.trim()}`;
}
