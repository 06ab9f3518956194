/**
 * An attacker's test of disclosure control (issue 13, item 1): take every file a run publishes
 * (the CSV files and results.json) and try to work out a count from 1 to 4 that suppression hid.
 *
 * The attack that found the leak: Table 8 gives, per sex, the share with a kind of care among the
 * episodes whose education (or income) is known; Table 2 gives that sex's episodes and events.
 * The difference is the small group with the position unknown: if exactly one number of unknown
 * episodes u (or of events e among them, or of non-events u − e) fits the published share at its
 * published precision, that number is disclosed. The attacker here is generous to themselves: the
 * denominator is every value the published figures allow.
 *
 * The twin (50,000 persons, seed 1) has two men with missing income, which the 8-decimal
 * percentages of Table 8 gave away before the fix.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalysis } from './analyze/run.js';
import { generateRegistry } from './generate/generate.js';
import { parseCsv } from './fixtures/parse-csv.js';

interface Csv {
  header: string[];
  rows: Record<string, string>[];
}

function readCsv(path: string): Csv {
  const [header, ...rest] = parseCsv(readFileSync(path, 'utf8'));
  return { header: header!, rows: rest.map((r) => Object.fromEntries(header!.map((h, j) => [h, r[j]!]))) };
}

/** Half the last published digit: the interval a rounded figure stands for. */
function halfUnit(text: string): number {
  const decimals = text.includes('.') ? text.split('.')[1]!.length : 0;
  // The writer prints at most 10 significant digits; anything finer than that is exact to us.
  return 0.5 * 10 ** -decimals + 1e-9;
}

const published = (v: string | undefined): v is string => v !== undefined && v !== '' && v !== ':';

/** Every value one unknown count can take, given the attack's constraints (sorted, distinct). */
type Candidates = Set<number>;

/**
 * What a published share among the known-position episodes says about the unknown group, given
 * the totals (D episodes in the denominator, E events) that Table 2 publishes for the same sex.
 */
export function unknownGroupCandidates(
  totals: { denominators: readonly number[]; events: number },
  share: { percent: number; half: number }
): { u: Candidates; e: Candidates; nonEvents: Candidates } {
  const u: Candidates = new Set();
  const e: Candidates = new Set();
  const nonEvents: Candidates = new Set();
  const lo = (share.percent - share.half) / 100;
  const hi = (share.percent + share.half) / 100;
  for (const D of totals.denominators) {
    for (let unknown = 0; unknown < D; unknown++) {
      const known = D - unknown;
      // Events among the known: E − e with lo ≤ (E − e) / known ≤ hi, 0 ≤ e ≤ min(unknown, E).
      const eMin = Math.max(0, totals.events - Math.floor(hi * known + 1e-9));
      const eMax = Math.min(unknown, totals.events, totals.events - Math.ceil(lo * known - 1e-9));
      if (eMin > eMax) continue;
      // Non-events among the known cannot be negative either.
      let any = false;
      for (let ev = eMin; ev <= eMax; ev++) {
        if (known - (totals.events - ev) < 0) continue;
        any = true;
        e.add(ev);
        nonEvents.add(unknown - ev);
      }
      if (any) u.add(unknown);
    }
  }
  return { u, e, nonEvents };
}

/** A count the attacker pins down to one value from 1 to 4. */
function disclosed(c: Candidates): number | null {
  if (c.size !== 1) return null;
  const [v] = [...c];
  return v! >= 1 && v! <= 4 ? v! : null;
}

const CARE_KEYS: Record<string, string> = {
  'Talking therapy': 'tt',
  Antidepressant: 'ad',
  'Sick leave': 'sl',
  'Referral to specialist care': 'ref',
};
const SEX_LEVEL: Record<string, [string, string]> = {
  Women: ['Sex', 'Women'],
  Men: ['Sex', 'Men'],
  Both: ['All', 'All'],
};

let dir: string;
let files: Map<string, Csv>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gpdep-disclosure-'));
  await generateRegistry({
    persons: 50_000,
    firstYear: 2009,
    lastYear: 2016,
    seed: 1,
    out: join(dir, 'data'),
    log: () => {},
  });
  await runAnalysis({ dataDir: join(dir, 'data'), outDir: join(dir, 'out') });
  files = new Map(
    readdirSync(join(dir, 'out'))
      .filter((f) => f.endsWith('.csv'))
      .map((f) => [f.replace(/\.csv$/, ''), readCsv(join(dir, 'out', f))])
  );
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('no published file, alone or with the others, gives away a count from 1 to 4', () => {
  it('the attack works: it finds a unique small group when the share is exact', () => {
    // 1053 men, 556 with the care; 556/1051 printed to 8 decimals: two men unknown, neither had it.
    const found = unknownGroupCandidates(
      { denominators: [1053], events: 556 },
      { percent: 52.9019981, half: halfUnit('52.9019981') }
    );
    expect(disclosed(found.u)).toBe(2);
    expect(disclosed(found.nonEvents)).toBe(2);
    // The same share rounded as the report prints it fits many group sizes.
    const rounded = unknownGroupCandidates(
      { denominators: [1053], events: 556 },
      { percent: 52.9, half: halfUnit('52.9') }
    );
    expect(rounded.u.size).toBeGreaterThan(5);
  });

  it('Table 8 with Table 2: the unknown-position group by sex stays hidden', () => {
    const table2 = files.get('table2_care_by_characteristics')!;
    const table8 = files.get('table8_equity')!;
    const leaks: string[] = [];
    let attacked = 0;
    for (const row of table8.rows) {
      if (!published(row.percent)) continue;
      const key = CARE_KEYS[row.care!]!;
      const [covariate, level] = SEX_LEVEL[row.sex!]!;
      const base = table2.rows.find((r) => r.covariate === covariate && r.level === level)!;
      const events = base[`${key}_n`];
      const pct = base[`${key}_pct`];
      if (!published(events) || !published(pct)) continue;
      const E = Number(events);
      // Every denominator the published events and share allow (exact for tt and ref: n).
      const half = halfUnit(pct);
      const denominators: number[] = [];
      for (let D = Math.max(E, 1); D <= Number(base.n); D++) {
        if (Math.abs((100 * E) / D - Number(pct)) <= half) denominators.push(D);
      }
      attacked++;
      const found = unknownGroupCandidates(
        { denominators, events: E },
        { percent: Number(row.percent), half: halfUnit(row.percent) }
      );
      for (const [what, c] of [
        ['episodes', found.u],
        ['with the care', found.e],
        ['without the care', found.nonEvents],
      ] as const) {
        const v = disclosed(c);
        if (v !== null) leaks.push(`${row.care}, ${row.position}, ${row.sex}: ${v} ${what} with it unknown`);
      }
    }
    expect(attacked).toBeGreaterThan(0);
    expect(leaks).toEqual([]);
  });

  it('every published share carries no more digits than the report prints', () => {
    const tooFine: string[] = [];
    for (const [id, csv] of files) {
      for (const col of csv.header.filter((h) => h === 'percent' || h.endsWith('_pct'))) {
        for (const row of csv.rows) {
          const v = row[col];
          if (published(v) && /\.\d{2,}$/.test(v)) tooFine.push(`${id}.${col} = ${v}`);
        }
      }
    }
    // The key figures put shares beside means in one column: its rows ending in "%" are shares.
    const key = files.get('table0_key_figures')!;
    for (const row of key.rows)
      if (row.measure!.endsWith('%') && published(row.this_analysis) && /\.\d{2,}$/.test(row.this_analysis))
        tooFine.push(`table0_key_figures ${row.measure} = ${row.this_analysis}`);
    expect(tooFine.slice(0, 5)).toEqual([]);
    const results = JSON.parse(readFileSync(join(dir, 'out', 'results.json'), 'utf8')) as {
      trend: { points: { percent: number | null }[] }[];
    };
    const trendTooFine = results.trend
      .flatMap((t) => t.points)
      .filter((p) => p.percent !== null && Math.abs(p.percent * 10 - Math.round(p.percent * 10)) > 1e-9);
    expect(trendTooFine).toEqual([]);
  });
});
