/**
 * The GP-level columns gp_model_patterns adds for the mixed models (issue 13, item 9): the GP's
 * list size on the index date, from the memberships of the lists the GP held that day (the SQL's
 * count against a count by the definition, with memberships that start or end on, or a day
 * beside, an index date), its scaling into gp_list_size, and the practice municipality as a
 * number. On the tiny fixture with filler persons added to its lists.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED_EPISODES, TINY, type FixtureTables } from '../fixtures/tiny.js';
import { writeFixture } from '../fixtures/write.js';
import { ANALYSES } from './analyses.js';
import { DuckDbWorkerEngine } from './engine.js';
import { makeParams, resolveParams } from './params.js';

const EXTENT = { firstDate: '2010-01-04', lastDate: '2013-12-30' };
const params = resolveParams(makeParams({}), EXTENT);

/** Index dates of listed episodes (p01 and p08 on g1's list L1, p02 on L2, which g3 took over). */
const listed = EXPECTED_EPISODES.filter((e) => e.gp).map((e) => ({ gp: e.gp!, date: e.index }));

type Membership = { person_id: string; list_id: string; valid_from: string; valid_to: string | null };
const dayBefore = (iso: string) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
const dayAfter = (iso: string) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

function withFillers(): FixtureTables {
  const extra: Membership[] = [];
  let k = 0;
  const add = (list_id: string, valid_from: string, valid_to: string | null) =>
    extra.push({ person_id: `f${++k}`, list_id, valid_from, valid_to });
  // Long-standing members: L1 about 1,400, L2 about 700.
  for (let i = 0; i < 1400; i++) add('L1', '2000-01-01', null);
  for (let i = 0; i < 700; i++) add('L2', '2000-01-01', i < 20 ? '2011-06-30' : null);
  // Around each index date: on the list from that day (counts), from the next day (does not),
  // until that day (counts), until the day before (does not).
  for (const { date } of listed)
    for (const list of ['L1', 'L2']) {
      add(list, date, null);
      add(list, dayAfter(date), null);
      add(list, '2001-01-01', date);
      add(list, '2001-01-01', dayBefore(date));
    }
  return { ...TINY, list_memberships: [...(TINY.list_memberships as Membership[]), ...extra] };
}

/** The definition, by brute force: persons on the lists the GP held on the date. */
function listSize(tables: FixtureTables, gp: string, date: string): number {
  const lists = (
    tables.gp_lists as {
      list_id: string;
      gp_id: string | null;
      valid_from: string;
      valid_to: string | null;
    }[]
  )
    .filter((l) => l.gp_id === gp && l.valid_from <= date && (l.valid_to === null || l.valid_to >= date))
    .map((l) => l.list_id);
  return (tables.list_memberships as Membership[]).filter(
    (m) => lists.includes(m.list_id) && m.valid_from <= date && (m.valid_to === null || m.valid_to >= date)
  ).length;
}

let dir: string;
let engine: DuckDbWorkerEngine;
const tables = withFillers();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gpdep-gp-patterns-'));
  await writeFixture(dir, tables);
  engine = new DuckDbWorkerEngine({ dataDir: dir, memoryLimit: '512MB', threads: 1 });
  await engine.run('indicator_patterns', params); // materialises cohort and outcomes
}, 60_000);

afterAll(async () => {
  await engine?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('gp_model_patterns: list size and municipality', () => {
  it('counts the persons on the GP’s list on the index date, as the definition does', async () => {
    const sql = ANALYSES.gp_model_patterns.sql(params);
    // The analysis's own CTEs, read at the list-size step.
    const ctes = sql.slice(0, sql.indexOf('\nSELECT g.gp,'));
    const rows = await engine.debugQuery(
      `${ctes}\nSELECT CAST(listed_gp_id AS VARCHAR) AS gp, CAST(index_date AS VARCHAR) AS d, list_size FROM ls ORDER BY gp, d`
    );
    const expected = [...new Map(listed.map((e) => [`${e.gp}@${e.date}`, e])).values()]
      .map((e) => ({ gp: e.gp, d: e.date, list_size: listSize(tables, e.gp, e.date) }))
      .sort((a, b) => (a.gp + a.d < b.gp + b.d ? -1 : 1));
    expect(rows.map((r) => ({ ...r, list_size: Number(r.list_size) }))).toEqual(expected);
    // The fillers make the sizes differ from date to date, and a list taken over by another GP
    // counts for the new holder.
    expect(new Set(expected.map((e) => e.list_size)).size).toBeGreaterThan(1);
    expect(expected.every((e) => e.list_size > 600)).toBe(true);
  });

  it('scales list size per 500 patients around 1,150 after rounding to 50, and numbers municipalities', async () => {
    const rows = await engine.debugQuery(ANALYSES.gp_model_patterns.sql(params));
    const sizes = new Set(
      listed.map((e) => (Math.round(listSize(tables, e.gp, e.date) / 50) * 50 - 1150) / 500)
    );
    expect(new Set(rows.map((r) => Number(r.gp_list_size)))).toEqual(sizes);
    // g1 (municipality 0301) and g3 (1867): two municipalities, numbered 1 and 2 in code order.
    const byGp = new Map(rows.map((r) => [Number(r.gp), Number(r.gp_municipality)]));
    expect([...new Set(byGp.values())].sort()).toEqual([1, 2]);
  });
});
