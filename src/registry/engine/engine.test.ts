/** The DuckDB worker: round trip, timeout with interrupt, crash isolation, bad data folder. */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY } from '../fixtures/tiny.js';
import { writeFixture } from '../fixtures/write.js';
import { DuckDbWorkerEngine, EngineError } from './engine.js';
import { makeParams, resolveParams } from './params.js';

let dir: string;
const p = resolveParams(makeParams(), { firstDate: '2010-01-04', lastDate: '2013-12-30' });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gpdep-reg-engine-'));
  await writeFixture(dir, TINY);
}, 30_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('DuckDB worker engine', () => {
  it('round trip: runs an analysis in a child process and returns plain rows', async () => {
    const engine = new DuckDbWorkerEngine({ dataDir: dir, threads: 1, memoryLimit: '256MB' });
    try {
      const rows = await engine.run('cohort_summary', p);
      expect(engine.pid).toBeTypeOf('number');
      expect(engine.pid).not.toBe(process.pid);
      expect(rows[0]).toMatchObject({ episodes: 10, patients: 9, censored: 2 });
      expect(typeof rows[0]!.episodes).toBe('number');
      expect(await engine.workerMaxRssKb()).toBeGreaterThan(0);
    } finally {
      await engine.close();
    }
  });

  it('timeout: interrupts the query, rejects with kind "timeout", and the same worker runs the next query', async () => {
    const engine = new DuckDbWorkerEngine({ dataDir: dir, threads: 1, memoryLimit: '256MB' });
    try {
      await engine.run('data_extent', p);
      const pid = engine.pid;
      const started = Date.now();
      const error = await engine.run('diag_slow', p, { timeoutMs: 300 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EngineError);
      expect((error as EngineError).kind).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(4000);
      expect((await engine.run('data_extent', p))[0]).toEqual({
        first_date: '2010-01-04',
        last_date: '2013-12-30',
        employment_rows: 9,
      });
      expect(engine.pid).toBe(pid);
    } finally {
      await engine.close();
    }
  });

  it('a crash of the worker rejects the pending run, the caller survives, and the next run starts a new worker', async () => {
    const engine = new DuckDbWorkerEngine({ dataDir: dir, threads: 1, memoryLimit: '256MB' });
    try {
      await engine.run('data_extent', p);
      const pid = engine.pid!;
      const pending = engine.run('diag_slow', p, { timeoutMs: 30_000 });
      setTimeout(() => process.kill(pid, 'SIGKILL'), 200);
      const error = await pending.catch((e: unknown) => e);
      expect((error as EngineError).kind).toBe('crash');
      const rows = await engine.run('cohort_flow', p);
      expect(rows[0]!.cohort).toBe(10);
      expect(engine.pid).not.toBe(pid);
    } finally {
      await engine.close();
    }
  });

  it('the first and last bill time come from the Parquet footers, equal to a scan; other files are scanned', async () => {
    // Two copies of the fixture with the bills rewritten into three files (three row groups) by
    // bill number modulo 3, so neither end needs be in the first: once as they are, once with
    // contact_time stored as text (no TIMESTAMP statistics: the view must scan, and the dates must
    // not change).
    const rewritten = async (select: string) => {
      const copy = mkdtempSync(join(tmpdir(), 'gpdep-reg-extent-'));
      cpSync(dir, copy, { recursive: true });
      const duck = await DuckDBInstance.create(':memory:', { threads: '1' });
      const c = await duck.connect();
      const bills = join(copy, 'kuhr_bills');
      await c.run(`CREATE TABLE b AS SELECT * FROM read_parquet('${join(bills, 'part-0.parquet')}')`);
      await c.run(
        `CREATE TABLE r AS SELECT *, ROW_NUMBER() OVER (ORDER BY bill_id) % 3 AS k FROM (${select})`
      );
      for (const k of [0, 1, 2])
        await c.run(
          `COPY (SELECT * EXCLUDE (k) FROM r WHERE k = ${k}) TO '${join(bills, `part-${k}.parquet`)}' (FORMAT parquet)`
        );
      c.closeSync();
      return copy;
    };
    const grouped = await rewritten('SELECT * FROM b');
    const text = await rewritten('SELECT * REPLACE (CAST(contact_time AS VARCHAR) AS contact_time) FROM b');
    const scan = 'SELECT MIN(contact_time) AS first_time, MAX(contact_time) AS last_time FROM kuhr_bills';
    try {
      for (const [folder, source] of [
        [grouped, 'footers'],
        [text, 'scan'],
      ] as const) {
        const engine = new DuckDbWorkerEngine({ dataDir: folder, threads: 1, memoryLimit: '256MB' });
        try {
          const [range] = await engine.debugQuery('SELECT * FROM kuhr_bills_time_range');
          expect(range).toMatchObject({ ...(await engine.debugQuery(scan))[0], source });
          expect((await engine.run('data_extent', p))[0]).toMatchObject({
            first_date: '2010-01-04',
            last_date: '2013-12-30',
          });
        } finally {
          await engine.close();
        }
      }
      const rowGroups = new DuckDbWorkerEngine({ dataDir: grouped, threads: 1, memoryLimit: '256MB' });
      try {
        const [{ n }] = (await rowGroups.debugQuery(
          `SELECT COUNT(*) AS n FROM parquet_metadata('${join(grouped, 'kuhr_bills', '*.parquet')}') WHERE path_in_schema = 'contact_time'`
        )) as [{ n: number }];
        expect(n).toBeGreaterThan(2);
      } finally {
        await rowGroups.close();
      }
    } finally {
      rmSync(grouped, { recursive: true, force: true });
      rmSync(text, { recursive: true, force: true });
    }
  });

  it('a data folder without the claims tables fails with a clear message', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'gpdep-reg-empty-'));
    const engine = new DuckDbWorkerEngine({ dataDir: empty, threads: 1, memoryLimit: '256MB' });
    try {
      await expect(engine.run('data_extent', p)).rejects.toThrow(/Missing table persons/);
    } finally {
      await engine.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
