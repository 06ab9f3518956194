/**
 * The analysis recovers what the generator planted: on a generated twin, the analysis run with the
 * generator's cohort definition finds the same shares of each kind of care (within a point) and
 * the same rural effect on talking therapy, which also survives adjustment. Generation and
 * analysis are independent code, so this checks both.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalysis } from './analyze/run.js';
import { generateRegistry } from './generate/generate.js';

let dir: string;
let calibration: { rows: { figure: string; generated: number }[] };
let results: {
  tables: { id: string; columns: { key: string }[]; rows: unknown[][] }[];
  funnels: {
    label: string;
    data: { summary: { gps: number; phi: number; outside: { exact998: { above: number; below: number } } } };
  }[];
};
let truth: { outcomes: Record<string, { gpVariance: number }> };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gpdep-recovery-'));
  await generateRegistry({
    persons: 50_000,
    firstYear: 2009,
    lastYear: 2016,
    seed: 20261123,
    out: join(dir, 'data'),
    log: () => {},
  });
  calibration = JSON.parse(readFileSync(join(dir, 'data', 'calibration.json'), 'utf8'));
  truth = JSON.parse(readFileSync(join(dir, 'data', 'truth.json'), 'utf8'));
  const run = await runAnalysis({
    dataDir: join(dir, 'data'),
    outDir: join(dir, 'out'),
    // The generator's own definition (calibration.json "cohort"): index years 2009-2015, 18+;
    // its referral to adult mental health care or a contract specialist is now the default.
    params: { indexFrom: '2009-01-01', indexTo: '2015-12-31' },
  });
  results = JSON.parse(readFileSync(run.resultsPath, 'utf8'));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const generated = (figure: string) => {
  const row = calibration.rows.find((r) => r.figure === figure);
  if (!row) throw new Error(`no calibration row "${figure}"`);
  return row.generated;
};
const keyFigure = (measure: string) => {
  const row = results.tables.find((t) => t.id === 'table0_key_figures')!.rows.find((r) => r[0] === measure);
  if (!row) throw new Error(`no key figure "${measure}"`);
  return row[1] as number;
};

describe('the analysis recovers the planted data', () => {
  it.each([
    ['Talking therapy, %', 'Talking therapy (615) within 12 months'],
    ['Long consultation, %', 'Long consultation (2cd) within 12 months'],
    ['Antidepressant (any use, as published), %', 'Antidepressant (N06A) within 12 months'],
    // The generator's figure is among everyone 20-66, as the papers count it.
    ['Sick leave (all 20-66, as published), %', 'Sick leave within 12 months (20-66)'],
    ['Referral to specialist care, %', 'Referral to specialist MH care within 12 months'],
    [
      'None of talking therapy, antidepressant, sick leave, %',
      'None of talking therapy, antidepressant, sick leave',
    ],
  ])('%s within one percentage point of what was generated', (measure, figure) => {
    expect(Math.abs(keyFigure(measure) - generated(figure))).toBeLessThanOrEqual(1);
  });

  it('finds the rural effect on talking therapy that was planted', () => {
    // The generator measures rural (centrality 5-6) against everyone else; the table splits the
    // rest into central and intermediate, so pool them for the same comparison.
    const rows = results.tables
      .find((t) => t.id === 'table3_tt')!
      .rows.filter((r) => r[0] === 'Centrality (residence)');
    const sum = (pick: (level: string) => boolean, column: number) =>
      rows.filter((r) => pick(String(r[1]))).reduce((total, r) => total + (r[column] as number), 0);
    const isRural = (level: string) => level.startsWith('Rural');
    const rr = sum(isRural, 3) / sum(isRural, 2) / (sum((l) => !isRural(l), 3) / sum((l) => !isRural(l), 2));
    expect(rr).toBeCloseTo(generated('Rural vs urban RR, talking therapy'), 1);
    const adjusted = rows.find((r) => isRural(String(r[1])))!;
    expect(adjusted[9] as number).toBeLessThan(1); // and it holds after adjustment
    expect(adjusted[11] as number).toBeLessThan(1);
  });

  /** "0.783 (0.492 to 1.302)" → numbers (the table uses a true minus sign). */
  const interval = (text: unknown) => {
    const m = /^(\S+) \((\S+) to (\S+)\)$/.exec(String(text).replaceAll('\u2212', '-'));
    if (!m) throw new Error(`not an interval: ${String(text)}`);
    return { estimate: Number(m[1]), lower: Number(m[2]), upper: Number(m[3]) };
  };

  it.each([
    ['talk', 'Talking therapy'],
    ['ad', 'Antidepressant'],
    ['sick', 'Sick leave'],
    ['referral', 'Referral'],
  ])('the mixed model finds the planted GP variance of %s inside its 99 %% interval', (outcome, label) => {
    // Four outcomes are checked on one twin of 51 GPs: with 95 % intervals one of them misses by
    // chance about once in five seeds (referral did, 0.184 against 0.2, when list size joined the
    // model). The printed 95 % limits are widened to 99 % on the log scale, where the interval is
    // close to symmetric (profile likelihood on log σ): a family-wise miss rate of about 4 %.
    const row = results.tables
      .find((t) => t.id === 'table7_gp_mixed_models')!
      .rows.find((r) => String(r[0]).startsWith(label))!;
    const adjusted = interval(row[5]);
    const planted = truth.outcomes[outcome]!.gpVariance;
    const widen = 2.5758 / 1.96;
    // (An estimate at the boundary, 0, keeps its printed upper limit.)
    const upper99 =
      adjusted.estimate > 0
        ? adjusted.estimate * (adjusted.upper / adjusted.estimate) ** widen
        : adjusted.upper;
    const lower99 =
      adjusted.lower > 0 ? adjusted.estimate * (adjusted.lower / adjusted.estimate) ** widen : 0;
    expect(lower99).toBeLessThanOrEqual(planted);
    expect(upper99).toBeGreaterThanOrEqual(planted);
  });

  it('Table 6 counts the GPs outside 99.8 % that the funnel plot shows, for every indicator', () => {
    const table = results.tables.find((t) => t.id === 'table6_gp_variation')!;
    const col = (key: string) => table.columns.findIndex((c) => c.key === key);
    expect(results.funnels.length).toBe(5);
    for (const f of results.funnels) {
      const row = table.rows.find((r) => r[0] === f.label)!;
      const { above, below } = f.data.summary.outside.exact998;
      expect(row[col('outside_n')]).toBe(above + below);
      expect(row[col('phi')]).toBe(f.data.summary.phi);
      expect(row[col('gps')]).toBe(f.data.summary.gps);
    }
  });

  it('the equity table has every outcome by education and income for women, men and both', () => {
    const table = results.tables.find((t) => t.id === 'table8_equity')!;
    expect(table.rows).toHaveLength(4 * 2 * 3);
    // At 50,000 persons every SES group is large enough. A row may still be withheld when its
    // share, set against Table 2, would reveal a small group with income or education unknown
    // (the twin plants few missing incomes, and few employed have education missing); then its
    // note says so. Most education rows are shown.
    const notes = (table as unknown as { notes: string[] }).notes;
    for (const row of table.rows) {
      if (row.slice(3).every((v) => v !== null)) continue;
      expect(row.slice(3).every((v) => v === null)).toBe(true);
      const why = notes.find((n) => n.startsWith(`${String(row[0])}, ${String(row[1]).toLowerCase()}, `));
      expect(why).toMatch(/would reveal a small group/);
    }
    const shown = table.rows.filter((r) => r[1] === 'Education' && r[3] !== null);
    expect(shown.length).toBeGreaterThanOrEqual(6);
  });
});
