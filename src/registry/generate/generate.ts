// Long (over 400 lines) because the generator's stages run in order on temporary tables of one DuckDB session; the shared context is in context.ts.
/**
 * The synthetic national-scale twin of the GP-DEP linkage. Everything is generated in DuckDB SQL
 * from seeded hash-based draws and written straight to Parquet with COPY, person range by person
 * range, so memory stays bounded at any population size (DuckDB spills to the temp folder).
 *
 * Stages: geography and GPs (JS) -> persons -> new depression episodes -> solve the planted
 * logistic models' calibrated coefficients on the realised cohort -> draw outcomes -> write all
 * 13 tables (background per person chunk, episode events once) -> truth.json -> calibration.json.
 */
import { mkdirSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REGISTRY_TABLES } from '../schema/tables.js';
import { openDuck, lit, num, type Duck } from './db.js';
import { buildGeography } from './geography.js';
import {
  ADOLESCENT_OFFSET,
  AGE_BANDS,
  AGE_BAND_SQL,
  BIRTHS_PER_YEAR_SHARE,
  EMIGRATION_RATE,
  EPISODES_PER_YEAR_NATIONAL,
  EPISODE_ADOLESCENT_SHARE,
  EPISODE_AGE_SHARES,
  EPISODE_GAP_YEARS,
  EPISODE_SHARE_FEMALE,
  FIXED,
  GOMPERTZ,
  GP_VARIANCE,
  IMMIGRANT_BY_AGE,
  IMMIGRANT_EDUCATION_MISSING,
  NATIONAL_POPULATION,
  OUTCOMES,
  RURAL_CENTRALITY_MIN,
  RURAL_EDUCATION,
  RURAL_RR,
  SHORT_LIST_BELOW,
  TABLE4,
  TREND,
  BACKGROUND_AD,
  CONSULT_FRAILTY_SD,
  DISABILITY,
  type Outcome,
} from './params.js';
import { RANDOM_MACROS, salt } from './random.js';
import { solveCalibration, type Cell, type FactorTarget } from './solver.js';
import { eduAt, eduFinal, employedAt, episodeRr, gpId, personId } from './sqlparts.js';
import { writeBackground } from './background.js';
import { writeEpisodeEvents } from './episodes.js';
import { priorContactDaysSql } from './recurrence.js';
import { MOVE_SHARE } from './residence.js';
import { computeCalibration, type CalibrationReport } from './calibration.js';
import { buildTruth, type Truth } from './truth.js';
import { copyTo, type GenerateContext, type GenerateOptions, type Solved } from './context.js';

export type { GenerateContext, GenerateOptions, Solved } from './context.js';

export interface GenerateResult {
  truth: Truth;
  calibration: CalibrationReport;
  timings: Record<string, number>;
}

const FINAL_FILES = ['truth.json', 'calibration.json', 'truth_episodes.parquet', 'project_meta.json'];

export async function generateRegistry(options: GenerateOptions): Promise<GenerateResult> {
  const opts = {
    ...options,
    chunkPersons: options.chunkPersons ?? 500_000,
    threads: options.threads ?? 2,
  };
  if (!Number.isInteger(opts.persons) || opts.persons < 1000)
    throw new Error('--persons must be an integer of at least 1,000');
  if (opts.lastYear < opts.firstYear) throw new Error('--years: last year before first year');
  const log = options.log ?? (() => {});
  const out = resolve(opts.out);
  prepareOut(out);
  const tmp = join(out, '.duckdb-tmp');
  mkdirSync(tmp, { recursive: true });
  const duck = await openDuck({
    threads: opts.threads,
    tempDirectory: tmp,
    memoryLimit: opts.memoryLimit ?? '5GB',
  });
  const timings: Record<string, number> = {};
  const time = async <T>(label: string, f: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const r = await f();
    timings[label] = Math.round(performance.now() - t0);
    log(`${label}: ${(timings[label] / 1000).toFixed(1)} s`);
    return r;
  };
  try {
    for (const m of RANDOM_MACROS) await duck.run(m);
    const nYears = opts.lastYear - opts.firstYear + 1;
    const refYear = Math.floor((opts.firstYear + opts.lastYear) / 2);
    const episodeYears = nYears > 1 ? range(opts.firstYear, opts.lastYear - 1) : [opts.firstYear];
    const ctx: GenerateContext = {
      duck,
      opts: { ...opts, memoryLimit: options.memoryLimit },
      out,
      s: (name) => salt(opts.seed, name),
      nYears,
      refYear,
      refDate: `${refYear}-07-01`,
      dataStart: `${opts.firstYear}-01-01`,
      dataEnd: `${opts.lastYear}-12-31`,
      episodeYears,
      geo: buildGeography(opts.persons, opts.seed, refYear, opts.firstYear),
      log,
    };
    for (const t of REGISTRY_TABLES) mkdirSync(join(out, t.name), { recursive: true });
    await time('geography', () => loadGeography(ctx));
    await time('persons', () => buildPersons(ctx));
    await time('list sizes', () => listSizes(ctx));
    await time('episodes', () => buildEpisodes(ctx));
    const solved = await time('solve', () => solveOutcomes(ctx));
    await time('outcomes', () => drawOutcomes(ctx, solved));
    await time('episode events', () => writeEpisodeEvents(ctx));
    await time('background', () => writeBackground(ctx));
    await time('small tables', () => writeSmallTables(ctx));
    const truth = await time('truth', () => writeTruth(ctx, solved));
    const calibration = await time('calibration', () => computeCalibration(out, { duck, truth }));
    writeFileSync(join(out, 'calibration.json'), JSON.stringify(calibration, null, 2) + '\n');
    writeFileSync(
      join(out, 'project_meta.json'),
      JSON.stringify(
        {
          format: 'gpdep-registry/1',
          synthetic: true,
          generator: 'src/registry/generate',
          persons: opts.persons,
          years: [opts.firstYear, opts.lastYear],
          episodeYears,
          seed: opts.seed,
          referenceDate: ctx.refDate,
          tables: REGISTRY_TABLES.map((t) => t.name),
        },
        null,
        2
      ) + '\n'
    );
    return { truth, calibration, timings };
  } finally {
    duck.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

/** Clear previous output: only the folders and files this generator writes. */
function prepareOut(out: string) {
  mkdirSync(out, { recursive: true });
  const known = new Set([...REGISTRY_TABLES.map((t) => t.name), ...FINAL_FILES, '.duckdb-tmp']);
  const unknown = readdirSync(out).filter((f) => !known.has(f));
  if (unknown.length && !existsSync(join(out, 'project_meta.json'))) {
    throw new Error(
      `${out} is not empty and holds no generated registry data (found ${unknown.slice(0, 3).join(', ')}); choose an empty folder.`
    );
  }
  for (const name of known) rmSync(join(out, name), { recursive: true, force: true });
}

async function insertRows(duck: Duck, table: string, columns: string, rows: string[]) {
  for (let i = 0; i < rows.length; i += 2000) {
    await duck.run(`INSERT INTO ${table} VALUES ${rows.slice(i, i + 2000).join(',')}`);
  }
}

async function loadGeography(ctx: GenerateContext) {
  const { duck, geo } = ctx;
  await duck.run(`CREATE TABLE muni (muni_idx INTEGER, code VARCHAR, centrality INTEGER)`);
  await insertRows(
    duck,
    'muni',
    '',
    geo.municipalities.map((m) => `(${m.idx}, ${lit(m.code)}, ${m.centrality})`)
  );
  await duck.run(`CREATE TABLE gp (gp_idx INTEGER, gp_id VARCHAR, list_idx INTEGER, sex VARCHAR, birth_year INTEGER,
    specialist BOOLEAN, employment VARCHAR, practice_id VARCHAR, muni_idx INTEGER, capacity INTEGER,
    u_talk DOUBLE, u_long DOUBLE, u_ad DOUBLE, u_sick DOUBLE, u_referral DOUBLE)`);
  await insertRows(
    duck,
    'gp',
    '',
    geo.gps.map(
      (g) =>
        `(${g.idx}, ${lit(g.gpId)}, ${g.listIdx}, ${lit(g.sex)}, ${g.birthYear}, ${g.specialist}, ${lit(g.employment)}, ${lit(g.practiceId)}, ${g.muniIdx}, ${g.capacity}, ${num(g.u.talk)}, ${num(g.u.long)}, ${num(g.u.ad)}, ${num(g.u.sick)}, ${num(g.u.referral)})`
    )
  );
  await duck.run(
    `CREATE TABLE lists (list_idx INTEGER, list_id VARCHAR, gp_idx INTEGER, muni_idx INTEGER, weight DOUBLE, valid_from DATE)`
  );
  await insertRows(
    duck,
    'lists',
    '',
    geo.lists.map(
      (l) =>
        `(${l.idx}, ${lit(l.listId)}, ${l.gpIdx ?? 'NULL'}, ${l.muniIdx}, ${l.weight}, DATE ${lit(l.validFrom)})`
    )
  );
  const buckets = Math.max(4096, 64 * geo.lists.length);
  // Global buckets: a person's uniform picks a list proportional to its weight (one equality join).
  await duck.run(`CREATE TABLE lb AS
    WITH c AS (SELECT list_idx, weight, sum(weight) OVER (ORDER BY list_idx) AS cum, sum(weight) OVER () AS tot FROM lists)
    SELECT unnest(range(floor((cum - weight) / tot * ${buckets})::BIGINT, floor(cum / tot * ${buckets})::BIGINT)) AS bucket, list_idx FROM c`);
  // Per-municipality buckets for a change of list within the municipality, and GPs per municipality for locums.
  await duck.run(`CREATE TABLE mb AS
    WITH c AS (SELECT list_idx, muni_idx, weight,
      sum(weight) OVER (PARTITION BY muni_idx ORDER BY list_idx) AS cum, sum(weight) OVER (PARTITION BY muni_idx) AS tot,
      64 * count(*) OVER (PARTITION BY muni_idx) AS nb FROM lists)
    SELECT muni_idx, nb, unnest(range(floor((cum - weight) / tot * nb)::BIGINT, floor(cum / tot * nb)::BIGINT)) AS b, list_idx FROM c`);
  await duck.run(`CREATE TABLE mnb AS SELECT muni_idx, any_value(nb) AS nb FROM mb GROUP BY muni_idx`);
  await duck.run(`CREATE TABLE mgp AS SELECT muni_idx, (row_number() OVER (PARTITION BY muni_idx ORDER BY gp_idx) - 1) AS k, gp_idx,
    count(*) OVER (PARTITION BY muni_idx) AS ngp FROM gp`);
  await duck.run(`CREATE TABLE bands (band_i INTEGER, lo INTEGER, hi INTEGER, female DOUBLE, cum DOUBLE)`);
  const bands = [...AGE_BANDS];
  if (ctx.opts.lastYear > ctx.refYear) {
    const years = ctx.opts.lastYear - ctx.refYear;
    bands.unshift({ lo: -years, hi: -1, share: BIRTHS_PER_YEAR_SHARE * 100 * years, female: 0.487 });
  }
  const total = bands.reduce((a, b) => a + b.share, 0);
  let cum = 0;
  await insertRows(
    duck,
    'bands',
    '',
    bands.map((b, i) => {
      cum += b.share / total;
      return `(${i}, ${b.lo}, ${b.hi}, ${b.female}, ${i === bands.length - 1 ? 1.0000001 : num(cum)})`;
    })
  );
  (ctx as GenerateContext & { buckets: number }).buckets = buckets;
}

async function buildPersons(ctx: GenerateContext) {
  const { duck, s, opts } = ctx;
  const buckets = (ctx as GenerateContext & { buckets: number }).buckets;
  const immCase = (key: 'immigrant' | 'born') =>
    `CASE ${IMMIGRANT_BY_AGE.map((r) => `WHEN age_ref <= ${r.maxAge} THEN ${r[key]}`).join(' ')} END`;
  const dataStart = `DATE '${ctx.dataStart}'`;
  const dataEnd = `DATE '${ctx.dataEnd}'`;
  await duck.run(`CREATE TABLE P AS
  WITH a AS (
    SELECT range AS pn, rnd(range, ${s('age')}) AS u_age, rnd(range, ${s('age2')}) AS u_age2, rnd(range, ${s('sex')}) AS u_sex,
      floor(rnd(range, ${s('list')}) * ${buckets})::BIGINT AS bucket
    FROM range(${opts.persons})
  ), b AS (
    SELECT a.*, bd.lo, bd.hi, bd.female FROM a ASOF JOIN bands bd ON a.u_age < bd.cum
  ), c AS (
    SELECT pn, ${ctx.refYear} - (lo + floor(u_age2 * (hi - lo + 1))::INTEGER) AS birth_year,
      lo + floor(u_age2 * (hi - lo + 1))::INTEGER AS age_ref,
      CASE WHEN u_sex < female THEN 'F' ELSE 'M' END AS sex, lb.list_idx AS list1_idx
    FROM b JOIN lb USING (bucket)
  ), d AS (
    SELECT c.*, l.muni_idx, l.gp_idx AS list1_gp, m.code AS municipality, m.centrality,
      m.centrality >= ${RURAL_CENTRALITY_MIN} AS rural,
      CASE WHEN rnd(pn, ${s('imm')}) < ${immCase('immigrant')} THEN 'immigrant'
           WHEN rnd(pn, ${s('imm')}) < ${immCase('immigrant')} + ${immCase('born')} THEN 'norwegian_born_to_immigrants'
           ELSE 'none' END AS immig,
      CASE WHEN m.centrality >= ${RURAL_CENTRALITY_MIN} THEN ${RURAL_EDUCATION.low} ELSE 1.0 END AS lowf,
      CASE WHEN m.centrality >= ${RURAL_CENTRALITY_MIN} THEN ${RURAL_EDUCATION.high} ELSE 1.0 END AS highf,
      make_date(birth_year, 1, 1) + floor(rnd(pn, ${s('bday')}) * 365)::INTEGER AS birth_date
    FROM c JOIN lists l ON l.list_idx = c.list1_idx JOIN muni m ON m.muni_idx = l.muni_idx
  ), e AS (
    SELECT d.*,
      CASE WHEN immig = 'immigrant' AND rnd(pn, ${s('edumiss')}) < ${IMMIGRANT_EDUCATION_MISSING} THEN NULL
           ELSE ${eduFinal(`rnd(pn, ${s('edu')})`)} END AS edu_final,
      rnd(pn, ${s('nus')}) AS u_nus,
      greatest(${dataStart}, birth_date) AS entry_date,
      -ln(rnd(pn, ${s('death')})) AS e_death,
      -ln(rnd(pn, ${s('emig')})) / (CASE WHEN immig = 'immigrant' THEN ${EMIGRATION_RATE.immigrant} ELSE ${EMIGRATION_RATE.native} END) AS t_emig
    FROM d
  ), f AS (
    SELECT e.*,
      CASE edu_final WHEN 'low' THEN (CASE WHEN u_nus < 0.9 THEN 2 WHEN u_nus < 0.95 THEN 1 ELSE 0 END)
                     WHEN 'medium' THEN (CASE WHEN u_nus < 0.35 THEN 3 WHEN u_nus < 0.95 THEN 4 ELSE 5 END)
                     WHEN 'high' THEN (CASE WHEN u_nus < 0.65 THEN 6 WHEN u_nus < 0.95 THEN 7 ELSE 8 END) END AS nus_final,
      ln(1 + ${GOMPERTZ.b} * e_death / exp(${GOMPERTZ.lnA} + ${GOMPERTZ.b} * ((entry_date - birth_date) / 365.25))) / ${GOMPERTZ.b} AS t_death
    FROM e
  ), g AS (
    SELECT f.*,
      CASE WHEN t_death * 365.25 < (${dataEnd} - entry_date) THEN entry_date + floor(t_death * 365.25)::INTEGER END AS death0,
      CASE WHEN t_emig * 365.25 < (${dataEnd} - entry_date) THEN entry_date + floor(t_emig * 365.25)::INTEGER END AS emig0
    FROM f
  ), h AS (
    SELECT g.*,
      CASE WHEN emig0 IS NOT NULL AND (death0 IS NULL OR emig0 < death0) THEN emig0 END AS emigration_date,
      CASE WHEN death0 IS NOT NULL AND (emig0 IS NULL OR death0 <= emig0) THEN death0 END AS death_date
    FROM g
  ), i AS (
    SELECT h.*, coalesce(emigration_date, death_date) AS end_date,
      (coalesce(emigration_date, death_date, ${dataEnd}) - entry_date) - 30 AS switch_span
    FROM h
  ), j AS (
    SELECT i.*,
      CASE WHEN rnd(pn, ${s('switch')}) < 0.12 AND switch_span > 0 THEN entry_date + 30 + floor(rnd(pn, ${s('switchday')}) * switch_span)::INTEGER END AS switch0,
      floor(rnd(pn, ${s('list2')}) * mnb.nb)::BIGINT AS b2
    FROM i JOIN mnb USING (muni_idx)
  ), k AS (
    SELECT j.*, mb.list_idx AS list2_cand, mg.gp_idx AS locum_gp
    FROM j JOIN mb ON mb.muni_idx = j.muni_idx AND mb.b = j.b2
    JOIN (SELECT muni_idx, any_value(ngp) AS ngp FROM mgp GROUP BY muni_idx) n ON n.muni_idx = j.muni_idx
    JOIN mgp mg ON mg.muni_idx = j.muni_idx AND mg.k = floor(rnd(j.pn, ${s('locum')}) * n.ngp)::BIGINT
  )
  SELECT pn, ${personId('pn')} AS person_id, sex, birth_year, birth_date, age_ref, municipality, muni_idx, centrality, rural, immig,
    edu_final, nus_final, rnd(pn, ${s('emp')}) AS emp_u,
    exp(${CONSULT_FRAILTY_SD} * rnorm(pn, ${s('frailty')}) - ${num((CONSULT_FRAILTY_SD * CONSULT_FRAILTY_SD) / 2)}) AS frailty,
    entry_date, death_date, emigration_date, end_date,
    list1_idx, greatest(birth_date, ${dataStart} - floor(rnd(pn, ${s('mfrom')}) * 2700)::INTEGER) AS list1_from,
    CASE WHEN switch0 IS NOT NULL AND list2_cand <> list1_idx THEN switch0 END AS switch_date,
    CASE WHEN switch0 IS NOT NULL AND list2_cand <> list1_idx THEN list2_cand ELSE list1_idx END AS list2_idx,
    coalesce(list1_gp, locum_gp) AS gp_a_idx,
    locum_gp,
    rnd(pn, ${s('aduser')}) < (CASE WHEN sex = 'F' THEN ${BACKGROUND_AD.women} ELSE ${BACKGROUND_AD.men} END)
      * (CASE WHEN age_ref >= 65 THEN ${BACKGROUND_AD.elderlyFactor} WHEN age_ref < 15 THEN 0.1 ELSE 1.0 END) AS ad_user,
    CASE WHEN ${ctx.opts.firstYear} - birth_year BETWEEN 18 AND 66
          AND rnd(pn, ${s('disab')}) < (CASE WHEN ${ctx.opts.firstYear} - birth_year >= 50 THEN ${DISABILITY.prevalence50to66} ELSE ${DISABILITY.prevalence18to49} END)
         THEN ${dataStart} - 1 - floor(rnd(pn, ${s('disabfrom')}) * 3650)::INTEGER END AS disab_from
  FROM k
  ORDER BY pn`);
  // The GP of the second list (a list without a GP keeps the person's locum), and practice types.
  await duck.run(`CREATE TABLE P2 AS SELECT P.*, coalesce(l2.gp_idx, P.locum_gp) AS gp_b_idx,
      ${gpId('coalesce(P.gp_a_idx, 0)')} AS gp_a_id, ${gpId('coalesce(l2.gp_idx, P.locum_gp)')} AS gp_b_id,
      CASE WHEN ga.employment = 'salaried' THEN 'FALO' ELSE 'FALE' END AS gp_a_ptype,
      CASE WHEN gb.employment = 'salaried' THEN 'FALO' ELSE 'FALE' END AS gp_b_ptype
    FROM P JOIN lists l2 ON l2.list_idx = P.list2_idx JOIN gp ga ON ga.gp_idx = P.gp_a_idx
    JOIN gp gb ON gb.gp_idx = coalesce(l2.gp_idx, P.locum_gp)
    ORDER BY pn`);
  await duck.run(`DROP TABLE P`);
  // Moves between municipalities (residence.ts): the destination is drawn like a first list
  // (population-weighted), a move inside the same municipality is no move.
  const span = `(coalesce(P2.end_date, ${dataEnd}) - P2.entry_date - 30)`;
  await duck.run(`CREATE TABLE P AS SELECT P2.*, mv.move_date, mv.municipality2, mv.centrality2 FROM P2 LEFT JOIN (
      SELECT P2.pn, P2.entry_date + 30 + floor(rnd(P2.pn, ${s('move_day')}) * ${span})::INTEGER AS move_date,
        m.code AS municipality2, m.centrality AS centrality2
      FROM P2 JOIN lb ON lb.bucket = floor(rnd(P2.pn, ${s('move_to')}) * ${buckets})::BIGINT
      JOIN lists l ON l.list_idx = lb.list_idx JOIN muni m ON m.muni_idx = l.muni_idx
      WHERE rnd(P2.pn, ${s('move')}) < ${MOVE_SHARE} AND m.muni_idx <> P2.muni_idx AND ${span} > 0
    ) mv USING (pn) ORDER BY pn`);
  await duck.run(`DROP TABLE P2`);
}

/** Realised list sizes at the reference date; "short list" (a planted GP-level effect) and ceilings follow. */
async function listSizes(ctx: GenerateContext) {
  const ref = `DATE '${ctx.refDate}'`;
  await ctx.duck.run(`CREATE TABLE list_size AS
    SELECT l.list_idx, coalesce(n, 0) AS size FROM lists l LEFT JOIN (
      SELECT CASE WHEN switch_date IS NOT NULL AND ${ref} >= switch_date THEN list2_idx ELSE list1_idx END AS list_idx, count(*) AS n
      FROM P WHERE entry_date <= ${ref} AND (end_date IS NULL OR end_date > ${ref}) AND list1_from <= ${ref}
      GROUP BY ALL) USING (list_idx)`);
  await ctx.duck
    .run(`CREATE TABLE gpx AS SELECT gp.*, m.centrality, m.code AS municipality, m.centrality >= ${RURAL_CENTRALITY_MIN} AS rural,
      ls.size AS list_size, ls.size < ${SHORT_LIST_BELOW} AS short_list, gp.employment = 'salaried' AS salaried, gp.sex = 'F' AS female,
      ${gpStatusDates(ctx)}
    FROM gp JOIN muni m USING (muni_idx) JOIN list_size ls USING (list_idx) ORDER BY gp_idx`);
}

/**
 * GP status changes inside the data period (issue 13, item 6: exposures as of the index date): a
 * share of the specialists in general practice were approved during it, and a share of the
 * salaried GPs moved to their own practice during it; the rest hold their status throughout.
 * Columns: specialist_from (null = never a specialist) and salaried_until (the first day
 * self-employed; null = no change).
 */
export const GP_STATUS_CHANGES = { specialistDuring: 0.3, salariedSwitch: 0.3 } as const;

function gpStatusDates(ctx: GenerateContext): string {
  const start = `DATE '${ctx.dataStart}'`;
  const span = `(DATE '${ctx.dataEnd}' - ${start})`;
  const s = ctx.s;
  return `CASE WHEN gp.specialist THEN (CASE WHEN rnd(gp_idx, ${s('spec_new')}) < ${GP_STATUS_CHANGES.specialistDuring}
      THEN ${start} + floor(rnd(gp_idx, ${s('spec_day')}) * ${span})::INTEGER
      ELSE ${start} - 1 - floor(rnd(gp_idx, ${s('spec_old')}) * 5000)::INTEGER END) END AS specialist_from,
    CASE WHEN gp.employment = 'salaried' AND rnd(gp_idx, ${s('sal_sw')}) < ${GP_STATUS_CHANGES.salariedSwitch}
      THEN ${start} + 1 + floor(rnd(gp_idx, ${s('sal_day')}) * ${span})::INTEGER END AS salaried_until`;
}

function fixedSql(o: Outcome): string {
  const f = FIXED[o];
  const terms = [
    `${num(f.gp_specialist)} * specialist::INTEGER`,
    `${num(f.gp_salaried)} * salaried::INTEGER`,
    `${num(f.gp_short_list)} * short_list::INTEGER`,
    `${num(f.gp_female)} * female::INTEGER`,
  ];
  if (f.employed) terms.push(`${num(f.employed)} * employed::INTEGER`);
  if (f.male) terms.push(`${num(f.male)} * (sex = 'M')::INTEGER`);
  if (f.immigrant) terms.push(`${num(f.immigrant)} * (immig_yes = 'yes')::INTEGER`);
  if (f.rural) terms.push(`${num(f.rural)} * (rural_yes = 'yes')::INTEGER`);
  if (f.edu_high) terms.push(`${num(f.edu_high)} * (edu = 'high')::INTEGER`);
  if (f.age)
    terms.push(
      `(CASE band ${Object.entries(f.age)
        .map(([b, v]) => `WHEN '${b}' THEN ${num(v)}`)
        .join(' ')} ELSE 0 END)`
    );
  return `(${terms.join(' + ')} + u_${o})`;
}

async function buildEpisodes(ctx: GenerateContext) {
  const { duck, s, opts } = ctx;
  const scale = opts.persons / NATIONAL_POPULATION;
  const perYear = EPISODES_PER_YEAR_NATIONAL * scale;
  const y0 = opts.firstYear;
  const nEp = ctx.episodeYears.length;
  const ageExpr = `(${y0} + yi - birth_year)`;
  const present = `(entry_date <= make_date(${y0} + yi, 7, 1) AND (end_date IS NULL OR end_date > make_date(${y0} + yi, 7, 1)))`;
  // Denominators: sum of relative rates of persons present at mid-year, by year, age band and sex.
  await duck.run(`CREATE TABLE epden AS
    SELECT yi, band, sex, sum(rr) AS w FROM (
      SELECT yi, ${AGE_BAND_SQL.replace(/\bage\b/g, ageExpr)} AS band, sex, ${episodeRr(ageExpr)} AS rr
      FROM P, range(${nEp}) r(yi) WHERE ${ageExpr} >= 12 AND ${present}) GROUP BY ALL`);
  const targets: string[] = [];
  for (let yi = 0; yi < nEp; yi++) {
    for (const { band, share } of EPISODE_AGE_SHARES) {
      targets.push(`(${yi}, '${band}', 'F', ${num(perYear * share * EPISODE_SHARE_FEMALE)})`);
      targets.push(`(${yi}, '${band}', 'M', ${num(perYear * share * (1 - EPISODE_SHARE_FEMALE))})`);
    }
    targets.push(`(${yi}, '12-17', 'F', ${num(perYear * EPISODE_ADOLESCENT_SHARE * 0.65)})`);
    targets.push(`(${yi}, '12-17', 'M', ${num(perYear * EPISODE_ADOLESCENT_SHARE * 0.35)})`);
  }
  await duck.run(`CREATE TABLE eptarget (yi INTEGER, band VARCHAR, sex VARCHAR, target DOUBLE)`);
  await duck.run(`INSERT INTO eptarget VALUES ${targets.join(',')}`);
  await duck.run(
    `CREATE TABLE epbase AS SELECT yi, band, sex, target / w AS base FROM eptarget JOIN epden USING (yi, band, sex)`
  );
  // Candidates: q corrected for the exclusion of years right after an earlier candidate (gap rule).
  await duck.run(`CREATE TABLE cand AS
    SELECT pn, yi FROM (
      SELECT pn, py.yi, base * rr AS q0
      FROM (SELECT P.*, r.yi, ${AGE_BAND_SQL.replace(/\bage\b/g, ageExpr)} AS band, ${episodeRr(ageExpr)} AS rr FROM P, range(${nEp}) r(yi) WHERE ${ageExpr} >= 12 AND ${present}) py
      JOIN epbase eb ON eb.yi = py.yi AND eb.sex = py.sex AND eb.band = py.band)
    WHERE rnd(pn * 64 + yi, ${s('episode')}) < q0 / pow(1 - least(q0, 0.5), least(yi, ${EPISODE_GAP_YEARS}))`);
  const idx = `make_date(${y0} + c.yi, 1, 1) + least(364, floor(rnd(c.pn * 64 + c.yi, ${s('index')}) * 365))::INTEGER`;
  await duck.run(`CREATE TABLE E0 AS
    SELECT c.pn * 16 + c.yi AS ep_num, c.yi, ${y0} + c.yi AS year, ${idx} AS index_date, P.*
    FROM cand c JOIN P USING (pn)
    WHERE NOT EXISTS (SELECT 1 FROM cand c2 WHERE c2.pn = c.pn AND c2.yi < c.yi AND c2.yi >= c.yi - ${EPISODE_GAP_YEARS})`);
  const age = `(year - birth_year)`;
  await duck.run(`CREATE TABLE E AS
    SELECT e.ep_num, e.pn, e.person_id, e.yi, e.year, e.index_date, ${age} AS age,
      ${AGE_BAND_SQL.replace(/\bage\b/g, age)} AS band, e.sex, ${eduAt(age)} AS edu,
      CASE WHEN e.immig = 'immigrant' THEN 'yes' ELSE 'no' END AS immig_yes, e.immig,
      -- Residence on the index date (residence.ts).
      CASE WHEN (CASE WHEN e.move_date <= e.index_date THEN e.centrality2 ELSE e.centrality END) >= ${RURAL_CENTRALITY_MIN}
        THEN 'yes' ELSE 'no' END AS rural_yes,
      CASE WHEN e.move_date <= e.index_date THEN e.centrality2 ELSE e.centrality END AS centrality,
      ${employedAt(age)} AS employed,
      ${age} BETWEEN 20 AND 66 AS sick_pop, ${age} BETWEEN 18 AND 66 AS sick_elig,
      CASE WHEN e.switch_date IS NOT NULL AND e.index_date >= e.switch_date THEN e.gp_b_idx ELSE e.gp_a_idx END AS gp_idx,
      e.end_date AS censor_date
    FROM E0 e
    WHERE e.index_date >= e.entry_date AND (e.end_date IS NULL OR e.index_date < e.end_date)
    ORDER BY ep_num`);
  await duck.run(`CREATE TABLE EG AS
    SELECT *, ${OUTCOMES.map((o) => `${fixedSql(o)} AS off_${o}`).join(',\n      ')}
    FROM (
      -- The GP's status on the index date.
      SELECT E.*, g.gp_id, g.short_list, g.female, g.list_size,
        g.specialist_from IS NOT NULL AND g.specialist_from <= E.index_date AS specialist,
        g.salaried AND (g.salaried_until IS NULL OR E.index_date < g.salaried_until) AS salaried,
        CASE WHEN g.salaried AND (g.salaried_until IS NULL OR E.index_date < g.salaried_until) THEN 'salaried' ELSE 'self_employed' END AS gp_employment,
        g.u_talk, g.u_long, g.u_ad, g.u_sick, g.u_referral
      FROM E JOIN (SELECT gp_idx, gp_id, specialist_from, salaried, salaried_until, short_list, female, list_size,
          u_talk, u_long, u_ad, u_sick, u_referral FROM gpx) g USING (gp_idx))
    ORDER BY ep_num`);
  await duck.run(`DROP TABLE E0`);
}

function trendTargets(o: Outcome, years: number[]): Record<string, number> {
  const { first, last } = TREND[o];
  const n = years.length;
  return Object.fromEntries(
    years.map((y, i) => [String(y), n === 1 ? (first + last) / 2 : first + ((last - first) * i) / (n - 1)])
  );
}

async function solveOutcomes(ctx: GenerateContext): Promise<Solved> {
  const rows = await ctx.duck.all<Record<string, unknown>>(`
    SELECT gp_idx, specialist, salaried, year::VARCHAR AS year, sex, band, edu, immig_yes AS immigrant, rural_yes AS rural, employed, sick_pop, count(*) AS n,
      ${OUTCOMES.map((o) => `any_value(off_${o}) AS off_${o}`).join(', ')}
    FROM EG GROUP BY ALL ORDER BY ALL`);
  const solved = {} as Solved;
  for (const o of OUTCOMES) {
    // Sick leave needs a job: its model is planted and calibrated among the employed 20-66 only.
    const population = rows.filter((r) =>
      o === 'sick' ? r.sick_pop === true && r.employed === true : r.band !== '12-17'
    );
    const cells: Cell[] = population.map((r) => ({
      n: Number(r.n),
      offset: Number(r[`off_${o}`]),
      levels: {
        year: String(r.year),
        sex: String(r.sex),
        band: String(r.band),
        edu: String(r.edu),
        immigrant: String(r.immigrant),
        rural: String(r.rural),
      },
    }));
    const factors: FactorTarget[] = [
      {
        name: 'year',
        kind: 'absolute',
        targets:
          o === 'sick'
            ? amongEmployed(trendTargets(o, ctx.episodeYears), rows)
            : trendTargets(o, ctx.episodeYears),
      },
    ];
    if (o === 'talk' || o === 'ad' || o === 'sick') {
      const t4 = TABLE4[o];
      // Sick leave: the published levels are among all 20-66; among the employed they are divided by
      // each level's employed share (see amongEmployed).
      const ratio = (factor: string, targets: Record<string, number>) =>
        o === 'sick' ? ratioAmongEmployed(targets, rows, factor) : targets;
      factors.push({ name: 'sex', kind: 'ratio', targets: ratio('sex', { ...t4.sex }) });
      factors.push({ name: 'band', kind: 'ratio', targets: ratio('band', { ...t4.age }) });
      factors.push({ name: 'edu', kind: 'ratio', targets: ratio('edu', { ...t4.edu }) });
      factors.push({ name: 'immigrant', kind: 'ratio', targets: ratio('immigrant', { ...t4.immigrant }) });
      if (o === 'talk' || o === 'ad')
        factors.push({ name: 'rural', kind: 'ratio', targets: { yes: RURAL_RR[o], no: 1 } });
    }
    // A level with no episodes in this outcome's population (possible in a small twin: no employed
    // 60-69s, say) has nothing to calibrate and would make the system singular; its coefficient
    // is then not needed either.
    const present = (name: string, level: string) => cells.some((c) => c.levels[name] === level);
    for (const f of factors)
      f.targets = Object.fromEntries(Object.entries(f.targets).filter(([level]) => present(f.name, level)));
    const res = solveCalibration(cells, factors);
    const theta = res.theta;
    if (theta.band) {
      if (o === 'talk' || o === 'ad') theta.band['12-17'] = theta.band['18-29']! + ADOLESCENT_OFFSET[o];
    }
    if (theta.edu) theta.edu.missing = theta.edu.medium!;
    solved[o] = { theta, iterations: res.iterations, maxError: res.maxError };
    ctx.log(`  ${o}: ${res.iterations} iterations, max error ${res.maxError.toExponential(1)}`);
  }
  return solved;
}

/**
 * The published sick-leave shares are among all patients 20-66 (Riiser 2022); the twin plants sick
 * leave among the employed only, so each target among the employed is the published share divided
 * by the employed share of that group (share among all = employed share x share among the
 * employed): the shares among all 20-66 then stay the published ones, by year and, marginally, by
 * sex, age, education and immigrant background.
 */
/**
 * The employed share of a group's sick-leave-age episodes, shrunk towards the share among all of
 * them with the weight of EMPLOYED_SHARE_PRIOR episodes: in a small twin a group of a handful of
 * episodes can have almost no employed, and dividing a target by that pushed it above 1 and made
 * the solve singular (3,000 persons, some seeds). At national scale the shrinkage is nil.
 */
const EMPLOYED_SHARE_PRIOR = 50;

function employedShare(rows: readonly Record<string, unknown>[], column: string, level: string): number {
  let all = 0;
  let employed = 0;
  let allTotal = 0;
  let employedTotal = 0;
  for (const r of rows) {
    if (r.sick_pop !== true) continue;
    allTotal += Number(r.n);
    if (r.employed === true) employedTotal += Number(r.n);
    if (String(r[column]) !== level) continue;
    all += Number(r.n);
    if (r.employed === true) employed += Number(r.n);
  }
  if (allTotal === 0) return 0;
  const overall = employedTotal / allTotal;
  return (employed + EMPLOYED_SHARE_PRIOR * overall) / (all + EMPLOYED_SHARE_PRIOR);
}

function ratioAmongEmployed(
  targets: Record<string, number>,
  rows: readonly Record<string, unknown>[],
  column: string
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(targets).map(([level, r]) => {
      const share = employedShare(rows, column, level);
      return [level, share > 0 ? r / share : r];
    })
  );
}

function amongEmployed(
  targets: Record<string, number>,
  rows: readonly Record<string, unknown>[]
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(targets).map(([year, share]) => {
      const employed = employedShare(rows, 'year', year);
      return [year, employed > 0 ? Math.min(0.95, share / employed) : share];
    })
  );
}

const FACTOR_COLUMN: Record<string, string> = {
  year: 'year::VARCHAR',
  sex: 'sex',
  band: 'band',
  edu: 'edu',
  immigrant: 'immig_yes',
  rural: 'rural_yes',
};

export function etaSql(o: Outcome, solved: Solved): string {
  const parts = Object.entries(solved[o].theta).map(
    ([f, levels]) =>
      `(CASE ${FACTOR_COLUMN[f]} ${Object.entries(levels)
        .map(([l, v]) => `WHEN ${lit(l)} THEN ${num(v)}`)
        .join(' ')} ELSE 0 END)`
  );
  return `(${parts.join(' + ')} + off_${o})`;
}

async function drawOutcomes(ctx: GenerateContext, solved: Solved) {
  const { duck, s } = ctx;
  const p = (o: Outcome) => `1.0 / (1.0 + exp(-${etaSql(o, solved)}))`;
  await duck.run(`CREATE TABLE E2 AS
    SELECT *,
      rnd(ep_num, ${s('y_talk')}) < p_talk AS talk,
      rnd(ep_num, ${s('y_long')}) < p_long AS long,
      rnd(ep_num, ${s('y_ad')}) < p_ad AS ad,
      sick_elig AND employed AND rnd(ep_num, ${s('y_sick')}) < p_sick AS sick,
      rnd(ep_num, ${s('y_referral')}) < p_referral AS referral,
      -- An earlier P76 contact (recurrence.ts), when it falls inside the data and after the
      -- person's previous planted episode (so it cannot end that episode's washout).
      CASE WHEN index_date - ${priorContactDaysSql('ep_num', s)} >= DATE '${ctx.dataStart}'
         AND (prev_index IS NULL OR index_date - ${priorContactDaysSql('ep_num', s)} > prev_index)
        THEN ${priorContactDaysSql('ep_num', s)} END AS prior_p76_days
    FROM (SELECT EG.*, lag(index_date) OVER (PARTITION BY pn ORDER BY index_date) AS prev_index, ${OUTCOMES.map((o) => `${o === 'sick' ? `CASE WHEN sick_elig AND employed THEN ${p(o)} ELSE 0 END` : p(o)} AS p_${o}`).join(', ')} FROM EG)
    ORDER BY ep_num`);
}

async function writeSmallTables(ctx: GenerateContext) {
  const { duck } = ctx;
  await copyTo(
    ctx,
    'gps',
    '00000',
    `SELECT gp_id, sex, birth_year, specialist_from, practice_id, municipality, centrality FROM gpx ORDER BY gp_idx`
  );
  await copyTo(
    ctx,
    'gp_contracts',
    '00000',
    `SELECT gp_id, employment, valid_from, valid_to FROM (
       SELECT g.gp_idx, 1 AS o, g.gp_id, g.employment, l.valid_from, g.salaried_until - 1 AS valid_to
       FROM gpx g JOIN lists l USING (list_idx)
       UNION ALL
       SELECT gp_idx, 2, gp_id, 'self_employed', salaried_until, NULL FROM gpx WHERE salaried_until IS NOT NULL)
     ORDER BY gp_idx, o`
  );
  await copyTo(
    ctx,
    'gp_lists',
    '00000',
    `SELECT l.list_id, ${gpId('l.gp_idx')} AS gp_id,
       (ceil(greatest(ls.size, 1) * (1.0 + 0.02 * rnd(l.list_idx, ${ctx.s('ceiling')})) / 25) * 25)::INTEGER AS list_ceiling,
       l.valid_from, NULL::DATE AS valid_to
     FROM lists l JOIN list_size ls USING (list_idx) ORDER BY l.list_idx`
  );
  void duck;
}

async function writeTruth(ctx: GenerateContext, solved: Solved): Promise<Truth> {
  const { duck } = ctx;
  await duck.run(`COPY (SELECT ep_num, person_id, gp_id, index_date, year, age, band, sex, edu, immig, centrality, rural_yes = 'yes' AS rural,
      employed, sick_pop, sick_elig, short_list, specialist, salaried, female AS gp_female,
      p_talk, p_long, p_ad, p_sick, p_referral, talk, long, ad, sick, referral, prior_p76_days FROM E2 ORDER BY ep_num)
    TO '${join(ctx.out, 'truth_episodes.parquet').replace(/'/g, "''")}' (FORMAT parquet)`);
  const gps = await duck.all<Record<string, unknown>>(
    `SELECT gp_id, rural, list_size, short_list, specialist, CAST(specialist_from AS VARCHAR) AS specialist_from, salaried,
       CAST(salaried_until AS VARCHAR) AS salaried_until, female, u_talk, u_long, u_ad, u_sick, u_referral FROM gpx ORDER BY gp_idx`
  );
  const counts = await duck.all<{ n: bigint }>(`SELECT count(*) AS n FROM E2`);
  const truth = buildTruth(ctx, solved, gps, Number(counts[0]!.n));
  writeFileSync(join(ctx.out, 'truth.json'), JSON.stringify(truth, null, 2) + '\n');
  return truth;
}

export { GP_VARIANCE };
