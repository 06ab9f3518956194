/**
 * The note names a PHQ-9 band with the same word the screens use (issue section 6: the note said
 * "lette plager" where every screen said "Milde plager").
 */
import { describe, expect, it } from 'vitest';
import en from '../../web/i18n/locales/en.json' with { type: 'json' };
import nb from '../../web/i18n/locales/nb.json' with { type: 'json' };
import { consultationNoteText } from './note.js';

const note = {
  discussed: 'Søvn',
  plan: 'Modul 2',
  nextStep: 'Tankeskjema',
  mode: 'in_person' as const,
  durationMinutes: 20,
  sickLeave: { status: 'none' as const, percent: null, from: null, to: null },
};
const ctx = (severity: string) => ({
  moduleNumber: 1,
  moduleTitle: 'Følelser og tanker',
  phq9: { total: 7, severity, item9: 0 },
  baselinePhq9: null,
  patientAgenda: null,
  nextFollowUpAt: null,
});

describe('severity words in the note', () => {
  for (const [language, catalog] of [
    ['nb', nb],
    ['en', en],
  ] as const) {
    it(`match the band labels on the screens (${language})`, () => {
      for (const [band, label] of Object.entries(catalog.severity)) {
        expect(consultationNoteText(note, ctx(band), language)).toContain(`(${label.toLowerCase()})`);
      }
    });
  }
});
