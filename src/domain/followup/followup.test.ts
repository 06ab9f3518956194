import { describe, expect, it } from 'vitest';
import { foldIcsLine, toIcs } from './ics.js';
import { ICPC2 } from '@navikt/diagnosekoder';
import { consultationNoteText, DEPRESSION_ICPC2, suggestFeeCodes, TALKING_THERAPY_CODE } from './note.js';
import {
  checklistProblems,
  CONTRAINDICATIONS,
  mayBeUnder18,
  moduleOfTalk,
  planFollowUps,
  suitability,
} from './plan.js';

describe('follow-up plan', () => {
  it('plans five 20-minute follow-ups, one after each module, about every 14 days, on weekdays', () => {
    const plan = planFollowUps('guided', new Date('2026-11-23T09:00:00Z'));
    expect(plan.map((p) => p.moduleId)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    expect(plan.every((p) => p.durationMinutes === 20)).toBe(true);
    expect(plan.every((p) => p.plannedAt.getUTCDay() >= 1 && p.plannedAt.getUTCDay() <= 5)).toBe(true);
    const gaps = plan
      .slice(1)
      .map((p, i) => (p.plannedAt.getTime() - plan[i]!.plannedAt.getTime()) / 86_400_000);
    expect(gaps.every((g) => g >= 12 && g <= 16)).toBe(true);
  });

  it('plans brief check-ins for minimal contact, and one at the end when self-guided', () => {
    expect(planFollowUps('minimal', new Date('2026-11-23T09:00:00Z'))).toHaveLength(3);
    expect(planFollowUps('self', new Date('2026-11-23T09:00:00Z'))).toHaveLength(1);
  });

  it('asks for a decision when the PHQ-9 is severe or item 9 is positive; advises more talks at 15-19', () => {
    expect(suitability({ total: 14, item9: 0 })).toEqual({ level: 'ok', advice: [] });
    expect(suitability({ total: 15, item9: 0 })).toEqual({ level: 'ok', advice: ['see_more_often'] });
    expect(suitability({ total: 19, item9: 0 })).toEqual({ level: 'ok', advice: ['see_more_often'] });
    expect(suitability({ total: 20, item9: 0 })).toEqual({
      level: 'needs_decision',
      reasons: ['severe'],
      advice: [],
    });
    expect(suitability({ total: 8, item9: 1 })).toEqual({
      level: 'needs_decision',
      reasons: ['item9_positive'],
      advice: [],
    });
    expect(suitability(null)).toEqual({ level: 'no_baseline', advice: [] });
  });

  it('asks for a reason to go ahead for every contraindication present, and never lets a minor pass unasked', () => {
    const now = new Date('2026-12-04T10:00:00Z');
    expect(mayBeUnder18(2008, now)).toBe(true); // 17 or 18 this year
    expect(mayBeUnder18(2007, now)).toBe(false);
    expect(checklistProblems([], { birthYear: 1980, now })).toEqual([]);
    expect(
      checklistProblems(
        [
          { item: 'bipolar', reasonToProceed: 'Stable for 6 years on lithium; psychiatrist agrees.' },
          { item: 'substance_misuse', reasonToProceed: '  ' },
        ],
        { birthYear: 1980, now }
      )
    ).toEqual([
      {
        field: 'contraindications[1].reasonToProceed',
        reason: 'is required: record why the program is still the right step',
      },
    ]);
    expect(checklistProblems([], { birthYear: 2009, now })).toEqual([
      {
        field: 'contraindications',
        reason: 'must include under_18: the birth year shows the patient may be under 18',
      },
    ]);
    expect(
      checklistProblems(
        [
          { item: 'psychosis', reasonToProceed: 'x' },
          { item: 'psychosis', reasonToProceed: 'y' },
        ],
        { birthYear: 1980, now }
      )
    ).toEqual([{ field: 'contraindications[1].item', reason: 'is listed twice' }]);
    expect(CONTRAINDICATIONS).toHaveLength(5);
  });
});

describe('the note names its fee codes, and P76 with talking therapy', () => {
  const note = {
    discussed: 'Sleep',
    plan: 'Module 2',
    nextStep: 'Diary',
    mode: 'in_person' as const,
    durationMinutes: 20,
    sickLeave: { status: 'none' as const, percent: null, from: null, to: null },
  };
  const ctx = {
    moduleNumber: 1,
    moduleTitle: 'Følelser og tanker',
    phq9: null,
    baselinePhq9: null,
    patientAgenda: null,
    nextFollowUpAt: null,
  };
  it('lists the ticked codes once, and adds ICPC-2 P76 when talking therapy (615) is billed', () => {
    const text = consultationNoteText(note, { ...ctx, feeCodes: ['2ad', '615', '615'] }, 'nb');
    expect(text).toContain('Takster: 2ad, 615.');
    expect(text).toContain('Diagnose: ICPC-2 P76 Depressiv lidelse.');
    const without = consultationNoteText(note, { ...ctx, feeCodes: ['2ad'] }, 'nb');
    expect(without).not.toContain('P76');
    expect(consultationNoteText(note, ctx, 'nb')).not.toContain('Takster');
  });

  it('names P76 as the Norwegian ICPC-2 list does', () => {
    expect(ICPC2.find((c) => c.code === DEPRESSION_ICPC2.code)?.text).toBe(DEPRESSION_ICPC2.text.nb);
    expect(TALKING_THERAPY_CODE).toBe('615');
  });
});

describe('the module a talk is about', () => {
  const order = ['m1', 'm2', 'm3', 'm4', 'm5'] as const;
  it('never names a module the patient has not completed', () => {
    expect(moduleOfTalk('m2', ['m1'], order)).toBe('m1');
    expect(moduleOfTalk('m2', ['m1', 'm2'], order)).toBe('m2');
    expect(moduleOfTalk('m2', ['m1', 'm2', 'm3'], order)).toBe('m2');
    expect(moduleOfTalk('m1', [], order)).toBeNull();
    expect(moduleOfTalk(null, ['m1', 'm2'], order)).toBe('m2');
    expect(moduleOfTalk(null, [], order)).toBeNull();
  });
});

describe('iCalendar export', () => {
  it('writes valid CRLF lines folded at 75 octets, with nothing about health in the events', () => {
    const ics = toIcs(
      [
        {
          uid: 'a1',
          start: new Date('2026-12-07T08:00:00Z'),
          durationMinutes: 20,
          summary: 'Time hos fastlegen, Fjordlia legesenter',
        },
      ],
      new Date('2026-11-23T10:00:00Z'),
      'Oppfølging'
    );
    expect(ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(ics).toContain('DTSTART:20261207T080000Z\r\n');
    expect(ics).toContain('DURATION:PT20M');
    expect(ics).toContain('SUMMARY:Time hos fastlegen\\, Fjordlia legesenter');
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(ics).not.toMatch(/depres|PHQ|KAT|CBT|modul/i);
  });

  it('folds without splitting a Norwegian character', () => {
    const folded = foldIcsLine(`SUMMARY:${'æøå'.repeat(40)}`);
    expect(folded.split('\r\n ').join('')).toBe(`SUMMARY:${'æøå'.repeat(40)}`);
  });
});

describe('consultation note', () => {
  const note = {
    discussed: 'Søvn og jobbmøter',
    plan: 'Fortsette med modul 2',
    nextStep: 'Tankeskjema to ganger',
    mode: 'in_person' as const,
    durationMinutes: 20,
    sickLeave: { status: 'graded' as const, percent: 50, from: '2026-11-01', to: '2026-11-30' },
  };
  const ctx = {
    moduleNumber: 1,
    moduleTitle: 'Følelser og tanker',
    phq9: { total: 12, severity: 'moderate', item9: 0 },
    baselinePhq9: 16,
    patientAgenda: 'Jeg sover dårlig',
    nextFollowUpAt: new Date('2026-12-07T08:00:00Z'),
  };

  it('writes a note ready to paste, in Norwegian and English', () => {
    const nb = consultationNoteText(note, ctx, 'nb');
    expect(nb).toContain('etter modul 1 (Følelser og tanker), 20 min, oppmøte');
    expect(nb).toContain('PHQ-9: 12 (moderate plager) (ved start 16, −4). Spørsmål 9: 0.');
    expect(nb).toContain('Arbeid: gradert sykmeldt 50 % fra 01.11.2026 til 30.11.2026.');
    expect(nb).toContain('Neste oppfølging: 07.12.2026 kl. 09:00.');
    const en = consultationNoteText(note, ctx, 'en');
    expect(en).toContain('Work: graded sick leave 50% from 01/11/2026 to 30/11/2026.');
  });

  it('suggests fee codes from how and how long the consultation was', () => {
    expect(suggestFeeCodes({ mode: 'in_person', durationMinutes: 20 }, true).map((c) => c.code)).toEqual([
      '2ad',
      '615',
      '617',
    ]);
    expect(suggestFeeCodes({ mode: 'video', durationMinutes: 30 }, false).map((c) => c.code)).toEqual([
      '2ae',
      '615',
      '2cd',
    ]);
    expect(suggestFeeCodes({ mode: 'phone', durationMinutes: 10 }, false).map((c) => c.code)).toEqual([
      '2ae',
    ]);
  });
});

describe('Norwegian days for the worklist', () => {
  it('puts 00:30 Oslo time on the Oslo day, in winter and in summer', async () => {
    const { osloDayBounds } = await import('./oslo-time.js');
    // Tuesday 1 December 2026, 00:30 in Oslo = 23:30 UTC on Monday 30 November.
    const winter = osloDayBounds(new Date('2026-11-30T23:30:00Z'));
    expect(winter.startOfToday.toISOString()).toBe('2026-11-30T23:00:00.000Z');
    expect(winter.endOfToday.toISOString()).toBe('2026-12-01T23:00:00.000Z');
    expect(winter.endOfWeek.toISOString()).toBe('2026-12-06T23:00:00.000Z'); // Monday 7 Dec, 00:00 Oslo
    // Summer: Wednesday 1 July 2026, 00:30 in Oslo = 22:30 UTC on 30 June.
    const summer = osloDayBounds(new Date('2026-06-30T22:30:00Z'));
    expect(summer.startOfToday.toISOString()).toBe('2026-06-30T22:00:00.000Z');
    expect(summer.endOfWeek.toISOString()).toBe('2026-07-05T22:00:00.000Z');
  });
});
