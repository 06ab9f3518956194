/**
 * The audit log cannot be cut or rewritten without detection (issue 10, item 5): checkpoints
 * outside the database (a file here) record the chain head; verification demands every
 * checkpointed row back with the same hash. Two attacks that verified as intact before:
 * deleting the last rows and rewinding the chain head (no key needed), and deleting a middle row
 * and recomputing the chain with the key (someone holding the demo's secrets.json).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCheckpointLine, signCheckpoint } from '../../domain/audit/checkpoint.js';
import { linkHash, type SignedAuditEvent } from '../../domain/audit/hash-chain.js';
import { createTestApp, phq9Body, type TestApp } from '../../../test/support/test-app.js';
import { FileAnchorStore } from './anchor-store.js';
import { chainPendingAuditEvents, verifyStoredAuditChain, writeAuditCheckpoint } from './audit-log.js';
import { loadSecrets, productionProblems, readConfig } from '../config.js';

let t: TestApp;
let anchors: FileAnchorStore;

/**
 * Runs SQL as the database owner with the append-only triggers off (on the events and on their
 * chain links): what an attacker with the owner's rights can do (PostgreSQL: the owner's own
 * connection; PGlite: back from gpdep_app to the owner on the one connection).
 */
async function asOwner(app: TestApp, statements: string[]): Promise<void> {
  const all = [
    'alter table audit_events disable trigger audit_events_no_update_delete',
    'alter table audit_chain_links disable trigger audit_chain_links_no_update_delete',
    ...statements,
    'alter table audit_chain_links enable trigger audit_chain_links_no_update_delete',
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
  } else {
    await sql.raw(`reset role; ${all.join('; ')}; set role gpdep_app`).execute(app.db);
  }
}

const headSeq = async (app: TestApp) =>
  Number((await app.db.selectFrom('audit_chain_head').select('last_seq').executeTakeFirstOrThrow()).last_seq);

/** What the server's chainer does: links what is queued, then checkpoints the head. */
const checkpoint = async (app: TestApp, store: FileAnchorStore) => {
  await chainPendingAuditEvents(app.db, app.app.secrets.auditKey, app.clock.now);
  return writeAuditCheckpoint(app.db, app.app.secrets.auditKey, store, app.clock.now);
};

/** The hash of the link at a chain position, and the event it links. */
const linkAt = (app: TestApp, position: number) =>
  app.db
    .selectFrom('audit_chain_links')
    .select(['hash', 'event_seq'])
    .where('position', '=', position)
    .executeTakeFirstOrThrow();

async function someActivity(app: TestApp, n: number) {
  const patient = await app.login('pA1');
  for (let i = 0; i < n; i += 1)
    await app.call(patient, 'GET', `/api/patients/${app.fixture.patientIds.pA1}/questionnaire-responses`);
}

describe('audit checkpoints outside the database', () => {
  // A fresh app and checkpoint file for each test: none depends on another having run first.
  beforeEach(async () => {
    anchors = new FileAnchorStore(mkdtempSync(join(tmpdir(), 'gpdep-anchors-')));
    t = await createTestApp({ auditAnchors: anchors });
  });
  afterEach(async () => t?.close());

  it('verifies with its checkpoints while nothing is touched, through the admin page too', async () => {
    await someActivity(t, 3);
    await checkpoint(t, anchors);
    await someActivity(t, 2);
    await checkpoint(t, anchors);
    const result = await verifyStoredAuditChain(t.db, t.app.secrets.auditKey, anchors);
    expect(result).toMatchObject({ ok: true, checkpoints: 2, problem: null });
    const lines = readFileSync(anchors.file, 'utf8').trimEnd().split('\n');
    expect(lines.map((l) => parseCheckpointLine(l)?.seq)).toEqual([expect.any(Number), await headSeq(t)]);
    const admin = await t.login('admin');
    expect((await t.call(admin, 'GET', '/api/admin/audit/verify')).json()).toMatchObject({
      ok: true,
      checkpoints: 2,
      problem: null,
    });
  });

  it('catches the last rows deleted and the chain head rewound, naming the checkpoint (the chain alone said intact)', async () => {
    // Two checkpoints of earlier activity (lines 1 and 2), as in the test above.
    await someActivity(t, 3);
    await checkpoint(t, anchors);
    await someActivity(t, 2);
    await checkpoint(t, anchors);
    const cutTo = await headSeq(t);
    const cut = await linkAt(t, cutTo);
    // The GP reads the patient's answers; the server takes its minute's checkpoint.
    const gp = await t.login('gp1');
    for (let i = 0; i < 2; i += 1)
      await t.call(gp, 'GET', `/api/patients/${t.fixture.patientIds.pA1}/questionnaire-responses`);
    await checkpoint(t, anchors);
    const checkpointed = await headSeq(t);
    const patient = await t.login('pA1');
    const gpEntries = async () =>
      (await t.call(patient, 'GET', `/api/patients/${t.fixture.patientIds.pA1}/access-log`))
        .json<{
          items: { actorRole: string }[];
        }>()
        .items.filter((item) => item.actorRole === 'gp').length;
    expect(await gpEntries()).toBe(2);

    // The database owner (no key needed) cuts the GP's reads off (their links, and every event
    // after the cut, linked or still queued) and rewinds the head.
    const afterCut = Number(cut.event_seq);
    await asOwner(t, [
      `delete from audit_chain_links where position > ${cutTo}`,
      `delete from audit_pending where seq > ${afterCut}`,
      `delete from audit_events where seq > ${afterCut}`,
      `update audit_chain_head set last_seq = ${cutTo}, last_hash = '${cut.hash}' where id = 1`,
    ]);
    expect((await verifyStoredAuditChain(t.db, t.app.secrets.auditKey)).ok).toBe(true); // the chain alone

    const result = await verifyStoredAuditChain(t.db, t.app.secrets.auditKey, anchors);
    expect(result.ok).toBe(false);
    expect(result.problem).toMatch(
      new RegExp(
        `^checkpoint on line 3 \\(taken ${t.clock.now.toISOString().replace(/\./g, '\\.')}\\): rows after seq ${cutTo} missing: it says head ${checkpointed} had hash [0-9a-f]{16}…`
      )
    );
    expect(await gpEntries()).toBe(0); // gone from the patient's access log
    const admin = await t.login('admin');
    const page = (await t.call(admin, 'GET', '/api/admin/audit/verify')).json();
    expect(page).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^checkpoint on line 3 .*: rows after seq \d+ missing/),
    });

    // The log then grows again over the cut: the old checkpoint still sees a different row there.
    await checkpoint(t, anchors);
    await someActivity(t, 1);
    const later = await verifyStoredAuditChain(t.db, t.app.secrets.auditKey, anchors);
    expect(later.problem).toMatch(/^checkpoint on line 3 .*(rows after seq \d+ missing|was rewritten)/);
  });
});

describe('a chain recomputed with the key', () => {
  it('is caught by the checkpoint that covered the deleted row, even with a new checkpoint signed by the attacker', async () => {
    const store = new FileAnchorStore(mkdtempSync(join(tmpdir(), 'gpdep-anchors-')));
    const app = await createTestApp({ auditAnchors: store });
    try {
      const patient = await app.login('pA2');
      await app.call(patient, 'POST', `/api/patients/${app.fixture.patientIds.pA2}/phq9`, {
        body: phq9Body([1, 1, 1, 1, 1, 1, 1, 1, 0]),
      });
      await app.call(patient, 'GET', `/api/patients/${app.fixture.patientIds.pA2}/questionnaire-responses`);
      await checkpoint(app, store);
      const covered = await headSeq(app);

      // The attacker holds the key (the demo's secrets.json): deletes the PHQ-9's create event,
      // re-links every later event at the position before, and rewinds the head.
      const key = app.app.secrets.auditKey;
      const rows = await app.db
        .selectFrom('audit_chain_links as l')
        .innerJoin('audit_events as e', 'e.seq', 'l.event_seq')
        .selectAll('e')
        .orderBy('l.position')
        .execute();
      const victim = rows.find((r) => r.action === 'create' && r.patient_id === app.fixture.patientIds.pA2)!;
      const kept = rows.filter((r) => r.seq !== victim.seq);
      let prev = 'genesis';
      const statements = [
        'delete from audit_chain_links',
        `delete from audit_pending where seq = ${victim.seq}`,
        `delete from audit_events where seq = ${victim.seq}`,
      ];
      kept.forEach((r, i) => {
        const event: SignedAuditEvent = {
          seq: Number(r.seq),
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
          eventMac: r.event_mac,
        };
        const hash = linkHash(key, prev, i + 1, event, event.eventMac);
        statements.push(
          `insert into audit_chain_links (position, event_seq, prev_hash, hash, linked_at) values (${i + 1}, ${event.seq}, '${prev}', '${hash}', now())`
        );
        prev = hash;
      });
      statements.push(
        `update audit_chain_head set last_seq = ${kept.length}, last_hash = '${prev}' where id = 1`
      );
      await asOwner(app, statements);
      // With the key they can sign a checkpoint for the new head too; they cannot take the old line back.
      await checkpoint(app, store);

      expect((await verifyStoredAuditChain(app.db, key)).ok).toBe(true); // the chain alone
      const result = await verifyStoredAuditChain(app.db, key, store);
      expect(result).toMatchObject({ ok: false, checkpoints: 2 });
      expect(result.problem).toMatch(
        new RegExp(
          `^checkpoint on line 1 .*: rows after seq ${covered - 1} missing: it says head ${covered} had hash`
        )
      );
    } finally {
      await app.close();
    }
  });
});

describe('the checkpoint file itself', () => {
  it('reports a forged line (no valid signature) and a line that is not a checkpoint, on an untouched log', async () => {
    const store = new FileAnchorStore(mkdtempSync(join(tmpdir(), 'gpdep-anchors-')));
    const app = await createTestApp({ auditAnchors: store });
    try {
      await someActivity(app, 2);
      await checkpoint(app, store);
      expect(await verifyStoredAuditChain(app.db, app.app.secrets.auditKey, store)).toMatchObject({
        ok: true,
      });

      // A plausible line, shaped like a checkpoint, for the real head, but signed without the key.
      const real = parseCheckpointLine(readFileSync(store.file, 'utf8').trim())!;
      const forged = signCheckpoint(randomBytes(32), {
        ...real,
        at: new Date(Date.parse(real.at) + 1).toISOString(),
      });
      writeFileSync(store.file, `${JSON.stringify(forged)}\n`, { flag: 'a' });
      const result = await verifyStoredAuditChain(app.db, app.app.secrets.auditKey, store);
      expect(result).toMatchObject({ ok: false, checkpoints: 2 });
      expect(result.problem).toBe(
        `checkpoint on line 2 (taken ${forged.at}): its signature is not valid (forged or altered line)`
      );

      writeFileSync(store.file, '{"seq": 1, "oops": true}\n', { flag: 'a' });
      expect((await verifyStoredAuditChain(app.db, app.app.secrets.auditKey, store)).problem).toBe(
        'checkpoint store altered: line(s) 3 are not checkpoints'
      );
    } finally {
      await app.close();
    }
  });

  it('stays valid and in order with checkpoints written concurrently with audit writes', async () => {
    const store = new FileAnchorStore(mkdtempSync(join(tmpdir(), 'gpdep-anchors-')));
    const app = await createTestApp({ auditAnchors: store });
    try {
      const patient = await app.login('pA1');
      const read = () =>
        app.call(patient, 'GET', `/api/patients/${app.fixture.patientIds.pA1}/questionnaire-responses`);
      await Promise.all(
        Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? read() : checkpoint(app, store)))
      );
      await checkpoint(app, store);
      const lines = readFileSync(store.file, 'utf8').trimEnd().split('\n');
      expect(lines).toHaveLength(7);
      const seqs = lines.map((l) => parseCheckpointLine(l)!.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(seqs.at(-1)).toBe(await headSeq(app));
      expect(await verifyStoredAuditChain(app.db, app.app.secrets.auditKey, store)).toMatchObject({
        ok: true,
        checkpoints: 7,
      });
    } finally {
      await app.close();
    }
  });
});

describe('production keeps the key and the checkpoints out of the data folder', () => {
  const keys = {
    AUDIT_HMAC_KEY: randomBytes(32).toString('base64'),
    CSRF_KEY: randomBytes(32).toString('base64'),
    SECOND_FACTOR_KEY: randomBytes(32).toString('base64'),
  };

  it('refuses keys from DATA_DIR/secrets.json, naming each variable', () => {
    const env = { DATA_DIR: '/srv/gpdep', DATABASE_URL: 'postgres://db/gpdep' };
    expect(productionProblems(readConfig(env), env)).toEqual([
      expect.stringMatching(
        /^give AUDIT_HMAC_KEY .* or AUDIT_HMAC_KEY_FILE .* may not be read from DATA_DIR\/secrets\.json/
      ),
      expect.stringMatching(/^give CSRF_KEY/),
      expect.stringMatching(/^give SECOND_FACTOR_KEY/),
    ]);
    expect(() => loadSecrets(readConfig(env), env)).toThrow(
      /^Refusing to start in production \(NODE_ENV=production or DATABASE_URL set\): give AUDIT_HMAC_KEY/
    );
    // The same rule with NODE_ENV=production on the embedded database.
    const embedded = { DATA_DIR: '/srv/gpdep', NODE_ENV: 'production', AUDIT_ANCHOR_DIR: '/var/log/gpdep' };
    expect(productionProblems(readConfig(embedded), embedded)).toHaveLength(3);
  });

  it('refuses an audit key file or a checkpoint folder inside the data folder, links included', () => {
    const root = mkdtempSync(join(tmpdir(), 'gpdep-prod-'));
    const dataDir = join(root, 'data');
    mkdirSync(join(dataDir, 'hidden'), { recursive: true });
    const keyFile = join(dataDir, 'audit.key');
    writeFileSync(keyFile, keys.AUDIT_HMAC_KEY);

    const inFolder = {
      DATA_DIR: dataDir,
      NODE_ENV: 'production',
      CSRF_KEY: keys.CSRF_KEY,
      SECOND_FACTOR_KEY: keys.SECOND_FACTOR_KEY,
      AUDIT_HMAC_KEY_FILE: keyFile,
    };
    expect(productionProblems(readConfig(inFolder), inFolder)).toEqual([
      `AUDIT_HMAC_KEY_FILE (${keyFile}) lies inside DATA_DIR (${dataDir}); keep the audit key apart from the data it protects`,
      `AUDIT_ANCHOR_DIR (${join(dataDir, 'audit-anchors')}) may not lie inside DATA_DIR (${dataDir}), which holds the embedded database: set AUDIT_ANCHOR_DIR to other storage`,
    ]);

    // A link outside that points into the folder is still the folder.
    symlinkSync(join(dataDir, 'hidden'), join(root, 'anchors-link'));
    const linked = {
      DATA_DIR: dataDir,
      NODE_ENV: 'production',
      ...keys,
      AUDIT_ANCHOR_DIR: join(root, 'anchors-link', 'a'),
    };
    expect(productionProblems(readConfig(linked), linked)).toEqual([
      expect.stringMatching(/^AUDIT_ANCHOR_DIR .* may not lie inside DATA_DIR/),
    ]);

    // With PostgreSQL the database is elsewhere: DATA_DIR/audit-anchors is outside it.
    const postgres = { DATA_DIR: dataDir, DATABASE_URL: 'postgres://db/gpdep', ...keys };
    expect(productionProblems(readConfig(postgres), postgres)).toEqual([]);
    const pgliteInside = { ...postgres, AUDIT_ANCHOR_DIR: join(dataDir, 'pglite', 'anchors') };
    expect(productionProblems(readConfig(pgliteInside), pgliteInside)).toEqual([
      expect.stringMatching(/^AUDIT_ANCHOR_DIR .* may not lie inside the database folder/),
    ]);

    // A key file and checkpoints on other storage: starts, with the key from the file.
    const outsideKey = join(root, 'audit.key');
    writeFileSync(outsideKey, `${keys.AUDIT_HMAC_KEY}\n`);
    const ok = {
      DATA_DIR: dataDir,
      NODE_ENV: 'production',
      CSRF_KEY: keys.CSRF_KEY,
      SECOND_FACTOR_KEY: keys.SECOND_FACTOR_KEY,
      AUDIT_HMAC_KEY_FILE: outsideKey,
      AUDIT_ANCHOR_DIR: join(root, 'anchors'),
    };
    expect(productionProblems(readConfig(ok), ok)).toEqual([]);
    expect(loadSecrets(readConfig(ok), ok).auditKey.toString('base64')).toBe(keys.AUDIT_HMAC_KEY);

    // An empty key file (a secret not mounted yet) is refused, never read as "no key": that would
    // fall back to a key written beside the data.
    for (const content of ['', '  \n']) {
      writeFileSync(outsideKey, content);
      expect(() => loadSecrets(readConfig(ok), ok)).toThrow(/AUDIT_HMAC_KEY_FILE .* is empty/);
    }
    expect(existsSync(join(dataDir, 'secrets.json'))).toBe(false);
  });

  it('lets the demo keep its keys and checkpoints in the folder', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gpdep-demo-'));
    const env = { DATA_DIR: dataDir };
    expect(readConfig(env).production).toBe(false);
    expect(productionProblems(readConfig(env), env)).toEqual([]);
    expect(loadSecrets(readConfig(env), env).auditKey).toHaveLength(32);
    expect(readConfig(env).auditAnchorDir).toBe(join(dataDir, 'audit-anchors'));
  });
});
