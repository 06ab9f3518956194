/**
 * Linking the audit log into its hash chain, checkpointing it and verifying it (issue 18).
 *
 * Requests append events without any shared lock (audit-log.ts); a trigger queues each one in
 * audit_pending. The chainer links queued events in batches, in a deterministic order (by id),
 * at the next chain positions, and writes the links to audit_chain_links. Only one chainer works
 * at a time across all servers: it holds the audit_chain_head row (FOR UPDATE), and the others
 * skip (SKIP LOCKED) rather than wait, so a second server never slows the first.
 *
 * Order: a transaction may take a lower id and commit after higher ones. The chain therefore
 * follows the order the chainer finds events committed, not their ids: a late event is in the
 * queue when it commits and gets the next free position in a later batch; it is never skipped.
 *
 * The window: an event is in the log (and in the patient's access log) at once, and linked about a
 * second later. Until then its own MAC (made with the key when appending) shows an edit, and
 * verification reports an event left unlinked for longer than a few minutes.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import { signCheckpoint, verifyCheckpoints } from '../../domain/audit/checkpoint.js';
import {
  eventMacKey,
  eventMacValid,
  linkHash,
  UNSIGNED,
  verifyAuditChain,
  type ChainLink,
  type ChainVerification,
  type SignedAuditEvent,
} from '../../domain/audit/hash-chain.js';
import type { Database } from '../../db/schema.js';
import type { AuditAnchorStore } from './anchor-store.js';

/** Events linked per transaction: large enough to keep up with bursts, short enough to lock briefly. */
export const CHAIN_BATCH_SIZE = 5000;
/** An event not linked this long after it was appended means the chainer is not running. */
export const STALE_AFTER_MS = 5 * 60 * 1000;

export interface ChainRun {
  /** Another chainer held the chain head; this call linked nothing. */
  skipped: boolean;
  linked: number;
  /** Linked events whose own MAC fails: inserted or edited without the key (verification reports them). */
  unsigned: number[];
  /** The chain's head after this call (position 0 is the empty chain). */
  head: { position: number; hash: string } | null;
}

export interface ChainOptions {
  /** Events per transaction (default CHAIN_BATCH_SIZE). */
  batchSize?: number;
  /**
   * Wait for a chainer that holds the head instead of skipping (verification, shutdown), up to
   * `lockTimeoutMs` on PostgreSQL.
   */
  wait?: boolean;
  lockTimeoutMs?: number;
  /** Stop after this many batches (default: until nothing is queued). */
  maxBatches?: number;
}

type EventRow = Selectable<Database['audit_events']>;

function signedEvent(row: EventRow): SignedAuditEvent {
  return {
    seq: Number(row.seq),
    occurredAt: new Date(row.occurred_at),
    actorUserId: row.actor_user_id,
    actorRole: row.actor_role,
    actorName: row.actor_name,
    actorPracticeId: row.actor_practice_id,
    patientId: row.patient_id,
    action: row.action,
    dataCategory: row.data_category,
    accessBasis: row.access_basis,
    outcome: row.outcome,
    requestId: row.request_id,
    eventMac: row.event_mac,
  };
}

/**
 * Links queued events into the chain, a batch per transaction, until nothing is queued (or
 * `maxBatches`). Returns at once, linking nothing, when another chainer holds the head (unless
 * `wait`). `now` stamps the links (for the operator: how long events waited).
 */
export async function chainPendingAuditEvents(
  db: Kysely<Database>,
  key: Buffer,
  now: Date,
  options: ChainOptions = {}
): Promise<ChainRun> {
  const batchSize = options.batchSize ?? CHAIN_BATCH_SIZE;
  const macKey = eventMacKey(key);
  const total: ChainRun = { skipped: false, linked: 0, unsigned: [], head: null };
  for (let batch = 0; batch < (options.maxBatches ?? Infinity); batch += 1) {
    const run = await chainOneBatch(db, key, macKey, now, batchSize, options);
    if (run.skipped) return { ...total, skipped: total.linked === 0 };
    total.linked += run.linked;
    total.unsigned.push(...run.unsigned);
    total.head = run.head;
    if (run.linked < batchSize) break;
  }
  return total;
}

async function chainOneBatch(
  db: Kysely<Database>,
  key: Buffer,
  macKey: Buffer,
  now: Date,
  batchSize: number,
  options: ChainOptions
): Promise<ChainRun> {
  return db.transaction().execute(async (trx) => {
    if (options.wait) {
      // Wait for another chainer's batch, but not forever behind a stuck one (PGlite ignores it).
      await sql`select set_config('lock_timeout', ${`${options.lockTimeoutMs ?? 10_000}ms`}, true)`.execute(
        trx
      );
    }
    const lockHead = trx
      .selectFrom('audit_chain_head')
      .select(['last_seq', 'last_hash'])
      .where('id', '=', 1)
      .forUpdate();
    const head = await (options.wait ? lockHead : lockHead.skipLocked()).executeTakeFirst();
    if (!head) return { skipped: true, linked: 0, unsigned: [], head: null };

    const events = await trx
      .selectFrom('audit_pending as p')
      .innerJoin('audit_events as e', 'e.seq', 'p.seq')
      .selectAll('e')
      .orderBy('p.seq')
      .limit(batchSize)
      .execute();
    let position = Number(head.last_seq);
    let prevHash = head.last_hash;
    const unsigned: number[] = [];
    const links = events.map((row) => {
      const event = signedEvent(row);
      // Linked all the same, so the chain moves on and fixes the row as found; verification
      // reports it, and the chainer's caller logs it now.
      if (!eventMacValid(macKey, event)) unsigned.push(event.seq);
      position += 1;
      const hash = linkHash(key, prevHash, position, event, event.eventMac);
      const link = { position, event_seq: event.seq, prev_hash: prevHash, hash, linked_at: now };
      prevHash = hash;
      return link;
    });
    if (links.length === 0)
      return { skipped: false, linked: 0, unsigned, head: { position, hash: prevHash } };
    // The primary key on position and the unique event_seq refuse a fork or a double link even if
    // two chainers ever got here at once.
    for (let i = 0; i < links.length; i += 1000) {
      await trx
        .insertInto('audit_chain_links')
        .values(links.slice(i, i + 1000))
        .execute();
      await trx
        .deleteFrom('audit_pending')
        .where(
          'seq',
          'in',
          links.slice(i, i + 1000).map((l) => l.event_seq)
        )
        .execute();
    }
    await trx
      .updateTable('audit_chain_head')
      .set({ last_seq: position, last_hash: prevHash })
      .where('id', '=', 1)
      .execute();
    return { skipped: false, linked: links.length, unsigned, head: { position, hash: prevHash } };
  });
}

/**
 * Takes a checkpoint of the chain head (position, hash, number of links, time), signs it and
 * appends it to the anchor store, unless the head has not moved since `lastWrittenSeq`. The head
 * row stays locked until the line is written: head and count come from one moment (no batch can
 * be linked in between), and several servers writing checkpoints append them in chain order.
 */
export async function writeAuditCheckpoint(
  db: Kysely<Database>,
  key: Buffer,
  store: AuditAnchorStore,
  now: Date,
  lastWrittenSeq = -1
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const head = await trx
      .selectFrom('audit_chain_head')
      .select(['last_seq', 'last_hash'])
      .where('id', '=', 1)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const seq = Number(head.last_seq);
    if (seq === lastWrittenSeq) return seq;
    const count = await trx
      .selectFrom('audit_chain_links')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    await store.append(
      signCheckpoint(key, { seq, headHash: head.last_hash, rowCount: Number(count.n), at: now.toISOString() })
    );
    return seq;
  });
}

export type StoredChainVerification = ChainVerification & {
  /** Checkpoints checked (0 without an anchor store). */
  checkpoints: number;
  /** Why it failed, in words (the chain, an unlinked event or a checkpoint). */
  problem: string | null;
  /** Events appended but not linked yet when the log was read (recent ones are normal). */
  unlinked: number;
};

export interface VerifyOptions {
  /** The time unlinked events are judged against (default: the clock). */
  now?: Date;
  /** An event unlinked longer than this is a problem (default STALE_AFTER_MS). */
  staleAfterMs?: number;
  /** Link what is queued before verifying (default true); false checks what the chainer did. */
  chainFirst?: boolean;
}

/**
 * Links what is queued, then verifies the chain link by link, the events not linked, and every
 * checkpoint in the anchor store against the links: the chain alone cannot see links cut off its
 * end, nor a chain recomputed by someone with the key. Reads in one snapshot, so an event that
 * commits meanwhile is neither half-seen nor blamed.
 */
export async function verifyStoredAuditChain(
  db: Kysely<Database>,
  key: Buffer,
  anchors?: AuditAnchorStore | null,
  options: VerifyOptions = {}
): Promise<StoredChainVerification> {
  const now = options.now ?? new Date();
  if (options.chainFirst !== false) {
    await chainPendingAuditEvents(db, key, now, { wait: true }).catch((error: unknown) => {
      // Another chainer held the head past the lock timeout: verify what is there; events it
      // leaves unlinked for long are reported below.
      if ((error as { code?: string }).code !== '55P03') throw error;
    });
  }
  const read = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => ({
      links: await trx
        .selectFrom('audit_chain_links as l')
        .leftJoin('audit_events as e', 'e.seq', 'l.event_seq')
        .select([
          'l.position',
          'l.event_seq',
          'l.prev_hash',
          'l.hash',
          'e.seq',
          'e.occurred_at',
          'e.actor_user_id',
          'e.actor_role',
          'e.actor_name',
          'e.actor_practice_id',
          'e.patient_id',
          'e.action',
          'e.data_category',
          'e.access_basis',
          'e.outcome',
          'e.request_id',
          'e.event_mac',
        ])
        .orderBy('l.position')
        .execute(),
      unlinked: await trx
        .selectFrom('audit_events as e')
        .leftJoin('audit_chain_links as l', 'l.event_seq', 'e.seq')
        .leftJoin('audit_pending as p', 'p.seq', 'e.seq')
        .where('l.event_seq', 'is', null)
        .selectAll('e')
        .select('p.seq as queued')
        .orderBy('e.seq')
        .execute(),
      queuedWithoutEvent: await trx
        .selectFrom('audit_pending as p')
        .leftJoin('audit_events as e', 'e.seq', 'p.seq')
        .where('e.seq', 'is', null)
        .select('p.seq')
        .orderBy('p.seq')
        .execute(),
    }));

  const links: ChainLink[] = read.links.map((row) => ({
    position: Number(row.position),
    eventSeq: Number(row.event_seq),
    prevHash: row.prev_hash,
    hash: row.hash,
    event: row.seq === null ? null : signedEvent(row as EventRow),
  }));
  const eventCount = links.filter((l) => l.event).length + read.unlinked.length;
  const chain = verifyAuditChain(key, links);
  if (!chain.ok) {
    return {
      ...chain,
      checkpoints: 0,
      unlinked: read.unlinked.length,
      problem: `chain broken at seq ${chain.brokenAtSeq}: ${chain.reason}`,
    };
  }
  const brokenAt = (seq: number, reason: string): StoredChainVerification => ({
    ok: false,
    eventCount,
    brokenAtSeq: seq,
    brokenAtPosition: 0,
    reason,
    checkpoints: 0,
    unlinked: read.unlinked.length,
    problem: `chain broken at seq ${seq}: ${reason}`,
  });
  const macKey = eventMacKey(key);
  const staleAfterMs = options.staleAfterMs ?? STALE_AFTER_MS;
  for (const row of read.unlinked) {
    const event = signedEvent(row);
    if (!eventMacValid(macKey, event)) return brokenAt(event.seq, `not linked yet, and ${UNSIGNED}`);
    if (row.queued === null) {
      return brokenAt(
        event.seq,
        'not linked and not queued for linking: inserted behind the chainer, or its queue entry removed'
      );
    }
    const waited = now.getTime() - event.occurredAt.getTime();
    if (waited > staleAfterMs) {
      return brokenAt(
        event.seq,
        `not linked into the chain ${Math.floor(waited / 60_000)} minutes after it was appended (is the chainer running?)`
      );
    }
  }
  const gone = read.queuedWithoutEvent[0];
  if (gone)
    return brokenAt(
      Number(gone.seq),
      'queued for linking, but the event is gone (deleted before it was linked)'
    );

  const ok = { ...chain, eventCount, unlinked: read.unlinked.length };
  if (!anchors) return { ...ok, checkpoints: 0, problem: null };
  const { checkpoints, unreadable } = await anchors.readAll();
  const failed = (reason: string, count: number): StoredChainVerification => ({
    ok: false,
    eventCount,
    brokenAtSeq: 0,
    brokenAtPosition: 0,
    reason,
    checkpoints: count,
    unlinked: read.unlinked.length,
    problem: reason,
  });
  if (unreadable.length > 0) {
    return failed(
      `checkpoint store altered: line(s) ${unreadable.slice(0, 10).join(', ')}${unreadable.length > 10 ? ', …' : ''} are not checkpoints`,
      checkpoints.length
    );
  }
  // Checkpoints name chain positions (before migration 0032 position and seq were the same).
  const result = verifyCheckpoints(
    key,
    checkpoints,
    new Map(links.map((l) => [l.position, l.hash])),
    links.length
  );
  if (!result.ok) return failed(result.reason, result.checkpoints);
  return { ...ok, checkpoints: result.checkpoints, problem: null };
}

/** The few logger methods the chainer uses (pino and Fastify's logger have them). */
export interface ChainerLog {
  error(details: object, message: string): void;
}

export interface AuditChainerOptions {
  db: Kysely<Database>;
  key: Buffer;
  anchors: AuditAnchorStore | null;
  now: () => Date;
  log: ChainerLog;
  /** Pause between runs when nothing is left queued (default 1 s). */
  intervalMs?: number;
  /** Least time between checkpoints while the chain grows (default 60 s; also at start and stop). */
  checkpointEveryMs?: number;
  batchSize?: number;
}

export interface AuditChainer {
  /** Links what is queued (and checkpoints when due) now, after any run in progress. */
  runNow(): Promise<ChainRun>;
  /** Stops the timer, links everything queued (waiting for another chainer if need be) and writes a final checkpoint. */
  stop(): Promise<void>;
}

/**
 * Runs the chainer in this server: at once, then every `intervalMs` (sooner while a backlog
 * remains). Runs never overlap in this process; across servers the head lock lets one through.
 * Errors are logged and the next run tries again.
 */
export function startAuditChainer(options: AuditChainerOptions): AuditChainer {
  const intervalMs = options.intervalMs ?? 1000;
  const checkpointEveryMs = options.checkpointEveryMs ?? 60_000;
  const batchSize = options.batchSize ?? CHAIN_BATCH_SIZE;
  let lastCheckpointSeq = -1;
  let lastCheckpointAt = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let queue: Promise<unknown> = Promise.resolve();

  /** 'tick': one batch, skip if busy; 'now': everything queued; 'final': that, waiting if busy. */
  type Mode = 'tick' | 'now' | 'final';
  const runOnce = async (mode: Mode): Promise<ChainRun> => {
    const final = mode === 'final';
    const run = await chainPendingAuditEvents(options.db, options.key, options.now(), {
      batchSize,
      wait: final,
      // A tick links one batch, so one server does not hold the head through a long backlog; the
      // next tick follows at once while batches come back full.
      maxBatches: mode === 'tick' ? 1 : undefined,
    });
    if (run.unsigned.length > 0) {
      options.log.error(
        { events: run.unsigned.slice(0, 20), count: run.unsigned.length },
        'audit events without a valid MAC were linked: inserted or edited behind the application'
      );
    }
    const checkpointDue =
      final || lastCheckpointSeq === -1 || Date.now() - lastCheckpointAt >= checkpointEveryMs;
    if (options.anchors && checkpointDue) {
      lastCheckpointSeq = await writeAuditCheckpoint(
        options.db,
        options.key,
        options.anchors,
        options.now(),
        lastCheckpointSeq
      );
      lastCheckpointAt = Date.now();
    }
    return run;
  };

  const enqueue = (mode: Mode): Promise<ChainRun> => {
    const next = queue.then(() => runOnce(mode));
    queue = next.catch(() => undefined);
    return next;
  };

  const schedule = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      enqueue('tick').then(
        (run) => schedule(run.linked >= batchSize ? 0 : intervalMs),
        (error: unknown) => {
          options.log.error({ err: { message: (error as Error).message } }, 'audit chainer failed');
          schedule(intervalMs);
        }
      );
    }, delayMs);
    timer.unref();
  };
  schedule(0);

  return {
    runNow: () => enqueue('now'),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await enqueue('final');
    },
  };
}
