/**
 * Stata and SPSS are not installed here, so load.do and load.sps are checked structurally, and
 * their code → integer → label chain is replayed on the CSV they read: every column named and
 * labelled, names valid and unique, every code in the data mapped to the documented integer and
 * every integer labelled, missing values declared, and strings quoted so that no text can end a
 * string early or start a macro.
 */
import { describe, expect, it } from 'vitest';
import { buildSurveyExport } from './bundle.js';
import { nastyDataset, syntheticDataset } from './fixtures.js';
import { buildExportTable, type ExportOptions } from './model.js';
import { rString, spssString, stataString } from './syntax.js';
import { checkSpss, checkStata, joinedLiteral, stataStrings } from './testing/script-checks.js';

// ---------------------------------------------------------------------------------------------

const CASES: [string, () => ReturnType<typeof nastyDataset>, ExportOptions][] = [
  ['nasty, long, nb', nastyDataset, {}],
  ['nasty, wide, en', nastyDataset, { form: 'wide', language: 'en' }],
  ['synthetic, long, en', () => syntheticDataset(200, 35, 3), { language: 'en' }],
];

describe.each(CASES)('load.do and load.sps (%s)', (_, dataset, options) => {
  const files = buildSurveyExport(dataset(), options);
  const table = buildExportTable(dataset(), options);

  it('load.do names, labels and encodes every column and code', () => {
    checkStata(table, files['load.do'], files['data.csv']);
  });

  it('load.sps reads, recodes and labels every column and code', () => {
    const spssFile = files['data-spss.csv'] ?? files['data.csv'];
    expect(files['load.sps']).toContain(`/FILE='${files['data-spss.csv'] ? 'data-spss.csv' : 'data.csv'}'`);
    checkSpss(table, files['load.sps'], spssFile);
  });
});

describe('string literals', () => {
  it('R: ASCII only, escapes for quote, backslash, line breaks and every non-ASCII character', () => {
    expect(rString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(rString('æ\n😀\t')).toBe('"\\u{00e6}\\n\\U{1f600}\\t"');
    expect(rString('x\r\ny')).toBe('"x\\ny"');
  });

  it('Stata: compound quotes, macro characters escaped, no line break, no early end', () => {
    expect(stataString('plain "quoted"')).toBe('`"plain "quoted""\'');
    expect(stataString("cost $5 and `x'")).toBe('`"cost \\$5 and \\`x\'"\'');
    expect(stataString('two\nlines')).toBe('`"two lines"\'');
    // "' inside would close the string: a space goes between.
    expect(stataString('he said "hi"\' ok')).toBe('`"he said "hi" \' ok"\'');
    expect(stataStrings(`label variable x ${stataString('a \\$ b `c $d')}`)).toEqual(['a \\$ b `c $d']);
  });

  it('SPSS: double quotes doubled, long text in +-joined pieces of at most 100 bytes, cut to the limit', () => {
    expect(spssString('say "hi"', 255)).toBe('"say ""hi"""');
    const long = spssString('ø'.repeat(80), 255);
    expect(long.split(' +\n    ')).toHaveLength(2);
    expect(joinedLiteral(long)).toBe('ø'.repeat(80));
    const cut = joinedLiteral(spssString('x'.repeat(300), 120));
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(120);
    expect(cut.endsWith('…')).toBe(true);
  });
});
