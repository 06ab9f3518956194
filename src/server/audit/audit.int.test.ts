import { Writable } from 'node:stream';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, phq9Body, type TestApp } from '../../../test/support/test-app.js';
import { verifyStoredAuditChain } from './audit-log.js';

let t: TestApp;
const logLines: string[] = [];

// A fresh app (database, log) for every test: none depends on another having run first.
beforeEach(async () => {
  logLines.length = 0;
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  t = await createTestApp({ logger: { level: 'trace', stream: sink } });
});
afterEach(async () => t?.close());

const eventsFor = (patientId: string) =>
  t.db.selectFrom('audit_events').selectAll().where('patient_id', '=', patientId).orderBy('seq').execute();

describe('audit log', () => {
  it('writes one event per patient shown in the GP list, with who, role, what and why', async () => {
    const gp = await t.login('gp1');
    const before = await t.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const res = await t.call(gp, 'GET', '/api/gp/patients');
    expect(res.json().items).toHaveLength(2);
    const after = await t.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n) - Number(before.n)).toBe(2);
    for (const patient of ['pA1', 'pA2'] as const) {
      const last = (await eventsFor(t.fixture.patientIds[patient])).at(-1)!;
      expect(last).toMatchObject({
        actor_user_id: t.fixture.userIds.gp1,
        actor_role: 'gp',
        action: 'read',
        access_basis: 'gp_list',
        outcome: 'allowed',
        actor_practice_id: t.fixture.practiceIds.a,
      });
    }
  });

  it('writes a create event in the same transaction as a PHQ-9 answer', async () => {
    const patient = await t.login('pA1');
    await t.call(patient, 'POST', `/api/patients/${t.fixture.patientIds.pA1}/phq9`, {
      body: phq9Body([1, 1, 1, 1, 1, 1, 1, 1, 0], 1),
    });
    const last = (await eventsFor(t.fixture.patientIds.pA1)).at(-1)!;
    expect(last).toMatchObject({
      action: 'create',
      data_category: 'PHQ-9 response',
      access_basis: 'self',
      actor_role: 'patient',
    });
  });

  it('shows the patient who has looked at their data, and not their own reads', async () => {
    const gp = await t.login('gp1');
    await t.call(gp, 'GET', `/api/patients/${t.fixture.patientIds.pA1}/questionnaire-responses`);
    const patient = await t.login('pA1');
    const res = await t.call(patient, 'GET', `/api/patients/${t.fixture.patientIds.pA1}/access-log`);
    expect(res.statusCode).toBe(200);
    const items = res.json().items as {
      actorName: string;
      actorRole: string;
      practiceName: string;
      dataCategory: string;
      accessBasis: string;
    }[];
    expect(items[0]).toMatchObject({
      actorName: 'Test gp1',
      actorRole: 'gp',
      practiceName: 'Practice A (test)',
      dataCategory: 'PHQ-9 responses',
      accessBasis: 'gp_list',
    });
    expect(items.some((i) => i.actorRole === 'patient')).toBe(false);
  });

  it('keeps an intact hash chain that the admin can verify', async () => {
    // Some history first: a GP's list, a patient's answer (with their logins, six events).
    await t.call(await t.login('gp1'), 'GET', '/api/gp/patients');
    const patient = await t.login('pA1');
    await t.call(patient, 'POST', `/api/patients/${t.fixture.patientIds.pA1}/phq9`, {
      body: phq9Body([1, 1, 1, 1, 1, 1, 1, 1, 0], 1),
    });
    const result = await verifyStoredAuditChain(t.db, t.app.secrets.auditKey);
    expect(result.ok).toBe(true);
    const admin = await t.login('admin');
    const res = await t.call(admin, 'GET', '/api/admin/audit/verify');
    expect(res.json()).toMatchObject({ ok: true, brokenAtSeq: null });
    expect(res.json().eventCount).toBeGreaterThan(5);
  });

  it('cannot be changed or deleted by the application', async () => {
    await expect(sql`update audit_events set actor_name = 'someone else'`.execute(t.db)).rejects.toThrow(
      /permission denied|append-only/
    );
    await expect(sql`delete from audit_events`.execute(t.db)).rejects.toThrow(
      /permission denied|append-only/
    );
    await expect(sql`truncate audit_events`.execute(t.db)).rejects.toThrow(/permission denied|append-only/);
  });

  it('refuses changes even from the table owner, and a forced edit breaks the chain at that row', async () => {
    await t.call(await t.login('gp1'), 'GET', '/api/gp/patients'); // an event about pA1 to tamper with
    const target = (await eventsFor(t.fixture.patientIds.pA1))[0]!;
    const tamper = async (statements: string[]) => {
      if (t.database.ownerUrl) {
        const owner = new pg.Client({ connectionString: t.database.ownerUrl });
        await owner.connect();
        try {
          for (const s of statements) await owner.query(s);
        } finally {
          await owner.end();
        }
      } else {
        // PGlite: one session; step out of the application role to the owner and back.
        await sql
          .raw(`reset role; ${statements.join('; ')}; set role gpdep_app`)
          .execute(t.db)
          .catch(async (error) => {
            await sql.raw('set role gpdep_app').execute(t.db);
            throw error;
          });
      }
    };
    await expect(
      tamper([`update audit_events set actor_name = 'x' where seq = ${Number(target.seq)}`])
    ).rejects.toThrow(/append-only/);
    await tamper([
      'alter table audit_events disable trigger audit_events_no_update_delete',
      `update audit_events set action = 'export' where seq = ${Number(target.seq)}`,
      'alter table audit_events enable trigger audit_events_no_update_delete',
    ]);
    const result = await verifyStoredAuditChain(t.db, t.app.secrets.auditKey);
    expect(result.ok).toBe(false);
    expect(result.ok ? null : result.brokenAtSeq).toBe(Number(target.seq));
  });

  it('never writes request bodies, answers, tokens or cookies to the application log', async () => {
    const patient = await t.login('pA2');
    logLines.length = 0;
    await t.call(patient, 'POST', `/api/patients/${t.fixture.patientIds.pA2}/phq9`, {
      body: { ...phq9Body([3, 2, 1, 0, 3, 2, 1, 0, 1], 2), note: 'CANARY-7f3a my private worries' },
    });
    await t.call(patient, 'GET', `/api/patients/${t.fixture.patientIds.pA2}/questionnaire-responses`);
    const log = logLines.join('\n');
    expect(log.length).toBeGreaterThan(0);
    expect(log).not.toContain('CANARY-7f3a');
    expect(log).not.toContain('"items"');
    expect(log).not.toContain(patient.cookie);
    expect(log).not.toContain(patient.csrfToken);
    const audit = await t.db.selectFrom('audit_events').selectAll().execute();
    expect(JSON.stringify(audit)).not.toContain('CANARY-7f3a');
  });
});
