import type { Questionnaire } from 'fhir/r4.js';
import { describe, expect, it } from 'vitest';
import type { SurveyDataset, SurveyResponseRecord } from '../dataset.js';
import { EXPORT_FIXTURE_QUESTIONNAIRE, nastyDataset } from './fixtures.js';
import {
  NOT_SHOWN,
  NO_ANSWER,
  buildExportTable,
  formatDateTime,
  formatNumber,
  normalizeText,
  type ExportCell,
  type ExportTable,
} from './model.js';

function cell(table: ExportTable, row: number, column: string): ExportCell {
  const index = table.variables.findIndex((v) => v.column === column);
  if (index < 0) throw new Error(`no column ${column}`);
  return table.rows[row]![index]!;
}

function variable(table: ExportTable, column: string) {
  const v = table.variables.find((x) => x.column === column);
  if (!v) throw new Error(`no column ${column}`);
  return v;
}

describe('numbers, times and text as exported', () => {
  it('writes numbers without exponents, with the shortest round-trip digits', () => {
    expect(formatNumber(1e-7)).toBe('0.0000001');
    expect(formatNumber(-1.5e-10)).toBe('-0.00000000015');
    expect(formatNumber(1e21)).toBe('1000000000000000000000');
    expect(formatNumber(1.2345e25)).toBe('12345000000000000000000000');
    expect(formatNumber(123.456)).toBe('123.456');
    expect(formatNumber(-0)).toBe('0');
    expect(() => formatNumber(NaN)).toThrow();
  });

  it('writes times as UTC YYYY-MM-DD HH:MM:SS', () => {
    expect(formatDateTime('2026-09-01T14:30:45.123+02:00')).toBe('2026-09-01 12:30:45');
    expect(formatDateTime('not a time')).toBeUndefined();
  });

  it('normalises line breaks to LF and drops what no program keeps', () => {
    expect(normalizeText('a\r\nb\rc\nd')).toBe('a\nb\nc\nd');
    expect(normalizeText('nul\0x')).toBe('nul\uFFFDx');
    expect(normalizeText('lone \uD800 surrogate, pair 😀')).toBe('lone \uFFFD surrogate, pair 😀');
  });
});

describe('the nasty dataset, long form', () => {
  const table = buildExportTable(nastyDataset());

  it('tells "not shown" (empty) from "no answer" (the code)', () => {
    // r2 (row 1) has no nurse: nurse-tasks is disabled by branching.
    expect(cell(table, 1, 'nurse-tasks__followup')).toBe(NOT_SHOWN);
    // r3 (row 2) did not answer has-nurse: shown, unanswered; its nurse-tasks is then not shown.
    expect(cell(table, 2, 'has-nurse')).toBe(NO_ANSWER);
    expect(cell(table, 2, 'nurse-tasks__groups')).toBe(NOT_SHOWN);
    // r3 has 41 years: the whole "digital" group (years < 40) is not shown.
    expect(cell(table, 2, 'icbt-known__program-a')).toBe(NOT_SHOWN);
    expect(cell(table, 2, 'contact-ok')).toBe(NOT_SHOWN);
    // r2 ticked nothing in a shown tick-all item: no answer in every option column, and the
    // free-text column (applicable only with a free text) is empty.
    expect(cell(table, 1, 'icbt-known__program-a')).toBe(NO_ANSWER);
    expect(cell(table, 1, 'icbt-known__other')).toBe(NOT_SHOWN);
    // referral-place is shown when last-referral is answered (`exists`).
    expect(cell(table, 0, 'referral-place')).toBe('=HYPERLINK("http://example.invalid","klikk")');
    expect(cell(table, 1, 'referral-place')).toBe(NOT_SHOWN);
    expect(table.noAnswerCode).toBe('-99');
  });

  it('codes choices: integer codes kept, text codes 1..k, data-only codes after, _other last', () => {
    expect(variable(table, 'phq-use').categories.map((c) => [c.code, c.value])).toEqual([
      ['0', 0],
      ['1', 1],
      ['2', 2],
      ['3', 3],
      ['-1', -1],
    ]);
    // "weekly" was answered but is not among this version's options: it follows them.
    expect(
      variable(table, 'talk-therapy').categories.map((c) => [c.code, c.value, c.origin, c.label.en])
    ).toEqual([
      ['never', 1, 'option', 'Never'],
      ['sometimes', 2, 'option', 'Sometimes'],
      ['often', 3, 'option', 'Often'],
      ['weekly', 4, 'data', 'weekly'],
    ]);
    expect(variable(table, 'barrier').categories.map((c) => [c.code, c.value])).toEqual([
      ['time', 1],
      ['training', 2],
      ['other-services', 3],
      ['_other', 4],
    ]);
    expect(cell(table, 1, 'barrier')).toBe('_other');
    expect(cell(table, 2, 'barrier')).toBe('training');
    expect(cell(table, 2, 'barrier__other')).toBe(NOT_SHOWN);
  });

  it('writes a tick-all item as 0/1 per option and joins its free texts', () => {
    expect(['followup', 'screening', 'groups'].map((c) => cell(table, 0, `nurse-tasks__${c}`))).toEqual([
      '1',
      '0',
      '1',
    ]);
    expect(cell(table, 0, 'icbt-known__other')).toBe('@mention, og komma');
    expect(variable(table, 'nurse-tasks__groups').label.en).toBe(
      'What does the nurse do for patients with depression? (tick all that apply): Group sessions'
    );
  });

  it('states branching in words, with the enclosing group', () => {
    expect(variable(table, 'barrier').condition).toEqual({
      nb: 'vises når talk-therapy = never (Aldri)',
      en: 'shown when talk-therapy = never (Never)',
    });
    expect(variable(table, 'contact-ok').condition?.en).toBe('shown when years < 40');
    expect(variable(table, 'referral-place').condition?.nb).toBe('vises når last-referral er besvart');
    expect(variable(table, 'comments').condition).toBeUndefined();
  });

  it('counts what it left out or could not use', () => {
    expect(table.counts.unknownItems).toEqual({ 'old-item': 1 });
    expect(table.counts.wrongType).toEqual({ minutes: 1 });
    expect(cell(table, 2, 'minutes')).toBe(NO_ANSWER);
    expect(table.counts.byWave).toEqual({ baseline: 4, '6m': 1 });
    // Display and read-only items get no column.
    expect(table.variables.some((v) => v.linkId === 'intro' || v.linkId === 'score-total')).toBe(false);
  });
});

describe('the nasty dataset, wide form', () => {
  const table = buildExportTable(nastyDataset(), { form: 'wide' });

  it('has one row per respondent key, waves in the order they started, anonymous rows last', () => {
    expect(table.waves).toEqual(['baseline', '6m']);
    expect(table.rows.map((r) => r[0])).toEqual(['p-001', 'p-002', 'p-003', NOT_SHOWN]);
    expect(cell(table, 0, 'response_id_baseline')).toBe('r1');
    expect(cell(table, 0, 'response_id_6m')).toBe('r4');
    expect(cell(table, 0, 'talk-therapy_6m')).toBe('weekly');
    // p-002 has no 6m response: every 6m column is empty.
    expect(cell(table, 1, 'status_6m')).toBe(NOT_SHOWN);
    expect(cell(table, 1, 'years_6m')).toBe(NOT_SHOWN);
    expect(cell(table, 3, 'response_id_baseline')).toBe('r5');
    expect(variable(table, 'talk-therapy_6m').name).toBe('talk_therapy_6m');
    expect(variable(table, 'talk-therapy_6m').label.en).toBe(
      '[6m] How often do you give talking therapy yourself?'
    );
  });

  it('keeps one response per respondent and wave: complete before partial, then the latest', () => {
    const dataset = nastyDataset();
    const r1 = dataset.responses[0]!;
    const extra: SurveyResponseRecord[] = [
      { ...r1, responseId: 'r1-partial-later', status: 'partial', updatedAt: '2026-03-05T00:00:00Z' },
      { ...r1, responseId: 'r1-complete-later', updatedAt: '2026-03-06T00:00:00Z' },
    ];
    const wide = buildExportTable(
      { ...dataset, responses: [...dataset.responses, ...extra] },
      { form: 'wide' }
    );
    expect(cell(wide, 0, 'response_id_baseline')).toBe('r1-complete-later');
    expect(wide.counts.duplicatesLeftOut).toBe(2);
  });
});

function oneItem(item: Questionnaire['item'], answers: SurveyResponseRecord['answers'][]): SurveyDataset {
  return {
    surveyId: 's',
    questionnaire: { resourceType: 'Questionnaire', status: 'active', version: '1', item },
    frame: [],
    responses: answers.map((a, i) => ({
      responseId: `x${i}`,
      wave: 'baseline',
      status: 'complete',
      updatedAt: '2026-01-01T00:00:00Z',
      questionnaireVersion: '1',
      answers: a,
    })),
  };
}

describe('edge cases', () => {
  it('moves the no-answer code away from real values: -99, then -999, then -9999', () => {
    const item: Questionnaire['item'] = [{ linkId: 'n', type: 'integer', text: 'n' }];
    expect(buildExportTable(oneItem(item, [{ n: [{ valueInteger: 5 }] }])).noAnswerCode).toBe('-99');
    expect(buildExportTable(oneItem(item, [{ n: [{ valueInteger: -99 }] }])).noAnswerCode).toBe('-999');
    const both = oneItem(item, [{ n: [{ valueInteger: -99 }] }, { n: [{ valueInteger: -999 }] }]);
    expect(buildExportTable(both).noAnswerCode).toBe('-9999');
    // A choice whose integer codes include -99 moves it too.
    const choice: Questionnaire['item'] = [
      {
        linkId: 'c',
        type: 'choice',
        answerOption: [{ valueCoding: { code: '-99' } }, { valueCoding: { code: '1' } }],
      },
    ];
    expect(buildExportTable(oneItem(choice, [{}])).noAnswerCode).toBe('-999');
  });

  it('writes a repeating non-choice item as numbered columns, as many as the most answers', () => {
    const item: Questionnaire['item'] = [{ linkId: 'drug', type: 'string', repeats: true, text: 'Medisin' }];
    const table = buildExportTable(
      oneItem(item, [
        { drug: [{ valueString: 'a' }, { valueString: 'b' }] },
        { drug: [{ valueString: 'c' }] },
        {},
      ])
    );
    expect(table.variables.slice(-2).map((v) => [v.column, v.name, v.label.nb])).toEqual([
      ['drug__1', 'drug__1', 'Medisin (1)'],
      ['drug__2', 'drug__2', 'Medisin (2)'],
    ]);
    expect(table.rows.map((r) => r.slice(-2))).toEqual([
      ['a', 'b'],
      ['c', NOT_SHOWN],
      // No answer at all: the code in every column of the item, as for a tick-all item.
      [NO_ANSWER, NO_ANSWER],
    ]);
  });

  it('exports a date item as text when an answer is not a full date, and says so', () => {
    const item: Questionnaire['item'] = [{ linkId: 'd', type: 'date', text: 'Dato' }];
    const table = buildExportTable(
      oneItem(item, [{ d: [{ valueDate: '2026-02' }] }, { d: [{ valueDate: '2026-02-03' }] }])
    );
    expect(table.variables.at(-1)!.kind).toBe('text');
    expect(table.rows.map((r) => r.at(-1))).toEqual(['2026-02', '2026-02-03']);
    expect(table.counts.partialDates).toEqual({ d: 1 });
  });

  it('gives an item whose linkId clashes with a response column another column and name', () => {
    const item: Questionnaire['item'] = [{ linkId: 'status', type: 'boolean', text: 'Status?' }];
    const table = buildExportTable(oneItem(item, [{ status: [{ valueBoolean: true }] }]));
    expect(
      table.variables.filter((v) => v.column.startsWith('status')).map((v) => [v.column, v.name])
    ).toEqual([
      ['status', 'status'],
      ['status_2', 'status_2'],
    ]);
  });

  it('keeps only one version when asked, and counts every version', () => {
    const dataset = nastyDataset();
    const mixed = {
      ...dataset,
      responses: dataset.responses.map((r, i) => (i === 0 ? { ...r, questionnaireVersion: '1' } : r)),
    };
    const table = buildExportTable(mixed, { version: '2' });
    expect(table.rows).toHaveLength(4);
    expect(table.counts.byVersion).toEqual({ '1': 1, '2': 4 });
    expect(table.counts.exported).toBe(4);
  });

  it("takes the questionnaire's own integers: ordinalValue on every option, or an instrument's LOINC scores", () => {
    const ordinal = (code: string, value: number) => ({
      valueCoding: { code },
      extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/ordinalValue', valueDecimal: value }],
    });
    const weighted: Questionnaire['item'] = [
      {
        linkId: 'w',
        type: 'choice',
        answerOption: [ordinal('low', 10), ordinal('mid', 20), ordinal('high', 30)],
      },
    ];
    // "legacy" is only in the data: it follows the highest given integer (30 + 1).
    const table = buildExportTable(oneItem(weighted, [{ w: [{ valueCoding: { code: 'legacy' } }] }]));
    expect(table.variables.at(-1)!.categories.map((c) => [c.code, c.value])).toEqual([
      ['low', 10],
      ['mid', 20],
      ['high', 30],
      ['legacy', 31],
    ]);
    // The PHQ-9's LOINC answers keep the instrument's 0-3, whatever their order in the questionnaire.
    const loinc = (code: string) => ({ valueCoding: { system: 'http://loinc.org', code } });
    const phq: Questionnaire['item'] = [
      {
        linkId: 'p',
        type: 'choice',
        answerOption: ['LA6571-9', 'LA6568-5', 'LA6570-1', 'LA6569-3'].map(loinc),
      },
    ];
    expect(
      buildExportTable(oneItem(phq, [{}]))
        .variables.at(-1)!
        .categories.map((c) => [c.code, c.value])
    ).toEqual([
      ['LA6571-9', 3],
      ['LA6568-5', 0],
      ['LA6570-1', 2],
      ['LA6569-3', 1],
    ]);
    // Without a system the codes are just text: 1..k.
    const plain: Questionnaire['item'] = [
      {
        linkId: 'q',
        type: 'choice',
        answerOption: [{ valueCoding: { code: 'LA6571-9' } }, { valueCoding: { code: 'LA6568-5' } }],
      },
    ];
    expect(
      buildExportTable(oneItem(plain, [{}]))
        .variables.at(-1)!
        .categories.map((c) => c.value)
    ).toEqual([1, 2]);
  });

  it('makes duplicate option labels unique with the code', () => {
    const item: Questionnaire['item'] = [
      {
        linkId: 'c',
        type: 'choice',
        answerOption: [
          { valueCoding: { code: 'a', display: 'Same' } },
          { valueCoding: { code: 'b', display: 'Same' } },
        ],
      },
    ];
    const table = buildExportTable(oneItem(item, [{}]));
    expect(table.variables.at(-1)!.categories.map((c) => c.label.nb)).toEqual(['Same [a]', 'Same [b]']);
  });

  it('uses the fixture questionnaire title in both languages', () => {
    expect(buildExportTable(nastyDataset()).title).toEqual({
      nb: EXPORT_FIXTURE_QUESTIONNAIRE.title,
      en: 'Export test form: "follow-up" & collaboration',
    });
  });
});
