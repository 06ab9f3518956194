/**
 * The definitions of engine/definitions.ts (issue 13, item 2) on a hand-made extract whose answers
 * are worked out below: the SQL does what the sentence says, the methods text prints the sentence
 * for the parameters of the run, and docs/registry/analyses.md holds the generated definitions.
 *
 * The extract (index period fixed to 2011-01-01 .. 2012-12-31; follow-up 365 days):
 * - d01: P76 consultation 2011-03-01 (index; a plain 2ad bill). Then, inside follow-up:
 *     2011-04-01 2ad + 2cd with only A04 (a somatic diagnosis)  → not a long consultation
 *     2011-05-01 2ad + 2cd with P74 (anxiety, chapter P)          → a long consultation
 *     2011-06-01 2ad + 2cd + 615 with R74 main and P76 secondary  → a long consultation and talking
 *                                                                   therapy (a P diagnosis, not main)
 *     2011-07-01 2ad + 615 with only L03                         → not talking therapy
 *   So long = 2 bills and talking therapy = 1 bill; with careTariffIcpcChapter null, 3 and 2.
 * - d02: P76 consultation 2011-04-01. NPR: AVTSPES referral 2011-05-02 (counts by default, not
 *   with referralSectors ['VOP']), SOM referral 2011-06-01 and TSB referral 2011-07-01 (never
 *   count), VOP referral 2012-04-01 (after follow-up ends 2012-03-30: does not count).
 *   So referrals = 1 by default, 0 with VOP only.
 * - d03: P76 consultation 2012-03-01 (index year 2012). Household income 2010 = 300,000,
 *   2011 = null, 2012 = 500,000. The year before index (2011) is missing → missing by default;
 *   the latest known year before index → 300,000 (2010). The index year's own income is never used.
 * - d04: P76 consultation 2012-05-01. Income 2010 = 250,000, 2011 = 400,000, 2012 = 999,000 →
 *   400,000 by both rules.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbWorkerEngine } from '../engine/engine.js';
import {
  CHARACTERISTIC_DEFINITIONS,
  INDICATOR_DEFINITIONS,
  definitionSentence,
} from '../engine/definitions.js';
import { DEFAULT_PARAMS, makeParams, type AnalysisParams, type ResolvedParams } from '../engine/params.js';
import type { Row } from '../engine/protocol.js';
import type { FixtureTables } from '../fixtures/tiny.js';
import { writeFixture } from '../fixtures/write.js';
import { esc } from '../report/svg.js';
import { generatedDocs, renderDefinitionsSection } from '../cli/schema-doc.js';
import { methodsHtml } from './methods-text.js';

type Value = string | number | boolean | null;
const bills: Record<string, Value>[] = [];
const diagnoses: Record<string, Value>[] = [];
const tariffs: Record<string, Value>[] = [];

function bill(person: string, date: string, dx: string[], codes: string[]) {
  const id = bills.length + 1;
  bills.push({
    bill_id: id,
    person_id: person,
    gp_id: 'g1',
    practice_type: 'FALE',
    contact_time: `${date} 09:00:00`,
    contact_type: 1,
  });
  dx.forEach((code, i) => diagnoses.push({ bill_id: id, code_system: 'ICPC-2', code, is_main: i === 0 }));
  codes.forEach((t) => tariffs.push({ bill_id: id, tariff_code: t, count: 1 }));
}

const referral = (person: string, sector: string, date: string) => ({
  person_id: person,
  sector,
  care_level: 'outpatient',
  start_date: date,
  end_date: date,
  main_icd10: sector === 'SOM' ? 'M17.1' : 'F32.1',
  referral_date: date,
});

const income = (person: string, year: number, value: number | null) => ({
  person_id: person,
  year,
  labour_income_nok: 0,
  household_eq_income_nok: value,
});

bill('d01', '2011-03-01', ['P76'], ['2ad']);
bill('d01', '2011-04-01', ['A04'], ['2ad', '2cd']);
bill('d01', '2011-05-01', ['P74'], ['2ad', '2cd']);
bill('d01', '2011-06-01', ['R74', 'P76'], ['2ad', '2cd', '615']);
bill('d01', '2011-07-01', ['L03'], ['2ad', '615']);
bill('d02', '2011-04-01', ['P76'], ['2ad']);
bill('d03', '2012-03-01', ['P76'], ['2ad']);
bill('d04', '2012-05-01', ['P76'], ['2ad']);

const EXTRACT: FixtureTables = {
  persons: ['d01', 'd02', 'd03', 'd04'].map((id) => ({
    person_id: id,
    sex: 'F',
    birth_year: 1980,
    municipality: '0301',
    centrality: 1,
    immigrant_category: 'none',
    death_date: null,
    emigration_date: null,
  })),
  kuhr_bills: bills,
  kuhr_diagnoses: diagnoses,
  kuhr_tariffs: tariffs,
  npr_contacts: [
    referral('d02', 'AVTSPES', '2011-05-02'),
    referral('d02', 'SOM', '2011-06-01'),
    referral('d02', 'TSB', '2011-07-01'),
    referral('d02', 'VOP', '2012-04-01'),
  ],
  income: [
    income('d03', 2010, 300_000),
    income('d03', 2011, null),
    income('d03', 2012, 500_000),
    income('d04', 2010, 250_000),
    income('d04', 2011, 400_000),
    income('d04', 2012, 999_000),
  ],
};

let dir: string;
let engine: DuckDbWorkerEngine;
const params = (o: Partial<AnalysisParams> = {}): ResolvedParams =>
  makeParams({ indexFrom: '2011-01-01', indexTo: '2012-12-31', ...o }) as ResolvedParams;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gpdep-reg-definitions-'));
  await writeFixture(dir, EXTRACT);
  engine = new DuckDbWorkerEngine({ dataDir: dir, memoryLimit: '512MB', threads: 1 });
}, 30_000);

afterAll(async () => {
  await engine?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Per person: talking therapy, long consultation and referral counts, household income. */
async function episodes(p: ResolvedParams): Promise<Record<string, Row>> {
  await engine.run('indicator_patterns', p);
  const rows = await engine.debugQuery(`
    SELECT c.person_id, o.tt_n, o.long_n, o.ref_n, c.hh_income
    FROM cohort c JOIN outcomes o ON o.episode_id = c.episode_id ORDER BY c.person_id`);
  return Object.fromEntries(rows.map((r) => [String(r.person_id), r]));
}

describe('definitions: the SQL does what the sentence says', () => {
  it('finds the four episodes', async () => {
    expect(Object.keys(await episodes(params()))).toEqual(['d01', 'd02', 'd03', 'd04']);
  });

  it('a 2cd or 615 bill counts only with a P-chapter diagnosis on it (main or not)', async () => {
    const d01 = (await episodes(params())).d01!;
    expect({ long: d01.long_n, tt: d01.tt_n }).toEqual({ long: 2, tt: 1 });
    // Without the rule, the A04 bill's 2cd and the L03 bill's 615 count too.
    const any = (await episodes(params({ careTariffIcpcChapter: null }))).d01!;
    expect({ long: any.long_n, tt: any.tt_n }).toEqual({ long: 3, tt: 2 });
  });

  it('a referral to a contract specialist (AVTSPES) counts by default, not with VOP only', async () => {
    expect((await episodes(params())).d02!.ref_n).toBe(1);
    expect((await episodes(params({ referralSectors: ['VOP'] }))).d02!.ref_n).toBe(0);
  });

  it('household income is taken from the year before the index year (missing when that year is)', async () => {
    const byDefault = await episodes(params());
    expect([byDefault.d03!.hh_income, byDefault.d04!.hh_income]).toEqual([null, 400_000]);
    const latest = await episodes(params({ incomeYear: 'latest_before' }));
    expect([latest.d03!.hh_income, latest.d04!.hh_income]).toEqual([300_000, 400_000]);
  });

  it('the defaults are the decisions of issue 13', () => {
    expect(DEFAULT_PARAMS.careTariffIcpcChapter).toBe('P');
    expect(DEFAULT_PARAMS.referralSectors).toEqual(['VOP', 'AVTSPES']);
    expect(DEFAULT_PARAMS.incomeYear).toBe('year_before');
  });
});

describe('definitions: the text is generated from them', () => {
  const variants: Partial<AnalysisParams>[] = [
    {},
    { careTariffIcpcChapter: null, referralSectors: ['VOP'], incomeYear: 'latest_before', adNewUser: true },
  ];

  it.each(variants)('the methods text prints every definition for the parameters of the run (%o)', (o) => {
    const p = params(o);
    const html = methodsHtml(p);
    for (const d of [...INDICATOR_DEFINITIONS, ...CHARACTERISTIC_DEFINITIONS])
      expect(html).toContain(esc(d.text(p)));
    for (const d of CHARACTERISTIC_DEFINITIONS) expect(html).toContain(esc(definitionSentence(d, p)));
  });

  it('the sentences follow the parameters', () => {
    const long = INDICATOR_DEFINITIONS.find((d) => d.key === 'long')!;
    const ref = INDICATOR_DEFINITIONS.find((d) => d.key === 'ref')!;
    const inc = CHARACTERISTIC_DEFINITIONS.find((d) => d.key === 'income')!;
    expect(long.text(params())).toContain('ICPC-2 diagnosis in chapter P');
    expect(long.text(params({ careTariffIcpcChapter: null }))).not.toContain('chapter');
    expect(ref.text(params())).toContain('AVTSPES');
    expect(ref.text(params({ referralSectors: ['VOP'] }))).not.toContain('AVTSPES');
    expect(inc.text(params())).toContain('the calendar year before the index year');
    expect(inc.text(params({ incomeYear: 'latest_before' }))).toContain('the latest year before');
  });

  it('docs/registry/analyses.md (and schema.md) are what `npm run registry:schema-doc` generates', async () => {
    for (const { path, text } of await generatedDocs()) expect(readFileSync(path, 'utf8')).toBe(text);
    const doc = readFileSync(join('docs', 'registry', 'analyses.md'), 'utf8');
    for (const d of [...INDICATOR_DEFINITIONS, ...CHARACTERISTIC_DEFINITIONS])
      expect(doc).toContain(d.text(DEFAULT_PARAMS));
    expect(renderDefinitionsSection()).toContain('**Long consultation**');
  }, 30_000);
});
