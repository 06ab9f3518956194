/**
 * The simulator and the research extract end to end (issue 17): the simulator refuses to mix its
 * data into a database with other patients; simulated patients open through the app's own GP
 * pages; the extract route is for a researcher with a fresh step-up and is audited; the planted
 * truth comes back out of the extract through the registry's mixed model; and the extract's outcome
 * flags equal a recomputation from its own PHQ-9/GAD-7 rows with the domain's rules.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { generate } from 'otplib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, FIXTURE_PASSWORD, type TestApp } from '../../../test/support/test-app.js';
import { courseOutcome, outcomeFlags, OUTCOME_FLAGS } from '../../domain/outcomes/talking-therapies.js';
import {
  SIMULATION_TRUTH,
  simulateNetwork,
  simulationTruth,
  type SimNetwork,
} from '../../platform-research/simulate/network.js';
import { EXTRACT_TABLES } from '../../platform-research/extract/schema.js';
import { lit, openDuck } from '../../registry/generate/db.js';
import type { CellInput } from '../../registry/stats/glmm/design.js';
import { buildDesign } from '../../registry/stats/glmm/design.js';
import { fitGlmm } from '../../registry/stats/glmm/fit.js';
import { CommandLineLoginError, loginOnCommandLine } from '../auth/command-line.js';
import { secondFactorConfigFor } from '../auth/second-factor.js';
import {
  SIMULATION_PASSWORD,
  SimulationRefused,
  simulationRefusal,
  writeNetwork,
} from '../demo/network-seed.js';
import { buildPlatformExtract } from './platform-extract.commands.js';

let t: TestApp;
const dirs: string[] = [];
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function simulate(gps: number, patients: number, seed: number): Promise<SimNetwork> {
  const network = simulateNetwork({ seed, gps, patients, end: t.clock.now });
  // The fixture's patients are not simulated: the test says so with force.
  await writeNetwork(t.db, t.app.secrets.auditKey, network, { force: true, parameters: SIMULATION_TRUTH });
  return network;
}

/** The fixture researcher logged in as the CLI does, and the extract written to a new folder. */
async function extract(): Promise<string> {
  const session = await loginOnCommandLine({
    db: t.db,
    secrets: t.app.secrets,
    secondFactor: secondFactorConfigFor('http://localhost:3000'),
    passwordPolicy: 'all',
    secondFactorPolicy: 'optional',
    username: 'researcher.one',
    password: FIXTURE_PASSWORD,
    askCode: () => Promise.reject(new Error('no second factor expected')),
    role: 'researcher',
    requestId: 'test',
    now: t.clock.now,
  });
  const dir = mkdtempSync(join(tmpdir(), 'gpdep-extract-test-'));
  dirs.push(dir);
  await buildPlatformExtract(session.ctx, { dir });
  await session.close();
  return dir;
}

async function query(sql: string): Promise<Record<string, CellInput[]>> {
  const duck = await openDuck({ threads: 2 });
  try {
    const reader = await duck.conn.runAndReadAll(sql);
    return reader.getColumnsObjectJS() as Record<string, CellInput[]>;
  } finally {
    duck.close();
  }
}

describe('platform:simulate', () => {
  it('refuses a database with patients that are not simulated, unless forced, and a seed twice', async () => {
    expect(await simulationRefusal(t.db, 7, false)).toMatch(/4 patients that are not simulated/);
    const network = simulateNetwork({ seed: 7, gps: 3, patients: 30, end: t.clock.now });
    await expect(
      writeNetwork(t.db, t.app.secrets.auditKey, network, { force: false, parameters: SIMULATION_TRUTH })
    ).rejects.toBeInstanceOf(SimulationRefused);
    expect(await t.db.selectFrom('simulation_runs').select('id').execute()).toEqual([]);
    await writeNetwork(t.db, t.app.secrets.auditKey, network, { force: true, parameters: SIMULATION_TRUTH });
    expect(await simulationRefusal(t.db, 7, true)).toMatch(/seed 7 is already/);
  });

  it("writes patients the app's own GP pages read: the list, the worklist and a follow-up card", async () => {
    const network = await simulate(4, 80, 11);
    const patient = network.patients.find((p) => p.course?.followUps.some((f) => f.status === 'done'))!;
    const gp = network.gps.find((g) => g.id === patient.gpId)!;
    const session = await t.login(gp.username, SIMULATION_PASSWORD);
    const list = await t.call(session, 'GET', '/api/gp/patients');
    expect(list.statusCode).toBe(200);
    const listed = network.patients.filter((p) => p.gpId === gp.id).length;
    expect(list.json<{ items: unknown[] }>().items).toHaveLength(listed);
    expect((await t.call(session, 'GET', '/api/gp/worklist')).statusCode).toBe(200);
    const followUp = patient.course!.followUps.find((f) => f.status === 'done')!;
    const card = await t.call(session, 'GET', `/api/patients/${patient.id}/follow-ups/${followUp.id}/card`);
    expect(card.statusCode, card.body).toBe(200);
    // The card shows the simulated PHQ-9 history, with the totals the domain scored.
    const phq9 = patient
      .course!.measurements.filter((m) => m.instrument === 'phq9')
      .map((m) => m.total)
      .sort();
    const shown = card.json<{ scores: { phq9: { total: number }[] } }>().scores.phq9.map((s) => s.total);
    expect(shown.length).toBeGreaterThan(0);
    for (const total of shown) expect(phq9).toContain(total);
  });
});

describe('POST /api/research/platform-extract', () => {
  it('gives a researcher with a fresh login the extract as a zip of Parquet files, audited', async () => {
    await simulate(3, 40, 12);
    const researcher = await t.login('researcher');
    const res = await t.call(researcher, 'POST', '/api/research/platform-extract', { body: {} });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const files = unzipSync(new Uint8Array(res.rawPayload));
    expect(Object.keys(files).sort()).toEqual(
      [...EXTRACT_TABLES.map((tb) => `${tb.name}.parquet`), 'extract.json', 'README.txt'].sort()
    );
    // No national id or name anywhere in it.
    const all = Buffer.concat(Object.values(files).map((f) => Buffer.from(f))).toString('latin1');
    expect(all).not.toMatch(/Fixturesen|simulert\)/);
    const audit = await t.db
      .selectFrom('audit_events')
      .select(['actor_user_id', 'action', 'outcome'])
      .where('data_category', '=', 'platform research extract')
      .execute();
    expect(audit).toEqual([
      { actor_user_id: t.fixture.userIds.researcher, action: 'export', outcome: 'allowed' },
    ]);
  });

  it('asks for a step-up when the login is older than ten minutes, and refuses a GP', async () => {
    const researcher = await t.login('researcher');
    t.clock.now = new Date(t.clock.now.getTime() + 11 * 60 * 1000);
    const stale = await t.call(researcher, 'POST', '/api/research/platform-extract', { body: {} });
    expect(stale.statusCode).toBe(403);
    expect(stale.json<{ type: string }>().type).toMatch(/step-up-required/);
    const gp = await t.login('gp1');
    expect((await t.call(gp, 'POST', '/api/research/platform-extract', { body: {} })).statusCode).toBe(403);
  });
});

describe('platform:extract on the command line', () => {
  const cliLogin = (username: string, password: string, askCode: () => Promise<string>) =>
    loginOnCommandLine({
      db: t.db,
      secrets: t.app.secrets,
      secondFactor: secondFactorConfigFor('http://localhost:3000'),
      passwordPolicy: 'all',
      secondFactorPolicy: 'optional',
      username,
      password,
      askCode,
      role: 'researcher',
      requestId: 'platform:extract (command line)',
      now: t.clock.now,
    });

  it("asks a researcher with a TOTP factor for the code, refuses a wrong one, and audits in the researcher's name", async () => {
    const session = await t.login('researcher');
    const started = await t.call(session, 'POST', '/api/auth/factors/totp');
    const { id, secret } = started.json<{ id: string; secret: string }>();
    const code = (at: Date) => generate({ secret, epoch: Math.floor(at.getTime() / 1000) });
    const confirmed = await t.call(session, 'POST', `/api/auth/factors/totp/${id}/confirm`, {
      body: { code: await code(t.clock.now), label: 'Telefonen' },
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    await expect(cliLogin('researcher.one', FIXTURE_PASSWORD, async () => '000000')).rejects.toBeInstanceOf(
      CommandLineLoginError
    );
    await expect(cliLogin('researcher.one', 'wrong password', async () => '')).rejects.toThrow(/not right/);
    await expect(cliLogin('gp.one', FIXTURE_PASSWORD, async () => '')).rejects.toThrow(/not a researcher/);
    let asked = 0;
    const cli = await cliLogin('researcher.one', FIXTURE_PASSWORD, async () => {
      asked++;
      return code(t.clock.now);
    });
    expect(asked).toBe(1);
    const dir = mkdtempSync(join(tmpdir(), 'gpdep-extract-test-'));
    dirs.push(dir);
    await buildPlatformExtract(cli.ctx, { dir });
    await cli.close();
    const audit = await t.db
      .selectFrom('audit_events')
      .select(['actor_user_id', 'actor_role', 'request_id'])
      .where('data_category', '=', 'platform research extract')
      .execute();
    expect(audit).toEqual([
      {
        actor_user_id: t.fixture.userIds.researcher,
        actor_role: 'researcher',
        request_id: 'platform:extract (command line)',
      },
    ]);
    // The command line's session is over when the command is.
    const open = await t.db
      .selectFrom('sessions')
      .select('token_hash')
      .where('user_id', '=', t.fixture.userIds.researcher)
      .where('revoked_at', 'is', null)
      .execute();
    expect(open).toHaveLength(1); // the browser session of the enrolment only
  });
});

describe('the planted truth comes back out of the extract', () => {
  it('recovers the GP SD of recommendation and the education effect on start (registry GLMM)', async () => {
    const network = await simulate(60, 1500, 3);
    const truth = simulationTruth(network);
    const dir = await extract();
    const file = (name: string) => lit(join(dir, `${name}.parquet`));
    // Recommendation: every simulated patient on a list, 0/1, GP as the group.
    const recommendation = await query(`
      SELECT p.gp_key AS gp, (e.enrolment_key IS NOT NULL)::INTEGER AS recommended
      FROM read_parquet(${file('patients')}) p
      JOIN read_parquet(${file('practices')}) pr USING (practice_key)
      LEFT JOIN read_parquet(${file('enrolments')}) e USING (patient_key)
      WHERE pr.synthetic`);
    expect(recommendation.gp).toHaveLength(1500);
    const rec = fitGlmm(
      buildDesign({ columns: recommendation }, { outcome: 'recommended', group: 'gp', fixed: [] })
    );
    const planted = truth.parameters.recommendation.gpSd;
    expect(rec.gpSd.lower).toBeLessThan(planted);
    expect(rec.gpSd.upper).toBeGreaterThan(planted);

    // Start among the recommended who consented to give their education, high education as reference.
    const start = await query(`
      SELECT e.gp_key AS gp, ed.education, (e.started_on IS NOT NULL)::INTEGER AS started
      FROM read_parquet(${file('enrolments')}) e
      JOIN read_parquet(${file('education')}) ed USING (patient_key)`);
    const fit = fitGlmm(
      buildDesign(
        { columns: start },
        { outcome: 'started', group: 'gp', fixed: ['education'], reference: { education: 'high' } }
      )
    );
    const low = fit.fixedEffects.find((f) => f.name === 'educationlow')!;
    const plantedLow = truth.parameters.start.education.low;
    expect(Math.sign(low.estimate)).toBe(Math.sign(plantedLow));
    expect(low.oddsRatioUpper).toBeLessThan(1);
    expect(Math.log(low.oddsRatioLower)).toBeLessThan(plantedLow);
    expect(Math.log(low.oddsRatioUpper)).toBeGreaterThan(plantedLow);
    console.log(
      `recommendation GP SD ${rec.gpSd.estimate.toFixed(2)} [${rec.gpSd.lower.toFixed(2)}, ${rec.gpSd.upper.toFixed(2)}] (planted ${planted}); ` +
        `start, low education ${low.estimate.toFixed(2)} [${Math.log(low.oddsRatioLower).toFixed(2)}, ${Math.log(low.oddsRatioUpper).toFixed(2)}] (planted ${plantedLow})`
    );
  }, 180_000);

  it("has outcome flags equal to a recomputation from the extract's own PHQ-9 and GAD-7 rows", async () => {
    const network = await simulate(8, 300, 5);
    const dir = await extract();
    const file = (name: string) => lit(join(dir, `${name}.parquet`));
    const m = await query(`
      SELECT enrolment_key, instrument, total_score FROM read_parquet(${file('measurements')})
      WHERE enrolment_key IS NOT NULL AND instrument IN ('phq9', 'gad7')
      ORDER BY enrolment_key, instrument, sequence`);
    const series = new Map<string, { phq9: number[]; gad7: number[] }>();
    m.enrolment_key!.forEach((key, i) => {
      const s = series.get(key as string) ?? { phq9: [], gad7: [] };
      s[m.instrument![i] as 'phq9' | 'gad7'].push(Number(m.total_score![i]));
      series.set(key as string, s);
    });
    const pair = (xs: number[]) => (xs.length >= 2 ? { first: xs[0]!, last: xs[xs.length - 1]! } : undefined);
    const expected = new Map<string, Record<string, boolean | null>>();
    for (const [key, s] of series) {
      const outcome = courseOutcome({ phq9: pair(s.phq9), gad7: pair(s.gad7) });
      if (outcome) expected.set(key, outcomeFlags(outcome));
    }
    const o = await query(`SELECT * FROM read_parquet(${file('outcomes')})`);
    const rows = o.enrolment_key!.length;
    expect(rows).toBeGreaterThan(20);
    expect(rows).toBe(expected.size);
    for (let i = 0; i < rows; i++) {
      const key = o.enrolment_key![i] as string;
      const got = Object.fromEntries(OUTCOME_FLAGS.map((flag) => [flag, o[flag]![i] as boolean | null]));
      expect(got, key).toEqual(expected.get(key));
    }
    // And the planted recovery of every finished case is what the domain's rule says.
    const planted = network.patients.filter((p) => p.course?.planted.recovery !== null && p.course);
    const recovered = o.recovery!.filter((r, i) => r !== null && o.course_finished![i]);
    expect(recovered.filter(Boolean)).toHaveLength(planted.filter((p) => p.course!.planted.recovery).length);
    expect(JSON.parse(readFileSync(join(dir, 'extract.json'), 'utf8')).tables).toHaveLength(
      EXTRACT_TABLES.length
    );
  });
});
