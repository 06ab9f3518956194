/**
 * The full analysis on the tiny fixture copied 40 times (400 episodes, answers = 40 × the
 * hand-computed ones): the report is self-contained, has no person-level ids, and no output
 * has a count from 1 to 4.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalysis, type RunAnalysisResult } from '../analyze/run.js';
import { assertNoSmallCells, type PublishedTable } from '../analyze/model.js';
import { TINY } from '../fixtures/tiny.js';
import { replicateFixture, writeFixture } from '../fixtures/write.js';
import { parseCsv } from '../fixtures/parse-csv.js';
import { csvField, toCsv } from './csv.js';
import { renderTable } from './html.js';
import { englishLeftIn } from './i18n/untranslated.js';

let dir: string;
let out: string;
let result: RunAnalysisResult;
const progress: number[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gpdep-reg-x40-'));
  out = mkdtempSync(join(tmpdir(), 'gpdep-reg-out-'));
  await writeFixture(dir, replicateFixture(TINY, 40));
  result = await runAnalysis({
    dataDir: dir,
    outDir: out,
    engine: { threads: 1, memoryLimit: '512MB' },
    onProgress: (p) => progress.push(p.fraction),
  });
}, 60_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
});

describe('registry:analyze output', () => {
  it('writes the report, a CSV per table and results.json, reporting progress up to 100 %', () => {
    expect(result.summary.episodes).toBe(400);
    expect(readdirSync(out)).toEqual(
      expect.arrayContaining([
        'report.html',
        'results.json',
        'table2_care_by_characteristics.csv',
        'table5_pathways.csv',
      ])
    );
    expect(progress.at(-1)).toBe(1);
    expect(progress.every((v, i) => i === 0 || v >= progress[i - 1]! - 1e-9)).toBe(true);
  });

  it('the HTML is self-contained: no script, no external resource, SVG plots with title and desc, a methods section', () => {
    const html = readFileSync(result.reportPath, 'utf8');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/url\(/i);
    expect((html.match(/<svg /g) ?? []).length).toBeGreaterThanOrEqual(3);
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby=/);
    expect(html).toMatch(/<title id="svg\d+t">/);
    expect(html).toMatch(/<desc id="svg\d+d">/);
    expect(html).toContain('id="methods"');
    expect(html).toContain('Washout');
    expect(html).toContain('<caption>');
  });

  it('writes the same report in Norwegian, with no English left even where the small data withhold numbers', () => {
    const nb = readFileSync(result.reportNbPath, 'utf8');
    expect(nb).toMatch(/<html lang="nb">/);
    expect(englishLeftIn(nb, readFileSync(result.reportPath, 'utf8'))).toEqual([]);
  });

  it('no person-level ids in any output file', () => {
    for (const f of readdirSync(out)) {
      const text = readFileSync(join(out, f), 'utf8');
      expect(text, f).not.toMatch(/\bp\d{2}_\d+\b/);
      expect(text, f).not.toMatch(/\b[bc]\d{3}_\d+\b/);
      expect(text, f).not.toMatch(/\bp(0[1-9]|1[0-3])\b/);
    }
  });

  it('no published count from 1 to 4 in results.json or in any CSV count column', () => {
    const results = JSON.parse(readFileSync(result.resultsPath, 'utf8')) as { tables: PublishedTable[] };
    expect(results.tables.length).toBeGreaterThanOrEqual(12);
    for (const t of results.tables) {
      assertNoSmallCells(t);
      const csv = parseCsv(readFileSync(join(out, `${t.id}.csv`), 'utf8'));
      expect(csv[0]).toEqual(t.columns.map((c) => c.key));
      t.columns.forEach((c, j) => {
        if (c.kind !== 'count') return;
        for (const row of csv.slice(1)) {
          const v = Number(row[j]);
          expect(Number.isFinite(v) && v > 0 && v < 5, `${t.id}.${c.key} = ${row[j]}`).toBe(false);
        }
      });
    }
  });

  it('the numbers are 40 × the hand-computed ones, and the crude RR is the ratio of proportions', () => {
    const csv = parseCsv(readFileSync(join(out, 'table3_sl.csv'), 'utf8'));
    const head = csv[0]!;
    const men = csv.find((r) => r[0] === 'Sex' && r[1] === 'Men')!;
    const women = csv.find((r) => r[0] === 'Sex' && r[1]!.startsWith('Women'))!;
    // Sick leave (employed, 20-66): women 120 of 160 (p01, p08 twice, p12); men 40 of 80 (p02, p11:
    // p07 has no job and p09's ended the day before his index).
    expect([women[head.indexOf('denominator')], women[head.indexOf('events')]]).toEqual(['160', '120']);
    expect([men[head.indexOf('denominator')], men[head.indexOf('events')]]).toEqual(['80', '40']);
    expect(Number(men[head.indexOf('crude_rr')])).toBeCloseTo(0.5 / 0.75, 6);
    const work = parseCsv(readFileSync(join(out, 'table4_work_participation.csv'), 'utf8'));
    const all = work[1]!;
    // 6 employed episodes × 40; days 61+20+50+47+11 = 189 per copy → mean 189/6.
    expect(all[work[0]!.indexOf('n')]).toBe('240');
    expect(Number(all[work[0]!.indexOf('mean_days')])).toBeCloseTo(189 / 6, 6);
    expect(all[work[0]!.indexOf('rtw6_n')]).toBe('120');
    expect(all[work[0]!.indexOf('rtw12_base')]).toBe('160');
    const path = parseCsv(readFileSync(join(out, 'table5_pathways.csv'), 'utf8'));
    expect(path.find((r) => r[0] === 'T+S > A > R')?.[2]).toBe('40');
  });
});

describe('CSV and HTML rendering', () => {
  it('CSV fields: RFC 4180 quoting and formula-injection protection', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-2')).toBe("'-2");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField(-2.5)).toBe('-2.5');
    expect(csvField(null)).toBe(':');
    const t: PublishedTable = {
      id: 't',
      title: 'T',
      caption: '',
      columns: [
        { key: 'a', label: 'A', kind: 'text' },
        { key: 'n', label: 'N', kind: 'count' },
      ],
      rows: [['x', 5]],
      notes: [],
    };
    expect(toCsv(t)).toBe('a,n\r\nx,5\r\n');
  });

  it('refuses to render a table with a small count', () => {
    const t: PublishedTable = {
      id: 't',
      title: 'T',
      caption: '',
      columns: [{ key: 'n', label: 'N', kind: 'count' }],
      rows: [[3]],
      notes: [],
    };
    expect(() => renderTable(t)).toThrow(/Disclosure control failed/);
  });

  it('escapes text in tables', () => {
    const t: PublishedTable = {
      id: 't',
      title: '<b>',
      caption: '',
      columns: [{ key: 'a', label: 'A', kind: 'text' }],
      rows: [['<img src=x onerror=alert(1)>']],
      notes: [],
    };
    const html = renderTable(t);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img');
  });
});
