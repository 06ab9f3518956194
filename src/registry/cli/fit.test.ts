/**
 * registry:fit on files: CSV and Parquet give the same fit (and lme4's numbers), categorical
 * columns are coded as R codes them, and data that cannot be fitted get an error naming the cause.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lit, openDuck } from '../generate/db.js';
import { runFitCommand, UsageError } from './fit.js';

const here = dirname(fileURLToPath(import.meta.url));
const csv = join(here, '..', 'stats', 'glmm', 'fixtures', 'a-mixed.csv');
const reference = JSON.parse(
  readFileSync(join(here, '..', 'stats', 'glmm', 'fixtures', 'lme4-reference.json'), 'utf8')
) as { 'a-mixed': { nAGQ25: { fixef: number[]; variance: number } } };
const args = ['--outcome', 'outcome', '--fixed', 'sex,age_group,age10,centrality', '--group', 'gp'];

let dir: string;
let parquet: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gpdep-fit-'));
  parquet = join(dir, 'a-mixed.parquet');
  const duck = await openDuck();
  await duck.run(
    `COPY (SELECT * FROM read_csv(${lit(csv)}, header = true)) TO ${lit(parquet)} (FORMAT parquet)`
  );
  duck.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const writeCsv = (name: string, header: string, rows: string[]) => {
  const path = join(dir, name);
  writeFileSync(path, [header, ...rows].join('\n') + '\n');
  return path;
};

describe('registry:fit', () => {
  it('fits a CSV file with AGHQ as lme4 does, and a Parquet file identically', async () => {
    const fromCsv = await runFitCommand(['--data', csv, ...args, '--nagq', '25']);
    const ref = reference['a-mixed'].nAGQ25;
    expect(fromCsv.fit.fixedEffects.map((f) => f.name)).toEqual([
      '(Intercept)',
      'sexM',
      'age_group30-49',
      'age_group50+',
      'age10',
      'centralityrural',
    ]);
    fromCsv.fit.fixedEffects.forEach((f, m) =>
      expect(Math.abs(f.estimate - ref.fixef[m]!)).toBeLessThan(1e-4)
    );
    expect(fromCsv.fit.gpVariance.estimate).toBeCloseTo(ref.variance, 4);
    expect(fromCsv.levels).toEqual({
      sex: ['F', 'M'],
      age_group: ['18-29', '30-49', '50+'],
      centrality: ['central', 'rural'],
    });
    expect(fromCsv.fit.ior80.map((i) => i.name)).toEqual(['centralityrural']);
    expect(fromCsv.nullModel!.gpVariance).toBeGreaterThan(0);
    expect(fromCsv.pcv).toBeCloseTo(
      (fromCsv.nullModel!.gpVariance - fromCsv.fit.gpVariance.estimate) / fromCsv.nullModel!.gpVariance,
      10
    );
    // Conditional modes in group-label order (not ranked by effect).
    const groups = fromCsv.fit.conditionalModes!.map((m) => m.group);
    expect(groups).toEqual([...groups].sort());
    expect(groups).toHaveLength(80);

    const fromParquet = await runFitCommand(['--data', parquet, ...args, '--nagq', '25']);
    expect(fromParquet.fit.fixedEffects.map((f) => f.estimate)).toEqual(
      fromCsv.fit.fixedEffects.map((f) => f.estimate)
    );
  });

  it('names the cause when the data cannot be fitted', async () => {
    const refuse = (path: string, fixed: string, pattern: RegExp) =>
      expect(
        runFitCommand(['--data', path, '--outcome', 'y', '--fixed', fixed, '--group', 'gp'])
      ).rejects.toThrow(pattern);
    await refuse(
      writeCsv('constant.csv', 'gp,y,x', ['a,0,1', 'b,0,2', 'a,0,3']),
      'x',
      /"y" is 0 for every person/
    );
    await refuse(
      writeCsv('single.csv', 'gp,y,x', ['a,0,1', 'a,1,2', 'a,0,3']),
      'x',
      /Group "gp" has a single value/
    );
    await refuse(
      writeCsv('missing.csv', 'gp,y,x', ['a,0,1', 'b,1,', 'a,0,3', 'b,1,2']),
      'x',
      /"x" has missing values in 1 row \(first: row 2\)/
    );
    await refuse(
      writeCsv('separated.csv', 'gp,y,x', ['a,0,lo', 'b,0,lo', 'a,1,hi', 'b,1,hi', 'c,1,hi', 'c,0,lo']),
      'x',
      /Perfect separation: every person with xlo = 1 has outcome 0/
    );
    await refuse(
      writeCsv('cols.csv', 'gp,y,x', ['a,0,1', 'b,1,2']),
      'z',
      /Column "z" not in .*\(columns: gp, y, x\)/
    );
    await refuse(join(dir, 'none.csv'), 'x', /No such file/);
    await expect(runFitCommand(['--data', csv, ...args, '--nagq', '0'])).rejects.toThrow(UsageError);
  });

  it('prints JSON on stdout, and an error with exit code 1 on stderr', () => {
    const tsx = ['--import', 'tsx', join(here, 'fit.ts')];
    const out = execFileSync(
      process.execPath,
      [...tsx, '--data', csv, ...args, '--no-modes', '--interval', 'wald'],
      {
        encoding: 'utf8',
      }
    );
    const parsed = JSON.parse(out) as { fit: { gpVariance: { method: string }; conditionalModes?: unknown } };
    expect(parsed.fit.gpVariance.method).toBe('Wald on log σ');
    expect(parsed.fit.conditionalModes).toBeUndefined();
    const failed = spawnSync(
      process.execPath,
      [...tsx, '--data', csv, '--outcome', 'age10', '--group', 'gp'],
      {
        encoding: 'utf8',
      }
    );
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/registry:fit: Outcome "age10" must be 0 or 1/);
    expect(failed.stdout).toBe('');
  });
});
