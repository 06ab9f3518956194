import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterOrderViolationsSql, REGISTRY_TABLES } from '../schema/tables.js';
import { openDuck } from './db.js';
import { generateRegistry, type GenerateResult } from './generate.js';
import { GP_VARIANCE, OUTCOMES } from './params.js';
import type { Truth } from './truth.js';

const root = mkdtempSync(join(tmpdir(), 'registry-generate-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function hashDir(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const f of readdirSync(d).sort()) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else out[p.slice(dir.length)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

describe('determinism', () => {
  it('same seed gives identical files; another seed gives different data', { timeout: 60_000 }, async () => {
    const gen = (name: string, seed: number) =>
      generateRegistry({
        persons: 3000,
        firstYear: 2009,
        lastYear: 2012,
        seed,
        out: join(root, name),
        chunkPersons: 1200,
      });
    await gen('a', 11);
    await gen('b', 11);
    // Not seed 12: at 3,000 persons some seeds (5, 7 before issue 13 item 8; 4, 7, 12 after) leave
    // the sick-leave solve among the employed with a target above 1 in a tiny age group, and it
    // stops with "singular system" (reported; the solve is not this test's subject).
    await gen('c', 13);
    const [a, b, c] = ['a', 'b', 'c'].map((n) => hashDir(join(root, n)));
    expect(Object.keys(a!).length).toBeGreaterThan(30);
    expect(b).toEqual(a);
    expect(c!['/kuhr_bills/part-00000.parquet']).not.toEqual(a!['/kuhr_bills/part-00000.parquet']);
    expect(c!['/truth.json']).not.toEqual(a!['/truth.json']);
  });
});

describe('at N = 50,000', () => {
  let result: GenerateResult;
  const dir = join(root, 'n50k');
  beforeAll(async () => {
    result = await generateRegistry({ persons: 50_000, firstYear: 2009, lastYear: 2016, seed: 1, out: dir });
  }, 120_000);

  it('every table matches the schema in tables.ts (columns, order, types)', async () => {
    const duck = await openDuck();
    try {
      for (const t of REGISTRY_TABLES) {
        const cols = await duck.all<{ column_name: string; column_type: string }>(
          `DESCRIBE SELECT * FROM read_parquet('${join(dir, t.name)}/*.parquet')`
        );
        expect(
          cols.map((c) => `${c.column_name}:${c.column_type}`),
          t.name
        ).toEqual(t.columns.map((c) => `${c.name}:${c.type}`));
        const nulls = t.columns
          .filter((c) => !c.nullable)
          .map((c) => `count(*) FILTER (WHERE "${c.name}" IS NULL)`);
        const [row] = await duck.all<Record<string, bigint>>(
          `SELECT count(*) AS n, ${nulls.map((n, i) => `${n} AS c${i}`).join(', ')} FROM read_parquet('${join(dir, t.name)}/*.parquet')`
        );
        expect(Number(row!.n), `${t.name} has rows`).toBeGreaterThan(0);
        for (let i = 0; i < nulls.length; i++)
          expect(Number(row![`c${i}`]), `${t.name} non-nullable column has NULLs`).toBe(0);
      }
      const [dup] = await duck.all<{ n: bigint }>(
        `SELECT count(*) - count(DISTINCT bill_id) AS n FROM read_parquet('${join(dir, 'kuhr_bills')}/*.parquet')`
      );
      expect(Number(dup!.n)).toBe(0);
      for (const t of REGISTRY_TABLES.filter((x) => x.clusterBy)) {
        const [v] = await duck.all<{ n: bigint }>(
          clusterOrderViolationsSql(t, `${join(dir, t.name)}/*.parquet`)
        );
        expect(Number(v!.n), `${t.name} rows in cluster order`).toBe(0);
      }
    } finally {
      duck.close();
    }
  });

  it('reproduces every calibration target within its stated tolerance', () => {
    const failed = result.calibration.rows.filter((r) => r.ok === false);
    expect(failed.map((r) => `${r.figure}: ${r.generated} vs ${r.target} ± ${r.tolerance}`)).toEqual([]);
    expect(result.calibration.rows.length).toBeGreaterThan(60);
    const calib = JSON.parse(readFileSync(join(dir, 'calibration.json'), 'utf8'));
    expect(calib.allOk).toBe(true);
  });

  it('writes a complete planted truth', () => {
    const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as Truth;
    expect(truth.gps.length).toBe(result.truth.gps.length);
    expect(truth.gps.length).toBeGreaterThan(40);
    for (const o of OUTCOMES) {
      const t = truth.outcomes[o];
      expect(t.gpVariance).toBe(GP_VARIANCE[o]);
      expect(Number.isFinite(t.intercept)).toBe(true);
      expect(Object.keys(t.coefficients).length).toBeGreaterThan(5);
      for (const k of ['gp_specialist', 'gp_salaried'])
        expect(t.coefficients[k], `${o} ${k}`).toBeTypeOf('number');
      expect(t.medianOddsRatio).toBeCloseTo(Math.exp(Math.sqrt(2 * t.gpVariance) * 0.6745), 3);
      const u = truth.gps.map((g) => g.u[o]);
      const variance = u.reduce((a, x) => a + x * x, 0) / u.length;
      expect(variance).toBeCloseTo(GP_VARIANCE[o], 6);
    }
    for (const c of ['sex', 'band', 'edu', 'immigrant', 'rural', 'year', 'gp_short_list'])
      expect(truth.covariates[c]).toBeTypeOf('string');
    expect(truth.outcomes.talk.coefficients['rural=yes']).toBeLessThan(0);
    expect(truth.outcomes.sick.population).toMatch(/employed/);
    // Riiser 2022's 40,730 patients a year scaled to the ~45,800 persons present in mid-2012: ~2,700.
    expect(truth.episodes.count).toBeGreaterThan(2400);
  });

  /** P76 consultations (contact type 1) with no P76 contact of any type in the `washout` days before. */
  const foundSql = (washout: number) => `
        WITH p76 AS (SELECT b.person_id, CAST(b.contact_time AS DATE) AS d, max((b.contact_type = 1)::INTEGER) AS q
               FROM read_parquet('${dir}/kuhr_diagnoses/*.parquet') dx
               JOIN read_parquet('${dir}/kuhr_bills/*.parquet') b USING (bill_id) WHERE dx.code = 'P76' GROUP BY ALL),
             found AS (SELECT person_id, d FROM (SELECT *, lag(d) OVER (PARTITION BY person_id ORDER BY d) AS prev FROM p76)
               WHERE q = 1 AND (prev IS NULL OR d - prev > ${washout}))`;

  it('planted episodes are exactly the P76 episodes after a 365-day washout', async () => {
    const duck = await openDuck();
    try {
      const [r] = await duck.all<{ planted: bigint; found: bigint; both: bigint }>(`${foundSql(365)},
             planted AS (SELECT person_id, index_date AS d FROM read_parquet('${dir}/truth_episodes.parquet'))
        SELECT (SELECT count(*) FROM planted) AS planted, (SELECT count(*) FROM found) AS found,
               (SELECT count(*) FROM planted JOIN found USING (person_id, d)) AS both`);
      expect(Number(r!.found)).toBe(Number(r!.planted));
      expect(Number(r!.both)).toBe(Number(r!.planted));
    } finally {
      duck.close();
    }
  });

  it('earlier P76 contacts of recurrent episodes make a longer washout drop episodes', async () => {
    // recurrence.ts plants a simple P76 contact 400-1095 days before a quarter of the episodes.
    // A 730-day washout must lose every planted episode whose earlier contact is 730 days or less
    // before it, and find no episode that was not planted.
    const duck = await openDuck();
    try {
      const [r] = await duck.all<{
        planted: bigint;
        reachable: bigint;
        found: bigint;
        extra: bigint;
        kept: bigint;
      }>(`${foundSql(730)},
             planted AS (SELECT person_id, index_date AS d, prior_p76_days FROM read_parquet('${dir}/truth_episodes.parquet'))
        SELECT (SELECT count(*) FROM planted) AS planted,
               (SELECT count(*) FROM planted WHERE prior_p76_days <= 730) AS reachable,
               (SELECT count(*) FROM found) AS found,
               (SELECT count(*) FROM found ANTI JOIN planted USING (person_id, d)) AS extra,
               (SELECT count(*) FROM planted JOIN found USING (person_id, d) WHERE prior_p76_days <= 730) AS kept`);
      expect(Number(r!.reachable)).toBeGreaterThan(0.05 * Number(r!.planted));
      expect(Number(r!.extra)).toBe(0);
      expect(Number(r!.kept)).toBe(0);
      expect(Number(r!.found)).toBeLessThanOrEqual(Number(r!.planted) - Number(r!.reachable));
    } finally {
      duck.close();
    }
  });
});
