/**
 * The audit log cannot be cut or rewritten without detection (issue 10, item 5): checkpoints
 * outside the database (a file here) record the chain head; verification demands every
 * checkpointed row back with the same hash. Two attacks that verified as intact before:
 * deleting the last rows and rewinding the chain head (no key needed), and rewriting a middle row
 * and recomputing the chain with the key (someone holding the demo's secrets.json).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainHash, type AuditEventContent } from '../../domain/audit/hash-chain.js';
import { createTestApp, phq9Body, type TestApp } from '../../../test/support/test-app.js';
import { FileAnchorStore } from './anchor-store.js';
import { verifyStoredAuditChain, writeAuditCheckpoint } from './audit-log.js';
import { productionProblems, readConfig } from '../config.js';

let t: TestApp;
let anchors: FileAnchorStore;
beforeAll(async () => {
  anchors = new FileAnchorStore(mkdtempSync(join(tmpdir(), 'gpdep-anchors-')));
  t = await createTestApp({ auditAnchors: anchors });
});
afterAll(async () => t?.close());

/** Runs SQL as the database owner, with the append-only trigger off: what an attacker with the owner's rights can do. */
async function asOwner(statements: string[]): Promise<void> {
  const all = [
    'alter table audit_events disable trigger audit_events_no_update_delete',
    ...statements,
    'alter table audit_events enable trigger audit_events_no_update_delete',
  ];
  if (t.database.ownerUrl) {
    const owner = new pg.Client({ connectionString: t.database.ownerUrl });
    await owner.connect();
    try {
      for (const s of all) await owner.query(s);
    } finally {
      await owner.end();
    }
  } else {
    await sql.raw(`reset role; ${all.join('; ')}; set role gpdep_app`).execute(t.db);
  }
}

async function someActivity(n: number) {
  const patient = await t.login('pA1');
  for (let i = 0; i < n; i += 1)
    await t.call(patient, 'GET', `/api/patients/${t.fixture.patientIds.pA1}/questionnaire-responses`);
}

describe('audit checkpoints outside the database', () => {
  it('verifies with its checkpoints while nothing is touched, through the admin page too', async () => {
    await someActivity(3);
    await writeAuditCheckpoint(t.db, t.app.secrets.auditKey, anchors, t.clock.now);
    await someActivity(2);
    await writeAuditCheckpoint(t.db, t.app.secrets.auditKey, anchors, t.clock.now);
    const result = await verifyStoredAuditChain(t.db, t.app.secrets.auditKey, anchors);
    expect(result).toMatchObject({ ok: true, checkpoints: 2, problem: null });
    const admin = await t.login('admin');
    expect((await t.call(admin, 'GET', '/api/admin/audit/verify')).json()).toMatchObject({
      ok: true,
      checkpoints: 2,
    });
  });

  it('catches the last rows deleted and the chain head rewound (the chain alone verified this as intact)', async () => {
    const head = await t.db.selectFrom('audit_chain_head').selectAll().executeTakeFirstOrThrow();
    const cutTo = Number(head.last_seq) - 3;
    const newHead = await t.db
      .selectFrom('audit_events')
      .select('hash')
      .where('seq', '=', cutTo)
      .executeTakeFirstOrThrow();
    await asOwner([
      `delete from audit_events where seq > ${cutTo}`,
      `update audit_chain_head set last_seq = ${cutTo}, last_hash = '${newHead.hash}' where id = 1`,
    ]);
    const withoutAnchors = await verifyStoredAuditChain(t.db, t.app.secrets.auditKey);
    expect(withoutAnchors.ok).toBe(true); // what the chain alone says
    const result = await verifyStoredAuditChain(t.db, t.app.secrets.auditKey, anchors);
    expect(result.ok).toBe(false);
    expect(result.problem).toMatch(/rows missing: the checkpoint taken .* says the log reached seq \d+/);
    const admin = await t.login('admin');
    const page = (await t.call(admin, 'GET', '/api/admin/audit/verify')).json();
    expect(page).toMatchObject({ ok: false, problem: expect.stringMatching(/rows missing/) });
  });
});

describe('a rewritten chain, recomputed with the key', () => {
  it('is caught by the checkpoint of a row it changed', async () => {
    const fresh = new FileAnchorStore(mkdtempSync(join(tmpdir(), 'gpdep-anchors-')));
    const app = await createTestApp({ auditAnchors: fresh });
    try {
      const patient = await app.login('pA2');
      await app.call(patient, 'POST', `/api/patients/${app.fixture.patientIds.pA2}/phq9`, {
        body: phq9Body([1, 1, 1, 1, 1, 1, 1, 1, 0]),
      });
      await writeAuditCheckpoint(app.db, app.app.secrets.auditKey, fresh, app.clock.now);
      // The attacker, holding the key, deletes a middle row and re-links and re-hashes the rest.
      const rows = await app.db.selectFrom('audit_events').selectAll().orderBy('seq').execute();
      const victim = Number(rows[Math.floor(rows.length / 2)]!.seq);
      const kept = rows.filter((r) => Number(r.seq) !== victim);
      let prev = 'genesis';
      const statements = ['delete from audit_events'];
      kept.forEach((r, i) => {
        const content: AuditEventContent = {
          seq: i + 1,
          occurredAt: new Date(r.occurred_at),
          actorUserId: r.actor_user_id,
          actorRole: r.actor_role,
          actorName: r.actor_name,
          actorPracticeId: r.actor_practice_id,
          patientId: r.patient_id,
          action: r.action,
          dataCategory: r.data_category,
          accessBasis: r.access_basis,
          outcome: r.outcome,
          requestId: r.request_id,
        };
        const hash = chainHash(app.app.secrets.auditKey, prev, content);
        const q = (v: string | null) => (v === null ? 'null' : `'${v.replace(/'/g, "''")}'`);
        statements.push(
          `insert into audit_events (seq, occurred_at, actor_user_id, actor_role, actor_name, actor_practice_id, patient_id, action, data_category, access_basis, outcome, request_id, prev_hash, hash) values (${i + 1}, '${content.occurredAt.toISOString()}', ${q(r.actor_user_id)}, ${q(r.actor_role)}, ${q(r.actor_name)}, ${q(r.actor_practice_id)}, ${q(r.patient_id)}, ${q(r.action)}, ${q(r.data_category)}, ${q(r.access_basis)}, ${q(r.outcome)}, ${q(r.request_id)}, '${prev}', '${hash}')`
        );
        prev = hash;
      });
      statements.push(
        `update audit_chain_head set last_seq = ${kept.length}, last_hash = '${prev}' where id = 1`
      );
      const tamper = async () => {
        const all = [
          'alter table audit_events disable trigger audit_events_no_update_delete',
          ...statements,
          'alter table audit_events enable trigger audit_events_no_update_delete',
        ];
        if (app.database.ownerUrl) {
          const owner = new pg.Client({ connectionString: app.database.ownerUrl });
          await owner.connect();
          try {
            for (const s of all) await owner.query(s);
          } finally {
            await owner.end();
          }
        } else await sql.raw(`reset role; ${all.join('; ')}; set role gpdep_app`).execute(app.db);
      };
      await tamper();
      expect((await verifyStoredAuditChain(app.db, app.app.secrets.auditKey)).ok).toBe(true);
      const result = await verifyStoredAuditChain(app.db, app.app.secrets.auditKey, fresh);
      expect(result.ok).toBe(false);
      expect(result.problem).toMatch(/rows missing|another hash/);
      // A forged or altered checkpoint line is reported, never skipped.
      writeFileSync(fresh.file, `${readFileSync(fresh.file, 'utf8')}{"seq": 1, "oops": true}\n`);
      expect((await verifyStoredAuditChain(app.db, app.app.secrets.auditKey, fresh)).problem).toMatch(
        /not checkpoints|rows missing|another hash/
      );
    } finally {
      await app.close();
    }
  });
});

describe('production keeps the key out of the data folder', () => {
  it('refuses to start with the key from DATA_DIR/secrets.json, or checkpoints inside the database folder', () => {
    const base = { DATA_DIR: '/srv/gpdep' };
    expect(productionProblems(readConfig({ ...base, NODE_ENV: 'production' }), base)).toEqual([
      expect.stringMatching(/AUDIT_HMAC_KEY and CSRF_KEY in the environment/),
    ]);
    const env = {
      ...base,
      NODE_ENV: 'production',
      AUDIT_HMAC_KEY: 'x'.repeat(44),
      CSRF_KEY: 'y'.repeat(44),
      AUDIT_ANCHOR_DIR: '/srv/gpdep/pglite/anchors',
    };
    expect(productionProblems(readConfig(env), env)).toEqual([
      expect.stringMatching(/AUDIT_ANCHOR_DIR .* may not lie inside the database folder/),
    ]);
    const ok = { ...env, AUDIT_ANCHOR_DIR: '/var/log/gpdep-anchors' };
    expect(productionProblems(readConfig(ok), ok)).toEqual([]);
    // The demo (no NODE_ENV=production, no DATABASE_URL) may keep its key in the folder.
    expect(productionProblems(readConfig(base), base)).toEqual([]);
  });
});
