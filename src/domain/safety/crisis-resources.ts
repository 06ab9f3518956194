/**
 * Norwegian crisis resources shown wherever risk is shown (PHQ-9 item 9 above 0).
 *
 * These live in the domain layer so the browser bundle carries them: the safety panel must render
 * from code already loaded, even when the server cannot be reached (security-requirements R-K1).
 * The product shows resources and the patient's own answers; it never grades suicide risk (R-K5).
 * Sources: docs/clinical/crisis-resources.md.
 */

export interface CrisisResource {
  id: 'emergency' | 'legevakt' | 'mental-helse' | 'kirkens-sos';
  /** The number as it is written in Norway, for display. */
  display: string;
  /** E.164-free dialable digits for a `tel:` link. */
  dial: string;
  name: { nb: string; en: string };
  when: { nb: string; en: string };
}

export const CRISIS_RESOURCES: readonly CrisisResource[] = [
  {
    id: 'emergency',
    display: '113',
    dial: '113',
    name: { nb: 'Medisinsk nødtelefon', en: 'Medical emergency' },
    when: { nb: 'Ring 113 hvis du er i akutt fare.', en: 'Call 113 if you are in immediate danger.' },
  },
  {
    id: 'legevakt',
    display: '116 117',
    dial: '116117',
    name: { nb: 'Legevakt', en: 'Out-of-hours medical service (legevakt)' },
    when: {
      nb: 'Når du trenger lege raskt og fastlegen ikke er tilgjengelig.',
      en: 'When you need a doctor quickly and your GP is not available.',
    },
  },
  {
    id: 'mental-helse',
    display: '116 123',
    dial: '116123',
    name: { nb: 'Mental Helse hjelpetelefon', en: 'Mental Helse helpline' },
    when: {
      nb: 'Døgnåpen, gratis samtale med noen som lytter.',
      en: 'Open day and night, free, someone who listens.',
    },
  },
  {
    id: 'kirkens-sos',
    display: '22 40 00 40',
    dial: '22400040',
    name: { nb: 'Kirkens SOS', en: 'Kirkens SOS crisis line' },
    when: { nb: 'Døgnåpen krisetelefon.', en: 'Crisis line, open day and night.' },
  },
];

/** Advice shown with the resources: the GP should hear about it the same day. */
export const CONTACT_GP_SAME_DAY = {
  nb: 'Kontakt fastlegen din i dag. Tjenesten følges ikke med døgnet rundt, og svarene dine leses av fastlegen i arbeidstiden.',
  en: 'Contact your GP today. This service is not monitored around the clock; your GP reads your answers during working hours.',
} as const;
