/**
 * The consultation note the GP pastes into the electronic patient record, built from the
 * structured note, and the fee codes that may apply, shown as suggestions for the GP to confirm
 * (sources: docs/clinical/fee-codes.md). Nothing here is sent anywhere; the GP copies the text.
 */
import type { Locale } from '../instruments/phq9.js';
import { urgentCaseNoteLine, type UrgentCaseRecord } from '../safety/urgent-case.js';

export type SickLeaveStatus = 'none' | 'graded' | 'full';

export interface StructuredNote {
  discussed: string;
  plan: string;
  nextStep: string;
  mode: 'in_person' | 'video' | 'phone';
  durationMinutes: number;
  sickLeave: { status: SickLeaveStatus; percent: number | null; from: string | null; to: string | null };
}

export interface NoteContext {
  moduleNumber: number | null;
  moduleTitle: string | null;
  phq9: { total: number; severity: string; item9: number } | null;
  baselinePhq9: number | null;
  patientAgenda: string | null;
  nextFollowUpAt: Date | null;
  /** The fee codes the GP ticked: the note names them, so the copied text is what the GP saw. */
  feeCodes?: readonly string[];
  /** Urgent cases closed since the last note, with what the GP recorded. */
  urgentCases?: readonly (UrgentCaseRecord & { openedAt: Date; item9Max: number })[];
}

const SEVERITY: Record<Locale, Record<string, string>> = {
  nb: {
    minimal: 'minimale',
    mild: 'milde', // the same word as the band on the screens ("Milde plager")
    moderate: 'moderate',
    moderately_severe: 'moderat alvorlige',
    severe: 'alvorlige',
  },
  en: {
    minimal: 'minimal',
    mild: 'mild',
    moderate: 'moderate',
    moderately_severe: 'moderately severe',
    severe: 'severe',
  },
};

function date(d: string | Date, locale: Locale): string {
  const value = typeof d === 'string' ? new Date(`${d}T12:00:00Z`) : d;
  return value.toLocaleDateString(locale === 'nb' ? 'nb-NO' : 'en-GB', {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    timeZone: 'Europe/Oslo',
  });
}

function time(d: Date, locale: Locale): string {
  return d.toLocaleTimeString(locale === 'nb' ? 'nb-NO' : 'en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Oslo',
  });
}

export function consultationNoteText(note: StructuredNote, ctx: NoteContext, locale: Locale): string {
  const nb = locale === 'nb';
  const lines: string[] = [];
  const mode = { in_person: nb ? 'oppmøte' : 'in person', video: 'video', phone: nb ? 'telefon' : 'phone' }[
    note.mode
  ];
  const module = ctx.moduleNumber
    ? nb
      ? ` etter modul ${ctx.moduleNumber} (${ctx.moduleTitle})`
      : ` after module ${ctx.moduleNumber} (${ctx.moduleTitle})`
    : '';
  lines.push(
    nb
      ? `Oppfølging av veiledet nettbasert KAT for depresjon${module}, ${note.durationMinutes} min, ${mode}.`
      : `Follow-up of guided internet CBT for depression${module}, ${note.durationMinutes} min, ${mode}.`
  );
  if (ctx.phq9) {
    const change =
      ctx.baselinePhq9 !== null
        ? ` (${nb ? 'ved start' : 'baseline'} ${ctx.baselinePhq9}, ${ctx.phq9.total - ctx.baselinePhq9 >= 0 ? '+' : '−'}${Math.abs(ctx.phq9.total - ctx.baselinePhq9)})`
        : '';
    lines.push(
      nb
        ? `PHQ-9: ${ctx.phq9.total} (${SEVERITY.nb[ctx.phq9.severity] ?? ctx.phq9.severity} plager)${change}. Spørsmål 9: ${ctx.phq9.item9}.`
        : `PHQ-9: ${ctx.phq9.total} (${SEVERITY.en[ctx.phq9.severity] ?? ctx.phq9.severity} symptoms)${change}. Item 9: ${ctx.phq9.item9}.`
    );
  }
  for (const c of ctx.urgentCases ?? []) lines.push(urgentCaseNoteLine(c, locale, (d) => date(d, locale)));
  if (ctx.patientAgenda) lines.push(`${nb ? 'Pasientens tema' : "Patient's agenda"}: ${ctx.patientAgenda}`);
  if (note.discussed.trim()) lines.push(`${nb ? 'Tema' : 'Discussed'}: ${note.discussed.trim()}`);
  if (note.plan.trim()) lines.push(`${nb ? 'Plan' : 'Plan'}: ${note.plan.trim()}`);
  if (note.nextStep.trim()) lines.push(`${nb ? 'Neste steg' : 'Next step'}: ${note.nextStep.trim()}`);
  const sl = note.sickLeave;
  if (sl.status === 'none') lines.push(nb ? 'Arbeid: ikke sykmeldt.' : 'Work: not on sick leave.');
  else {
    const period = sl.from
      ? ` ${nb ? 'fra' : 'from'} ${date(sl.from, locale)}${sl.to ? ` ${nb ? 'til' : 'to'} ${date(sl.to, locale)}` : ''}`
      : '';
    lines.push(
      sl.status === 'full'
        ? `${nb ? 'Arbeid: 100 % sykmeldt' : 'Work: on full sick leave'}${period}.`
        : `${nb ? `Arbeid: gradert sykmeldt ${sl.percent ?? '?'} %` : `Work: graded sick leave ${sl.percent ?? '?'}%`}${period}.`
    );
  }
  const codes = [...new Set(ctx.feeCodes ?? [])];
  if (codes.length > 0) {
    lines.push(`${nb ? 'Takster' : 'Fee codes'}: ${codes.join(', ')}.`);
    // Talking therapy (615) is billed with the diagnosis it treats.
    if (codes.includes(TALKING_THERAPY_CODE)) {
      lines.push(
        `${nb ? 'Diagnose' : 'Diagnosis'}: ICPC-2 ${DEPRESSION_ICPC2.code} ${DEPRESSION_ICPC2.text[locale]}.`
      );
    }
  }
  if (ctx.nextFollowUpAt) {
    lines.push(
      nb
        ? `Neste oppfølging: ${date(ctx.nextFollowUpAt, locale)} kl. ${time(ctx.nextFollowUpAt, locale)}.`
        : `Next follow-up: ${date(ctx.nextFollowUpAt, locale)} at ${time(ctx.nextFollowUpAt, locale)}.`
    );
  }
  return lines.join('\n');
}

/** Samtaleterapi ved psykisk lidelse (see docs/clinical/fee-codes.md). */
export const TALKING_THERAPY_CODE = '615';
/** ICPC-2 P76, as @navikt/diagnosekoder names it (checked in followup.test.ts). */
export const DEPRESSION_ICPC2 = {
  code: 'P76',
  text: { nb: 'Depressiv lidelse', en: 'Depressive disorder' },
} as const;

export interface FeeCodeSuggestion {
  code: string;
  why: { nb: string; en: string };
}

/** Codes that may apply; the GP confirms each one. Combination rules change yearly: see the docs. */
export function suggestFeeCodes(
  note: Pick<StructuredNote, 'mode' | 'durationMinutes'>,
  phq9Reviewed: boolean
): FeeCodeSuggestion[] {
  const codes: FeeCodeSuggestion[] = [];
  if (note.mode === 'in_person')
    codes.push({
      code: '2ad',
      why: { nb: 'Konsultasjon hos allmennlege (dagtid).', en: 'GP consultation (daytime).' },
    });
  else
    codes.push({
      code: '2ae',
      why: { nb: 'E-konsultasjon (video eller telefon).', en: 'E-consultation (video or phone).' },
    });
  if (note.durationMinutes >= 15) {
    codes.push({
      code: '615',
      why: {
        nb: 'Samtaleterapi ved psykisk lidelse, minst 15 minutter, terapeutisk samtale.',
        en: 'Talking therapy for a mental disorder, at least 15 minutes, therapeutic conversation.',
      },
    });
  }
  if (note.durationMinutes > 20) {
    codes.push({
      code: '2cd',
      why: {
        nb: 'Tillegg for konsultasjon utover 20 minutter.',
        en: 'Supplement for a consultation longer than 20 minutes.',
      },
    });
  }
  if (phq9Reviewed) {
    codes.push({
      code: '617',
      why: {
        nb: 'Bruk av kartleggingsskjema ved psykisk lidelse (PHQ-9 gjennomgått).',
        en: 'Use of a mapping form for a mental disorder (PHQ-9 reviewed).',
      },
    });
  }
  return codes;
}
