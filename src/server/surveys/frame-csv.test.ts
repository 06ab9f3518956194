/**
 * Reading a sampling frame from CSV (frame-csv.ts): every row accepted or rejected with its line,
 * column and reason; problems with the whole file fatal; values normalised to the categories the
 * weighting uses; any text at all gives an answer, never an exception.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFrameCsv, splitCsv } from './frame-csv.js';

const HEADER = 'frame_id,email,sex,birth_year,region,rural,specialist,list_size,registry_key';
const parse = (text: string, existing?: { frameIds: Set<string>; emails: Set<string> }) =>
  parseFrameCsv(text, { importYear: 2026, ...(existing ? { existing } : {}) });

describe('splitCsv', () => {
  it('keeps quoted separators, quotes and line breaks, and numbers records by their first line', () => {
    const split = splitCsv('a,b\r\n"x, y","say ""hi"""\n"two\nlines",z\n\nlast,1', ',');
    expect(split).toEqual({
      records: [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['x, y', 'say "hi"'] },
        { line: 3, fields: ['two\nlines', 'z'] },
        // Line 5 is empty and skipped; the next record starts on line 6.
        { line: 6, fields: ['last', '1'] },
      ],
    });
  });

  it('reports an unterminated quote at the line where it opened', () => {
    expect(splitCsv('a,b\n1,"open\n2,3\n', ',')).toEqual({
      error: { line: 2, reason: 'a quoted field is never closed' },
    });
  });
});

describe('parseFrameCsv', () => {
  it('normalises every value to the weighting categories', () => {
    const result = parse(
      [
        HEADER,
        // Born 1980, 46 in 2026 → 40-49; list 950 → 800-1099.
        'F1,Ann.Berg@Legekontor.test,K,1980,Sør-Øst,nei,ja,950,R-17',
        // Born 1990, 36 → <40; list 1300 → 1100+; no registry key.
        'F2,bo@legekontor.test,male,1990,vest,1,0,1300,',
      ].join('\n')
    );
    expect(result).toEqual({
      ok: true,
      rows: 2,
      rejected: [],
      ignoredColumns: [],
      members: [
        {
          line: 2,
          frameId: 'F1',
          email: 'Ann.Berg@Legekontor.test',
          attributes: {
            sex: 'F',
            age_group: '40-49',
            region: 'sor-ost',
            rural: 'no',
            specialist: 'yes',
            list_size_group: '800-1099',
          },
          registryKey: 'R-17',
        },
        {
          line: 3,
          frameId: 'F2',
          email: 'bo@legekontor.test',
          attributes: {
            sex: 'M',
            age_group: '<40',
            region: 'vest',
            rural: 'yes',
            specialist: 'no',
            list_size_group: '1100+',
          },
          registryKey: null,
        },
      ],
    });
  });

  it('takes semicolons, a BOM, age groups instead of birth years, and names columns it ignores', () => {
    const result = parse(
      '\uFEFFFRAME_ID;Email;Sex;Age_Group;Region;Rural;Specialist;Name\nF1;a@b.test;F;60+;nord;yes;yes;Dr A\n'
    );
    expect(result.ok && result.members[0]!.attributes).toEqual({
      sex: 'F',
      age_group: '60+',
      region: 'nord',
      rural: 'yes',
      specialist: 'yes',
    });
    expect(result.ok && result.ignoredColumns).toEqual(['name']);
  });

  it('rejects bad rows with line, column and reason, and keeps the good ones', () => {
    const result = parse(
      [
        HEADER,
        'F1,a@x.test,F,1970,vest,no,yes,900,', // 2: fine
        'F2,A@X.test,M,1971,vest,no,yes,900,', // 3: the same e-mail in other case
        'F3,,F,1970,vest,no,yes,900,', // 4: e-mail missing
        'F4,not-an-address,X,1870,west,maybe,yes,lots,', // 5: five bad values
        'F5,e@x.test,F,1970,vest', // 6: too few fields
        'F1,f@x.test,F,1970,vest,no,yes,900,', // 7: the frame id again
        'F 7,g@x.test,F,2015,midt,no,no,,', // 8: bad id, too young
        'F8,h@x.test,M,1965,midt,no,no,,', // 9: fine
      ].join('\n')
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.members.map((m) => `${m.line}:${m.frameId}`)).toEqual(['2:F1', '9:F8']);
    expect(result.rejected).toEqual([
      { line: 3, field: 'email', reason: 'duplicates the e-mail on line 2' },
      { line: 4, field: 'email', reason: 'is missing' },
      { line: 5, field: 'email', reason: 'is not a valid e-mail address' },
      { line: 5, field: 'sex', reason: 'must be F or M' },
      { line: 5, field: 'birth_year', reason: 'must be a year from 1900 to 2008' },
      { line: 5, field: 'region', reason: 'must be one of sor-ost, vest, midt, nord' },
      { line: 5, field: 'rural', reason: 'must be yes or no' },
      { line: 5, field: 'list_size', reason: 'must be a whole number from 0 to 10000' },
      { line: 6, field: 'row', reason: 'has 5 fields; the header has 9' },
      { line: 7, field: 'frame_id', reason: 'duplicates the frame id on line 2' },
      { line: 8, field: 'frame_id', reason: 'must be 1-64 letters, digits, ".", "_" or "-"' },
      { line: 8, field: 'birth_year', reason: 'must be a year from 1900 to 2008' },
    ]);
  });

  it('rejects what is already in the frame', () => {
    const result = parse(
      `${HEADER}\nF1,new@x.test,F,1970,vest,no,yes,900,\nF9,OLD@x.test,F,1970,vest,no,yes,900,`,
      {
        frameIds: new Set(['F1']),
        emails: new Set(['old@x.test']),
      }
    );
    expect(result.ok && result.rejected).toEqual([
      { line: 2, field: 'frame_id', reason: 'is already in the frame' },
      { line: 3, field: 'email', reason: 'is already in the frame' },
    ]);
  });

  it('is fatal for the file as a whole: empty, no header column, a column twice, no rows, an open quote', () => {
    expect(parse('')).toMatchObject({
      ok: false,
      line: 1,
      reason: 'the file is empty: a header row is needed',
    });
    expect(parse('frame_id,email,sex,region,rural\nF1,a@b.test,F,vest,no')).toEqual({
      ok: false,
      line: 1,
      field: 'specialist',
      reason: 'the header has no column specialist, birth_year (or age_group)',
    });
    expect(parse(`${HEADER},email\n`)).toMatchObject({
      ok: false,
      field: 'email',
      reason: 'the column appears twice in the header',
    });
    expect(parse(`${HEADER}\n`)).toMatchObject({
      ok: false,
      line: 2,
      reason: 'the file has no rows after the header',
    });
    expect(parse(`${HEADER}\nF1,"a@b.test,F,1970,vest,no,yes,900,\n`)).toMatchObject({ ok: false, line: 2 });
  });

  it('answers any text without throwing (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 300 }),
          fc
            .array(
              fc.array(
                fc.oneof(
                  fc.string({ maxLength: 12 }),
                  fc.constantFrom('"', '""', ';', '\n', 'F', 'yes', '1970')
                ),
                { maxLength: 10 }
              ),
              { maxLength: 8 }
            )
            .map((rows) => `${HEADER}\n${rows.map((r) => r.join(',')).join('\n')}`)
        ),
        (text) => {
          const result = parse(text);
          if (result.ok) {
            // Every data row is accounted for: accepted, or rejected at least once.
            const lines = new Set([
              ...result.members.map((m) => m.line),
              ...result.rejected.map((r) => r.line),
            ]);
            expect(lines.size).toBe(result.rows);
          } else {
            expect(result.reason.length).toBeGreaterThan(0);
          }
        }
      ),
      { numRuns: 1000 }
    );
  });
});
