/**
 * The audit log without one lock every request queues on (issue 18): events are appended with an
 * id from a sequence and their own MAC, and a chainer links them in batches into the hash chain.
 * Runs on PGlite and, with DATABASE_URL, on PostgreSQL; the tests about transactions running side
 * by side need PostgreSQL (PGlite has one connection and runs transactions one after another).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  InsertQueryNode,
  Kysely,
  PostgresDialect,
  sql,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signCheckpoint } from '../../domain/audit/checkpoint.js';
import {
  eventMac,
  eventMacKey,
  GENESIS_HASH,
  legacyChainHash,
  UNSIGNED,
  type AuditEventContent,
} from '../../domain/audit/hash-chain.js';
import type { Database } from '../../db/schema.js';
import { down, up } from '../../db/migrations/2026_12_06_0032_audit_batched_chain.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { accessLogRows } from '../patients/access-log-rows.js';
import { FileAnchorStore } from './anchor-store.js';
import {
  chainPendingAuditEvents,
  startAuditChainer,
  verifyStoredAuditChain,
  writeAuditCheckpoint,
} from './audit-chain.js';
import { withAuditedTransaction, type NewAuditEvent } from './audit-log.js';

const onPostgres = Boolean(process.env.DATABASE_URL);
const key = randomBytes(32);
let database: TestDatabase;
let db: Kysely<Database>;

beforeEach(async () => {
  database = await createTestDatabase();
  db = database.db;
});
afterEach(async () => database?.close());

const event = (requestId: string, patientId: string | null = null): NewAuditEvent => ({
  actorUserId: null,
  actorRole: 'gp',
  actorName: 'Test actor',
  actorPracticeId: null,
  patientId,
  action: 'read',
  dataCategory: 'test data',
  accessBasis: 'role',
  outcome: 'allowed',
  requestId,
});

/** One audited transaction that appends `events` (and does nothing else). */
const append = (on: Kysely<Database>, events: NewAuditEvent[], now = new Date()) =>
  withAuditedTransaction(on, key, now, async (_trx, record) => record(events));

const seqOf = async (requestId: string) =>
  Number(
    (
      await db
        .selectFrom('audit_events')
        .select('seq')
        .where('request_id', '=', requestId)
        .executeTakeFirstOrThrow()
    ).seq
  );

const count = async (table: 'audit_events' | 'audit_chain_links' | 'audit_pending') =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n
  );

/** The chain as stored: event ids in position order. */
const chainOrder = async () =>
  (
    await db.selectFrom('audit_chain_links').select(['position', 'event_seq']).orderBy('position').execute()
  ).map((l) => ({ position: Number(l.position), seq: Number(l.event_seq) }));

/** Runs `work` with the table owner's rights (PostgreSQL: the owner's connection; PGlite: RESET ROLE). */
async function withOwner(work: (owner: Kysely<unknown>) => Promise<void>): Promise<void> {
  if (database.ownerUrl) {
    const owner = new Kysely<unknown>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.ownerUrl, max: 1 }) }),
    });
    try {
      await work(owner);
    } finally {
      await owner.destroy();
    }
    return;
  }
  await sql`reset role`.execute(db);
  try {
    await work(db as unknown as Kysely<unknown>);
  } finally {
    await sql`set role gpdep_app`.execute(db);
  }
}

/** What an attacker with the owner's rights can do: SQL with the append-only triggers off. */
const asOwner = (statements: string[]) =>
  withOwner(async (owner) => {
    for (const s of [
      'alter table audit_events disable trigger audit_events_no_update_delete',
      'alter table audit_chain_links disable trigger audit_chain_links_no_update_delete',
      ...statements,
      'alter table audit_chain_links enable trigger audit_chain_links_no_update_delete',
      'alter table audit_events enable trigger audit_events_no_update_delete',
    ])
      await sql.raw(s).execute(owner);
  });

/**
 * Holds every transaction that inserts audit events right after the insert, until released: a
 * request that has appended and not committed yet.
 */
class HoldAfterAuditInsert implements KyselyPlugin {
  private readonly inserts = new WeakSet<object>();
  private release!: () => void;
  private readonly released = new Promise<void>((resolve) => (this.release = resolve));
  private reachedResolve!: () => void;
  /** Resolves when a transaction has inserted its events and is being held. */
  readonly reached = new Promise<void>((resolve) => (this.reachedResolve = resolve));

  transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
    if (InsertQueryNode.is(node) && node.into?.table.identifier.name === 'audit_events')
      this.inserts.add(queryId);
    return node;
  }

  async transformResult({ result, queryId }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.inserts.has(queryId)) {
      this.reachedResolve();
      await this.released;
    }
    return result;
  }

  open(): void {
    this.release();
  }
}

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([
    promise.then(() => 'done' as const),
    new Promise<'waiting'>((r) => setTimeout(() => r('waiting'), ms)),
  ]);

describe('appending', () => {
  it.runIf(onPostgres)(
    'lets two transactions append at once: neither waits for the other (PostgreSQL)',
    async () => {
      const hold = new HoldAfterAuditInsert();
      // A appends and stays open (on today's single head row it would hold the lock).
      const a = append(db.withPlugin(hold), [event('held-a')]);
      try {
        await hold.reached;
        // B appends and commits while A is still open.
        expect(await within(append(db, [event('b')]), 5000)).toBe('done');
        expect(await count('audit_events')).toBe(1); // B's; A's is not committed yet
      } finally {
        hold.open();
        await a;
      }
      expect(await seqOf('held-a')).toBeLessThan(await seqOf('b'));
      await chainPendingAuditEvents(db, key, new Date());
      expect(await verifyStoredAuditChain(db, key)).toMatchObject({ ok: true, eventCount: 2 });
    }
  );

  it('shows a read in the patient access log at once, before it is linked', async () => {
    const patientId = randomUUID();
    await append(db, [{ ...event('gp-read', patientId), actorUserId: randomUUID() }]);
    const rows = await accessLogRows(db, patientId, randomUUID(), { limit: 10 });
    expect(rows.map((r) => r.action)).toEqual(['read']);
    expect(await count('audit_chain_links')).toBe(0);
    expect(await count('audit_pending')).toBe(1);
  });

  it('signs each event as it is appended, and keeps events and links out of reach of the application', async () => {
    await append(db, [event('r1'), event('r2')]);
    await chainPendingAuditEvents(db, key, new Date());
    const rows = await db.selectFrom('audit_events').select(['seq', 'event_mac']).orderBy('seq').execute();
    expect(rows.map((r) => r.event_mac)).toEqual([
      expect.stringMatching(/^[0-9a-f]{64}$/),
      expect.any(String),
    ]);
    for (const statement of [
      sql`update audit_chain_links set hash = 'x'`,
      sql`delete from audit_chain_links`,
      sql`truncate audit_chain_links`,
      sql`update audit_events set actor_name = 'x'`,
      sql`delete from audit_events`,
    ]) {
      await expect(statement.execute(db)).rejects.toThrow(/permission denied/);
    }
    // The owner is refused by the trigger unless it is turned off.
    await expect(
      withOwner(async (owner) => {
        await sql`update audit_chain_links set hash = 'x'`.execute(owner);
      })
    ).rejects.toThrow(/audit_chain_links is append-only/);
  });
});

describe('chaining', () => {
  it('links every event of 20 writers × 50 transactions exactly once, each writer in its commit order', async () => {
    let appending = true;
    const writers = Array.from({ length: 20 }, async (_, w) => {
      for (let i = 0; i < 50; i += 1) {
        await append(
          db,
          Array.from({ length: 1 + (i % 3) }, (_, k) => event(`w${w}-${i}-${k}`))
        );
      }
    });
    // A chainer running meanwhile, in small batches, as the server's would.
    const chainer = (async () => {
      while (appending) {
        await chainPendingAuditEvents(db, key, new Date(), { batchSize: 97, maxBatches: 1 });
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await Promise.all(writers);
    appending = false;
    await chainer;
    await chainPendingAuditEvents(db, key, new Date(), { batchSize: 97 });

    const events = await count('audit_events');
    expect(events).toBe(20 * (17 * 1 + 17 * 2 + 16 * 3));
    expect(await count('audit_pending')).toBe(0);
    const order = await chainOrder();
    expect(order.map((l) => l.position)).toEqual(Array.from({ length: events }, (_, i) => i + 1));
    expect(new Set(order.map((l) => l.seq)).size).toBe(events);
    // A writer's transactions commit one after another, so the chain has them in that order.
    const positionOf = new Map(order.map((l) => [l.seq, l.position]));
    const byRequest = await db.selectFrom('audit_events').select(['seq', 'request_id']).execute();
    for (let w = 0; w < 20; w += 1) {
      const positions = byRequest
        .filter((r) => r.request_id!.startsWith(`w${w}-`))
        .sort((x, y) => {
          const [, xi, xk] = x.request_id!.split('-').map(Number);
          const [, yi, yk] = y.request_id!.split('-').map(Number);
          return xi! - yi! || xk! - yk!;
        })
        .map((r) => positionOf.get(Number(r.seq))!);
      expect(positions).toEqual([...positions].sort((x, y) => x - y));
    }
    expect(await verifyStoredAuditChain(db, key)).toMatchObject({
      ok: true,
      eventCount: events,
      unlinked: 0,
    });
  });

  it('links an event that took a lower id but committed late in a later batch', async () => {
    // A slow transaction takes its id first …
    const early = Number(
      (await sql<{ seq: string }>`select nextval('audit_event_seq') as seq`.execute(db)).rows[0]!.seq
    );
    await append(db, [event('fast-1'), event('fast-2')]);
    const first = await chainPendingAuditEvents(db, key, new Date());
    expect(first).toMatchObject({ linked: 2, head: { position: 2 } });
    // … and commits its event after the others were linked (what the application writes, by hand).
    const occurredAt = new Date();
    const content: AuditEventContent = { ...event('slow'), seq: early, occurredAt };
    await db
      .insertInto('audit_events')
      .values({
        seq: early,
        occurred_at: occurredAt,
        actor_user_id: null,
        actor_role: content.actorRole,
        actor_name: content.actorName,
        actor_practice_id: null,
        patient_id: null,
        action: content.action,
        data_category: content.dataCategory,
        access_basis: content.accessBasis,
        outcome: content.outcome,
        request_id: content.requestId,
        event_mac: eventMac(eventMacKey(key), content),
      })
      .execute();
    expect(await chainPendingAuditEvents(db, key, new Date())).toMatchObject({ linked: 1, unsigned: [] });
    expect(await chainOrder()).toEqual([
      { position: 1, seq: await seqOf('fast-1') },
      { position: 2, seq: await seqOf('fast-2') },
      { position: 3, seq: early },
    ]);
    expect(early).toBeLessThan(await seqOf('fast-1'));
    expect(await verifyStoredAuditChain(db, key)).toMatchObject({ ok: true, eventCount: 3 });
  });

  it.runIf(onPostgres)(
    'links a real late commit (a held transaction with the lower id) after the later ones (PostgreSQL)',
    async () => {
      const hold = new HoldAfterAuditInsert();
      const slow = append(db.withPlugin(hold), [event('slow')]);
      await hold.reached;
      await append(db, [event('fast')]);
      expect(await chainPendingAuditEvents(db, key, new Date())).toMatchObject({ linked: 1 });
      hold.open();
      await slow;
      expect(await chainPendingAuditEvents(db, key, new Date())).toMatchObject({ linked: 1 });
      expect((await chainOrder()).map((l) => l.seq)).toEqual([await seqOf('fast'), await seqOf('slow')]);
      expect(await seqOf('slow')).toBeLessThan(await seqOf('fast'));
      expect(await verifyStoredAuditChain(db, key)).toMatchObject({ ok: true, eventCount: 2 });
    }
  );

  it.runIf(onPostgres)(
    'lets one chainer through at a time: the others skip, no fork, no double link (PostgreSQL)',
    async () => {
      for (let round = 0; round < 5; round += 1) {
        await Promise.all(
          Array.from({ length: 6 }, (_, w) =>
            append(
              db,
              Array.from({ length: 40 }, (_, k) => event(`r${round}-w${w}-${k}`))
            )
          )
        );
        // Four chainers at once on separate connections, two of them waiting rather than skipping.
        const runs = await Promise.all(
          Array.from({ length: 4 }, (_, c) =>
            chainPendingAuditEvents(db, key, new Date(), { batchSize: 50, wait: c % 2 === 0 })
          )
        );
        expect(runs.reduce((sum, r) => sum + r.linked, 0)).toBe(240);
      }
      const order = await chainOrder();
      expect(order.map((l) => l.position)).toEqual(Array.from({ length: 1200 }, (_, i) => i + 1));
      expect(new Set(order.map((l) => l.seq)).size).toBe(1200);
      expect(await verifyStoredAuditChain(db, key)).toMatchObject({ ok: true, eventCount: 1200 });

      // While another chainer holds the head, a chainer skips at once; one that waits gives up.
      await append(db, [event('behind-held-head')]);
      const other = new pg.Client({ connectionString: database.ownerUrl! });
      await other.connect();
      try {
        await other.query('begin');
        await other.query('select * from audit_chain_head where id = 1 for update');
        const skipping = chainPendingAuditEvents(db, key, new Date());
        expect(await within(skipping, 2000)).toBe('done');
        expect(await skipping).toMatchObject({ skipped: true, linked: 0 });
        await expect(
          chainPendingAuditEvents(db, key, new Date(), { wait: true, lockTimeoutMs: 200 })
        ).rejects.toMatchObject({ code: '55P03' });
        await other.query('commit');
      } finally {
        await other.end();
      }
      expect(await chainPendingAuditEvents(db, key, new Date())).toMatchObject({ skipped: false, linked: 1 });
    }
  );
});

describe('tampering is still found', () => {
  const someLinkedEvents = async (n: number) => {
    await append(
      db,
      Array.from({ length: n }, (_, i) => event(`e${i + 1}`))
    );
    await chainPendingAuditEvents(db, key, new Date());
  };

  it('an edited linked row, at its event', async () => {
    await someLinkedEvents(5);
    const target = await seqOf('e3');
    await asOwner([`update audit_events set action = 'export' where seq = ${target}`]);
    expect(await verifyStoredAuditChain(db, key)).toMatchObject({
      ok: false,
      brokenAtSeq: target,
      problem: `chain broken at seq ${target}: event content does not match its hash`,
    });
  });

  it('a deleted row, at the next link', async () => {
    await someLinkedEvents(5);
    const target = await seqOf('e3');
    await asOwner([
      `delete from audit_chain_links where event_seq = ${target}`,
      `delete from audit_events where seq = ${target}`,
    ]);
    expect(await verifyStoredAuditChain(db, key)).toMatchObject({
      ok: false,
      brokenAtSeq: await seqOf('e4'),
      problem: `chain broken at seq ${await seqOf('e4')}: expected position 3`,
    });
  });

  it('rows cut off the end with the head rewound, through the checkpoint', async () => {
    const anchors = new FileAnchorStore(mkdtempSync(join(tmpdir(), 'gpdep-anchors-')));
    await someLinkedEvents(5);
    await writeAuditCheckpoint(db, key, anchors, new Date());
    const keep = await db
      .selectFrom('audit_chain_links')
      .select(['hash', 'event_seq'])
      .where('position', '=', 3)
      .executeTakeFirstOrThrow();
    await asOwner([
      'delete from audit_chain_links where position > 3',
      `delete from audit_events where seq > ${Number(keep.event_seq)}`,
      `update audit_chain_head set last_seq = 3, last_hash = '${keep.hash}' where id = 1`,
    ]);
    expect(await verifyStoredAuditChain(db, key)).toMatchObject({ ok: true, eventCount: 3 }); // the chain alone
    expect((await verifyStoredAuditChain(db, key, anchors)).problem).toMatch(
      /^checkpoint on line 1 \(taken .*\): rows after seq 3 missing: it says head 5 had hash [0-9a-f]{16}…/
    );
  });

  it('an event left unlinked too long (the chainer not running), and not before', async () => {
    const now = new Date();
    await append(db, [event('old')], new Date(now.getTime() - 10 * 60_000));
    await append(db, [event('fresh')], now);
    const old = await seqOf('old');
    const asFound = (staleAfterMs?: number) =>
      verifyStoredAuditChain(db, key, null, { chainFirst: false, now, staleAfterMs });
    expect(await asFound()).toMatchObject({
      ok: false,
      brokenAtSeq: old,
      unlinked: 2,
      problem: `chain broken at seq ${old}: not linked into the chain 10 minutes after it was appended (is the chainer running?)`,
    });
    expect(await asFound(11 * 60_000)).toMatchObject({ ok: true, eventCount: 2, unlinked: 2 });
    // Verification links what is queued first: then nothing is stale.
    expect(await verifyStoredAuditChain(db, key, null, { now })).toMatchObject({ ok: true, unlinked: 0 });
  });

  it('an event taken out of the queue, so never linked (a row behind the chainer)', async () => {
    await someLinkedEvents(2);
    await append(db, [event('dequeued')]);
    const seq = await seqOf('dequeued');
    await db.deleteFrom('audit_pending').where('seq', '=', seq).execute(); // the app role may
    expect(await verifyStoredAuditChain(db, key)).toMatchObject({
      ok: false,
      brokenAtSeq: seq,
      problem: `chain broken at seq ${seq}: not linked and not queued for linking: inserted behind the chainer, or its queue entry removed`,
    });
  });

  it('an event inserted without the key (no MAC): linked, logged and reported', async () => {
    await someLinkedEvents(2);
    await sql`
      insert into audit_events (occurred_at, actor_role, actor_name, action, data_category, access_basis, outcome, request_id)
      values (now(), 'gp', 'Someone', 'read', 'test data', 'role', 'allowed', 'injected')
    `.execute(db);
    const seq = await seqOf('injected');
    expect(await chainPendingAuditEvents(db, key, new Date())).toMatchObject({ linked: 1, unsigned: [seq] });
    expect(await verifyStoredAuditChain(db, key)).toMatchObject({
      ok: false,
      brokenAtSeq: seq,
      problem: `chain broken at seq ${seq}: ${UNSIGNED}`,
    });
  });

  it('an event deleted before it was linked, by its queue entry', async () => {
    await someLinkedEvents(2);
    await append(db, [event('short-lived')]);
    const seq = await seqOf('short-lived');
    await asOwner([`delete from audit_events where seq = ${seq}`]);
    expect(await verifyStoredAuditChain(db, key)).toMatchObject({
      ok: false,
      brokenAtSeq: seq,
      problem: `chain broken at seq ${seq}: queued for linking, but the event is gone (deleted before it was linked)`,
    });
  });
});

describe('the chainer in a server', () => {
  it('links within about its interval, checkpoints at start and stop, and links everything on stop', async () => {
    const anchors = new FileAnchorStore(mkdtempSync(join(tmpdir(), 'gpdep-anchors-')));
    const errors: string[] = [];
    const chainer = startAuditChainer({
      db,
      key,
      anchors,
      now: () => new Date(),
      log: { error: (_details, message) => errors.push(message) },
      intervalMs: 20,
    });
    await append(db, [event('a1'), event('a2')]);
    await expect.poll(() => count('audit_pending'), { timeout: 10_000 }).toBe(0);
    expect(await count('audit_chain_links')).toBe(2);
    await append(db, [event('a3')]);
    await chainer.stop();
    expect(await count('audit_chain_links')).toBe(3);
    const { checkpoints } = await anchors.readAll();
    expect(checkpoints[0]!.checkpoint.seq).toBeLessThanOrEqual(2); // at start
    expect(checkpoints.at(-1)!.checkpoint.seq).toBe(3); // at stop
    expect(await verifyStoredAuditChain(db, key, anchors)).toMatchObject({
      ok: true,
      eventCount: 3,
      problem: null,
    });
    expect(errors).toEqual([]);
  });
});

describe('migration 2026_12_06_0032', () => {
  it('keeps a chain made before it, and its checkpoints, verifiable, and continues it', async () => {
    const anchors = new FileAnchorStore(mkdtempSync(join(tmpdir(), 'gpdep-anchors-')));
    // Back to the schema before: hashes on audit_events, one event chained at a time.
    await withOwner(async (owner) => {
      await down(owner);
      let prev = GENESIS_HASH;
      for (let seq = 1; seq <= 4; seq += 1) {
        const content: AuditEventContent = {
          ...event(`old-${seq}`),
          seq,
          occurredAt: new Date(Date.UTC(2026, 10, 30, 9, seq)),
        };
        const hash = legacyChainHash(key, prev, content);
        await sql`
          insert into audit_events (seq, occurred_at, actor_role, actor_name, action, data_category, access_basis, outcome, request_id, prev_hash, hash)
          values (${seq}, ${content.occurredAt}, 'gp', 'Test actor', 'read', 'test data', 'role', 'allowed', ${content.requestId}, ${prev}, ${hash})
        `.execute(owner);
        prev = hash;
      }
      await sql`update audit_chain_head set last_seq = 4, last_hash = ${prev} where id = 1`.execute(owner);
      await anchors.append(
        signCheckpoint(key, { seq: 4, headHash: prev, rowCount: 4, at: '2026-11-30T09:05:00.000Z' })
      );
      await up(owner);
    });
    await append(db, [event('new-1'), event('new-2')]);
    expect(await seqOf('new-1')).toBe(5);
    await chainPendingAuditEvents(db, key, new Date());
    await writeAuditCheckpoint(db, key, anchors, new Date());
    expect((await chainOrder()).map((l) => l.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await verifyStoredAuditChain(db, key, anchors)).toMatchObject({
      ok: true,
      eventCount: 6,
      checkpoints: 2,
    });
    // An old row edited is still found.
    await asOwner(["update audit_events set actor_name = 'x' where seq = 2"]);
    expect(await verifyStoredAuditChain(db, key, anchors)).toMatchObject({ ok: false, brokenAtSeq: 2 });
  });
});
