import fc from 'fast-check';
import type { Questionnaire } from 'fhir/r4.js';
import { describe, expect, it } from 'vitest';
import type { SurveyDataset } from '../dataset.js';
import {
  cellText,
  escapeFormula,
  quoteField,
  rowsToCsv,
  surveyCsv,
  tableToCsv,
  unescapeFormula,
} from './csv.js';
import { NASTY_TEXTS, nastyDataset } from './fixtures.js';
import { NO_ANSWER, buildExportTable, normalizeText } from './model.js';
import { parseStrictCsv } from './testing/strict-csv.js';

/** A cell a spreadsheet could run: text starting with =, +, -, @, tab or CR (OWASP), unless it is a plain number. */
function isFormulaCell(cell: string): boolean {
  return /^[=+\-@\t\r]/.test(cell) && !/^-?\d+(\.\d+)?$/.test(cell);
}

describe('formula escaping', () => {
  it('puts an apostrophe before each trigger character and before an apostrophe, nothing else', () => {
    expect(escapeFormula('=1+1')).toBe("'=1+1");
    expect(escapeFormula('+47 55')).toBe("'+47 55");
    expect(escapeFormula('-3')).toBe("'-3");
    expect(escapeFormula('@sum')).toBe("'@sum");
    expect(escapeFormula('\tx')).toBe("'\tx");
    expect(escapeFormula('\rx')).toBe("'\rx");
    expect(escapeFormula('\nx')).toBe("'\nx");
    // The apostrophe itself, so that removing one leading apostrophe always restores the text.
    expect(escapeFormula("'quoted'")).toBe("''quoted'");
    expect(escapeFormula('a=b')).toBe('a=b');
    expect(escapeFormula('')).toBe('');
  });

  it('is undone exactly by removing one leading apostrophe', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => unescapeFormula(escapeFormula(s)) === s));
  });

  it('escapes text cells only: numbers in number columns stay numbers', () => {
    expect(cellText('-3', { kind: 'decimal' }, '-99')).toBe('-3');
    expect(cellText('-3', { kind: 'integer' }, '-99')).toBe('-3');
    expect(cellText('-3', { kind: 'text' }, '-99')).toBe("'-3");
    expect(cellText('-1', { kind: 'categorical' }, '-99')).toBe("'-1");
    // The two missing values: empty, and the no-answer code written as a plain number.
    expect(cellText(null, { kind: 'text' }, '-99')).toBe('');
    expect(cellText(NO_ANSWER, { kind: 'text' }, '-99')).toBe('-99');
  });
});

describe('RFC 4180 quoting', () => {
  it('quotes a field with a comma, quote, CR or LF and doubles its quotes', () => {
    expect(quoteField('plain')).toBe('plain');
    expect(quoteField('a,b')).toBe('"a,b"');
    expect(quoteField('say "hi"')).toBe('"say ""hi"""');
    expect(quoteField('two\nlines')).toBe('"two\nlines"');
    expect(quoteField('cr\r')).toBe('"cr\r"');
    expect(quoteField(' spaces kept ')).toBe(' spaces kept ');
  });

  it('writes rows of text with CRLF between and after them', () => {
    expect(
      rowsToCsv([
        ['a', 'b'],
        ['=x', 'y,z'],
      ])
    ).toBe('a,b\r\n\'=x,"y,z"\r\n');
  });
});

describe('data.csv of the nasty dataset (long form)', () => {
  const csv = surveyCsv(nastyDataset());
  const rows = parseStrictCsv(csv);

  it('is strict RFC 4180 with one header row, one row per response and the documented columns', () => {
    expect(rows).toHaveLength(1 + 5);
    expect(rows[0]).toEqual([
      'response_id',
      'respondent_key',
      'wave',
      'status',
      'questionnaire_version',
      'updated_at',
      'years',
      'has-nurse',
      'nurse-tasks__followup',
      'nurse-tasks__screening',
      'nurse-tasks__groups',
      'talk-therapy',
      'barrier',
      'barrier__other',
      'phq-use',
      'minutes',
      'last-referral',
      'referral-place',
      'icbt-known__program-a',
      'icbt-known__program-b',
      'icbt-known__other',
      'contact-ok',
      'comments',
    ]);
    expect(rows.every((r) => r.length === rows[0]!.length)).toBe(true);
  });

  it('writes response r2 as worked out by hand', () => {
    // r2: 0 years, no nurse (so nurse-tasks not shown: empty), never gives talking therapy (so the
    // barrier is shown) and wrote a free text → `_other` plus the text (escaped: it starts with
    // "-"); phq-use code 0; minutes -3 stays a number; last-referral shown, unanswered → -99, so
    // referral-place (shown when last-referral exists) is not shown; the digital group is shown
    // (0 < 40) and the tick-all item got an empty answer list → -99 in each option column, its
    // free text not applicable → empty; contact-ok unanswered → -99; the comment starts with "+".
    expect(rows[2]).toEqual([
      'r2',
      'p-002',
      'baseline',
      'complete',
      '2',
      '2026-03-02 09:15:00',
      '0',
      '0',
      '',
      '',
      '',
      'never',
      '_other',
      `'${NASTY_TEXTS.minusText}`,
      '0',
      '-3',
      '-99',
      '',
      '-99',
      '-99',
      '',
      '-99',
      `'${NASTY_TEXTS.plus}`,
    ]);
  });

  it('keeps nasty text intact: quotes, commas, æøå, emoji; line breaks as LF; formulas escaped', () => {
    const col = (name: string) => rows[0]!.indexOf(name);
    expect(rows[1]![col('comments')]).toBe('Han sa "hei", og så\ngikk han; æøå ÆØÅ – «ok»');
    expect(rows[1]![col('referral-place')]).toBe(`'${NASTY_TEXTS.formula}`);
    expect(rows[1]![col('icbt-known__other')]).toBe(`'${NASTY_TEXTS.at}`);
    expect(rows[3]![col('comments')]).toBe(`'${NASTY_TEXTS.tab}`);
    expect(rows[4]![col('referral-place')]).toBe(`'${NASTY_TEXTS.apostrophe}`);
    expect(rows[4]![col('comments')]).toBe('CR alene\nher');
    expect(rows[4]![col('minutes')]).toBe('0.0000001');
    expect(rows[5]![col('comments')]).toBe(NASTY_TEXTS.emoji);
    // A choice code is text: the negative code -1 is escaped like any text starting with "-".
    expect(rows[5]![col('phq-use')]).toBe("'-1");
    for (const row of rows) for (const cell of row) expect(isFormulaCell(cell), cell).toBe(false);
  });

  it('writes the SPSS variant with line breaks as spaces and otherwise the same cells', () => {
    const table = buildExportTable(nastyDataset());
    const flat = parseStrictCsv(tableToCsv(table, { lineBreaks: 'space' }));
    expect(flat[1]![rows[0]!.indexOf('comments')]).toBe('Han sa "hei", og så gikk han; æøå ÆØÅ – «ok»');
    expect(flat.flat().some((cell) => /[\r\n]/.test(cell))).toBe(false);
    expect(flat.map((r) => r.length)).toEqual(rows.map((r) => r.length));
  });
});

// One text item and one integer item, answered with arbitrary values.
const TINY: Questionnaire = {
  resourceType: 'Questionnaire',
  status: 'active',
  version: '1',
  item: [
    { linkId: 'free', type: 'text', text: 'Fritt' },
    { linkId: 'n', type: 'integer', text: 'Tall' },
  ],
};

function tinyDataset(texts: readonly string[], numbers: readonly number[]): SurveyDataset {
  return {
    surveyId: 'tiny',
    questionnaire: TINY,
    frame: [],
    responses: texts.map((text, i) => ({
      responseId: `t${i}`,
      wave: 'baseline',
      status: 'complete',
      updatedAt: '2026-01-01T00:00:00Z',
      questionnaireVersion: '1',
      answers: { free: [{ valueString: text }], n: [{ valueInteger: numbers[i] ?? 0 }] },
    })),
  };
}

const textArbitrary = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc
    .tuple(
      fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', "'", '"', ','),
      fc.string({ unit: 'binary' })
    )
    .map(([head, tail]) => head + tail)
);

describe('any answer text (fast-check)', () => {
  it('round-trips through data.csv and never leaves a formula cell unescaped', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(textArbitrary, fc.integer({ min: -1_000_000, max: 1_000_000 })), {
          minLength: 1,
          maxLength: 8,
        }),
        (answers) => {
          const dataset = tinyDataset(
            answers.map((a) => a[0]),
            answers.map((a) => a[1])
          );
          const rows = parseStrictCsv(surveyCsv(dataset));
          const free = rows[0]!.indexOf('free');
          const n = rows[0]!.indexOf('n');
          answers.forEach(([text, number], i) => {
            const row = rows[i + 1]!;
            // The text read back, with the apostrophe removed as the load scripts do, is the
            // answer as exported (LF line breaks, no NUL or unpaired surrogate).
            expect(unescapeFormula(row[free]!)).toBe(normalizeText(text));
            // Integers are written as plain numbers, never escaped, negative ones included (a drawn
            // -99 stays -99: the no-answer code then moves to -999).
            expect(row[n]).toBe(String(number));
          });
          for (const row of rows) for (const cell of row) expect(isFormulaCell(cell)).toBe(false);
        }
      ),
      { numRuns: 300 }
    );
  });
});
