/**
 * Competing events (issue 13, item 6): the cohort step names why follow-up ended early, the
 * analysis counts care by it, and the table sets the share among episodes with full follow-up
 * beside the main share without revealing a small group.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbWorkerEngine } from '../engine/engine.js';
import { makeParams, resolveParams } from '../engine/params.js';
import type { Row } from '../engine/protocol.js';
import { TINY } from '../fixtures/tiny.js';
import { writeFixture } from '../fixtures/write.js';
import { competingEventsTable } from './competing-events.js';
import { indicatorDefs } from './tables.js';

const EXTENT = { firstDate: '2010-01-04', lastDate: '2013-12-30' };
const p = resolveParams(makeParams(), EXTENT);
let dir: string;
let engine: DuckDbWorkerEngine;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gpdep-competing-'));
  await writeFixture(dir, TINY);
  engine = new DuckDbWorkerEngine({ dataDir: dir, memoryLimit: '512MB', threads: 1 });
}, 30_000);

afterAll(async () => {
  await engine?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('competing events on the hand-written fixture', () => {
  it('names death and emigration inside follow-up and counts care by them', async () => {
    // Ten episodes (tiny.ts EXPECTED_EPISODES). p03 died 2011-08-01, two months after her index:
    // 'death', with her one talking-therapy bill. p02 emigrated 2012-10-01, seven months after his:
    // 'emigration', with a long consultation and an antidepressant he already used before (a
    // prevalent user: outside the new-user denominator). The other eight: 'full', among them p01
    // and p09 with antidepressants.
    const rows = await engine.run('competing_events', p);
    const by = (ended: string) => rows.find((r) => r.ended === ended)!;
    expect(rows.map((r) => String(r.ended)).sort()).toEqual(['death', 'emigration', 'full']);
    expect([by('full').n, by('death').n, by('emigration').n]).toEqual([8, 1, 1]);
    expect([by('full').tt_events, by('death').tt_events, by('emigration').tt_events]).toEqual([3, 1, 0]);
    expect([by('full').ad_events, by('emigration').ad_denom, by('emigration').ad_events]).toEqual([2, 0, 0]);
  });

  it('an episode whose death falls after follow-up is not a competing event', async () => {
    await engine.run('competing_events', p);
    const rows = await engine.debugQuery(
      `SELECT person_id, censor_reason FROM cohort WHERE censor_reason IS NOT NULL ORDER BY person_id`
    );
    expect(rows).toEqual([
      { person_id: 'p02', censor_reason: 'emigration' },
      { person_id: 'p03', censor_reason: 'death' },
    ]);
  });
});

describe('the competing-events table', () => {
  const inds = indicatorDefs(p).filter((i) => i.key === 'tt');
  const row = (ended: string, n: number, tt: number): Row => ({ ended, n, tt_events: tt });

  it('sets the full-follow-up share beside the main one', () => {
    // 100 full (50 with talking therapy), 10 died (5 with it), 10 emigrated (0): main 55/120 =
    // 45.83 %, full 50/100 = 50 %, difference +4.17 points. The 20 ended episodes (5 with care,
    // 15 without) are all publishable counts.
    const t = competingEventsTable(
      [row('full', 100, 50), row('death', 10, 5), row('emigration', 10, 0)],
      inds
    );
    const [, main, full, diff] = t.rows[0]!;
    expect(main).toBeCloseTo((100 * 55) / 120, 9);
    expect(full).toBeCloseTo(50, 9);
    expect(diff).toBeCloseTo(50 - (100 * 55) / 120, 9);
    expect(t.caption).toMatch(/death: 10; by emigration: 10/);
  });

  it('withholds the full-follow-up share when it would reveal a count under 5', () => {
    // 12 ended episodes, 3 of them with care: the two shares together give the 3 away.
    const t = competingEventsTable([row('full', 100, 50), row('death', 12, 3)], inds);
    expect(t.rows[0]!.slice(2)).toEqual([null, null]);
    expect(t.notes.join(' ')).toMatch(/withheld/);
    // And when only 3 episodes ended, their number is not printed either.
    const few = competingEventsTable([row('full', 100, 50), row('death', 3, 0)], inds);
    expect(few.rows[0]!.slice(2)).toEqual([null, null]);
    expect(few.caption).toMatch(/death: fewer than 5/);
  });
});
