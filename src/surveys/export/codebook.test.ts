import { describe, expect, it } from 'vitest';
import {
  CODEBOOK_COLUMNS,
  codebookCsv,
  codebookHtml,
  codebookMarkdown,
  codebookRows,
  escapeHtml,
  markdownCell,
} from './codebook.js';
import { nastyDataset } from './fixtures.js';
import { buildExportTable } from './model.js';
import { parseStrictCsv } from './testing/strict-csv.js';

const table = buildExportTable(nastyDataset());
const rows = codebookRows(table);
const row = (column: string) => rows.find((r) => r.column === column)!;

describe('codebook rows', () => {
  it('has one row per data column, in column order, with its name', () => {
    expect(rows.map((r) => [r.column, r.name])).toEqual(table.variables.map((v) => [v.column, v.name]));
  });

  it('describes a choice with codes, integers and labels in both languages', () => {
    const r = row('talk-therapy');
    expect(r.name).toBe('talk_therapy');
    expect(r.itemType).toBe('choice');
    expect(r.required).toBe('yes');
    expect(r.group).toEqual({ nb: 'Behandling', en: 'Treatment' });
    expect(r.text).toEqual({
      nb: 'Hvor ofte gir du selv samtaleterapi?',
      en: 'How often do you give talking therapy yourself?',
    });
    expect(r.codes).toBe('never = 1; sometimes = 2; often = 3; weekly = 4');
    expect(r.values.en).toBe('1 = Never; 2 = Sometimes; 3 = Often; 4 = weekly; -99 = No answer');
    expect(r.values.nb).toBe('1 = Aldri; 2 = Av og til; 3 = Ofte; 4 = weekly; -99 = Ikke besvart');
    expect(r.notes).toBe("codes met in the data but not among this version's options: weekly");
    expect(r.missing).toBe('empty = not shown (branching); -99 = no answer');
  });

  it('gives the branching condition in words, nested groups included', () => {
    expect(row('barrier').condition.en).toBe('shown when talk-therapy = never (Never)');
    expect(row('barrier').notes).toBe('_other = free text given, see barrier__other');
    expect(row('nurse-tasks__screening').condition.nb).toBe('vises når has-nurse = ja');
    expect(row('nurse-tasks__screening').group.en).toBe('About your practice > The team around you');
    expect(row('nurse-tasks__screening').values.nb).toBe('0 = Ikke valgt; 1 = Valgt; -99 = Ikke besvart');
    expect(row('contact-ok').condition.en).toBe('shown when years < 40');
    expect(row('years').condition).toEqual({ nb: '', en: '' });
  });

  it('writes codebook.csv with the documented columns, one row per data column, escaped', () => {
    const csv = parseStrictCsv(codebookCsv(table));
    expect(csv[0]).toEqual([...CODEBOOK_COLUMNS]);
    expect(csv).toHaveLength(1 + table.variables.length);
    const barrier = csv.find((r) => r[0] === 'barrier')!;
    expect(barrier[CODEBOOK_COLUMNS.indexOf('condition_nb')]).toBe('vises når talk-therapy = never (Aldri)');
    // Codes listed in questionnaire order with their Stata/SPSS integers (integer codes kept).
    expect(csv.find((r) => r[0] === 'phq-use')![CODEBOOK_COLUMNS.indexOf('codes')]).toBe(
      '0 = 0; 1 = 1; 2 = 2; 3 = 3; -1 = -1'
    );
  });
});

describe('codebook.md and codebook.html', () => {
  it('escapes Markdown punctuation and keeps a table row per column', () => {
    expect(markdownCell('a|b *c* <x> [l](u) `t` & _u_')).toBe(
      'a\\|b \\*c\\* \\<x\\> \\[l\\](u) \\`t\\` \\& \\_u\\_'
    );
    expect(markdownCell('two\nlines')).toBe('two<br>lines');
    const md = codebookMarkdown(table);
    const tableRows = md.split('\n').filter((l) => l.startsWith('| `'));
    expect(tableRows).toHaveLength(table.variables.length);
    // Every row has the nine cells of the header: no text broke out of its cell.
    for (const line of tableRows) expect(line.split(/(?<!\\)\|/).length - 2).toBe(9);
    expect(md).toContain('Testskjema for eksport: «oppfølging» \\& samarbeid');
  });

  it('escapes HTML so no questionnaire text becomes markup', () => {
    expect(escapeHtml(`<script>"x" & 'y'</script>`)).toBe(
      '&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;'
    );
    const html = codebookHtml(table);
    expect(html).toContain('<title>Codebook: Testskjema for eksport: «oppfølging» &amp; samarbeid</title>');
    expect(html.match(/<tr>/g)).toHaveLength(1 + table.variables.length);
    expect(html).not.toMatch(
      /<(?!\/?(html|head|meta|title|style|body|h1|ul|li|strong|table|thead|tbody|tr|th|td|code|br)\b|!doctype)/
    );
  });
});
