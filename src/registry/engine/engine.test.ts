/** The DuckDB worker: round trip, timeout with interrupt, crash isolation, bad data folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
