/**
 * registry:fit on files: CSV and Parquet give the same fit (and lme4's numbers), categorical
 * columns are coded as R codes them, with the reference level the user names, a nested group gives
 * the three-level model, --help prints the usage, and data that cannot be fitted get an error
 * naming the cause.
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
const fixtures = join(here, '..', 'stats', 'glmm', 'fixtures');
const reference = JSON.parse(readFileSync(join(fixtures, 'lme4-reference.json'), 'utf8')) as {
  'a-mixed': { nAGQ25: { fixef: number[]; variance: number } };
};
const nestedReference = JSON.parse(readFileSync(join(fixtures, 'lme4-nested-reference.json'), 'utf8')) as {
  'd-nested': { fixef: number[]; varianceMunicipality: number; varianceGp: number; logLik: number };
};
const tsx = ['--import', 'tsx', join(here, 'fit.ts')];
/** Runs the CLI as a user would (a separate process). */
const cli = (args: string[]) => spawnSync(process.execPath, [...tsx, ...args], { encoding: 'utf8' });
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
    const fromCsv = (await runFitCommand(['--data', csv, ...args, '--nagq', '25']))!;
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

    const fromParquet = (await runFitCommand(['--data', parquet, ...args, '--nagq', '25']))!;
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
  }, 30_000);

  it('prints every option and an example with --help, and exits 0', () => {
    const help = cli(['--help']);
    expect(help.status).toBe(0);
    expect(help.stderr).toBe('');
    for (const option of [
      '--data',
      '--outcome',
      '--group',
      '--fixed',
      '--ref',
      '--factor',
      '--nagq',
      '--level',
      '--interval',
      '--no-modes',
      '--help',
    ])
      expect(help.stdout, option).toContain(option);
    expect(help.stdout).toMatch(/Example:\n {2}npm run registry:fit -- --data /);
    expect(cli(['-h']).stdout).toBe(help.stdout);
    // A wrong option prints the error and the usage on stderr.
    const wrong = cli(['--dta', csv]);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/registry:fit: .*--dta/);
    expect(wrong.stderr).toContain('Usage: npm run registry:fit');
  }, 30_000);

  it('takes the reference level of a factor from --ref, refusing a level that does not exist', async () => {
    const usual = await runFitCommand(['--data', csv, ...args, '--no-modes', '--interval', 'wald']);
    const relevelled = await runFitCommand([
      '--data',
      csv,
      ...args,
      '--ref',
      'age_group=50+',
      '--ref',
      'sex=M',
      '--no-modes',
      '--interval',
      'wald',
    ]);
    expect(relevelled!.levels).toEqual({
      sex: ['M', 'F'],
      age_group: ['50+', '18-29', '30-49'],
      centrality: ['central', 'rural'],
    });
    expect(relevelled!.model.reference).toEqual({ age_group: '50+', sex: 'M' });
    const or = (r: typeof usual, name: string) => r!.fit.fixedEffects.find((f) => f.name === name)!;
    // The same model, re-expressed: same likelihood and variance; the contrasts turn round.
    expect(relevelled!.fit.logLik).toBeCloseTo(usual!.fit.logLik, 6);
    expect(relevelled!.fit.gpVariance.estimate).toBeCloseTo(usual!.fit.gpVariance.estimate, 6);
    expect(or(relevelled, 'sexF').estimate).toBeCloseTo(-or(usual, 'sexM').estimate, 5);
    expect(or(relevelled, 'age_group18-29').estimate).toBeCloseTo(-or(usual, 'age_group50+').estimate, 5);

    await expect(runFitCommand(['--data', csv, ...args, '--ref', 'age_group=40-49'])).rejects.toThrow(
      'Reference level "40-49" of "age_group" does not occur in the data; its levels are "18-29", "30-49", "50+"'
    );
    await expect(runFitCommand(['--data', csv, ...args, '--ref', 'age10=1'])).rejects.toThrow(
      /"age10" is numeric and enters as it is, so it has no reference level/
    );
    await expect(runFitCommand(['--data', csv, ...args, '--ref', 'edu=high'])).rejects.toThrow(
      /"edu" is named as a factor or given a reference level but is not a fixed effect/
    );
    await expect(runFitCommand(['--data', csv, ...args, '--ref', 'age_group'])).rejects.toThrow(UsageError);
    const failed = cli(['--data', csv, ...args, '--ref', 'age_group=40-49']);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(
      /registry:fit: Reference level "40-49" of "age_group" .* "18-29", "30-49", "50\+"/
    );
  }, 30_000);

  it('fits the three-level model for a nested group (municipality/gp) as lme4 does', async () => {
    const ref = nestedReference['d-nested'];
    const result = await runFitCommand([
      '--data',
      join(fixtures, 'd-nested.csv'),
      '--outcome',
      'outcome',
      '--fixed',
      'sex,age10,list_size,centrality',
      '--group',
      'municipality/gp',
      '--no-modes',
    ]);
    expect(result!.model.upper).toBe('municipality');
    expect(result!.data.uppers).toBe(30);
    const three = result!.threeLevel!;
    expect(three.upperColumn).toBe('municipality');
    three.fixedEffects.forEach((f, m) => expect(Math.abs(f.estimate - ref.fixef[m]!)).toBeLessThan(1e-5));
    expect(three.upperVariance.estimate).toBeCloseTo(ref.varianceMunicipality, 5);
    expect(three.groupVariance.estimate).toBeCloseTo(ref.varianceGp, 5);
    expect(three.logLik).toBeCloseTo(ref.logLik, 5);
    expect(three.twoLevel.logLik).toBeCloseTo(result!.fit.logLik, 8);
    expect(three.conditionalModes).toBeUndefined();
    await expect(
      runFitCommand(['--data', csv, ...args.slice(0, -1), 'centrality/gp', '--nagq', '5'])
    ).rejects.toThrow(/--nagq must be 1 with a nested group/);
    await expect(runFitCommand(['--data', csv, ...args.slice(0, -1), 'a/b/c'])).rejects.toThrow(UsageError);
  }, 30_000);
});
