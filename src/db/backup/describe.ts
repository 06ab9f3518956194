/**
 * What a backup's manifest says about the database: its migrations and the audit chain's head.
 * Read through a plain query function, so the same code runs inside the snapshot transaction
 * pg_dump shares (PostgreSQL) and on the embedded database opened under its lock.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import { GENESIS_HASH } from '../../domain/audit/hash-chain.js';
import type { Database } from '../schema.js';
import type { AuditHead } from './manifest.js';

export type RunQuery = (text: string) => Promise<Record<string, unknown>[]>;

/** The few fixed, parameterless statements below, run through Kysely. */
export const kyselyQuery =
  (db: Kysely<Database>): RunQuery =>
  async (text) =>
    (await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(text))).rows;

export async function readMigrations(query: RunQuery): Promise<string[]> {
  const tables = await query(`select to_regclass('public.kysely_migration') is not null as present`);
  if (tables[0]?.present !== true)
    throw new Error('This database has no GP-DEP schema (no kysely_migration table): nothing to back up.');
  const rows = await query('select name from kysely_migration order by name');
  return rows.map((row) => String(row.name));
}

/**
 * The chain's last link (position and hash), the number of links, and the events appended but not
 * yet linked; the genesis head for an empty log. Read from the links and the chainer's queue
 * themselves, not from any head bookkeeping, so it is what the dump holds. The unlinked events
 * (the chainer links them about once a second) are in the dump too and are linked after a restore,
 * so the restored log ends at seq + unlinked.
 */
export async function readAuditHead(query: RunQuery): Promise<AuditHead> {
  const last = await query('select position, hash from audit_chain_links order by position desc limit 1');
  const count = await query('select count(*) as n from audit_chain_links');
  const pending = await query('select count(*) as n from audit_pending');
  const rowCount = Number(count[0]?.n ?? 0);
  const unlinked = Number(pending[0]?.n ?? 0);
  if (!last[0]) return { seq: 0, hash: GENESIS_HASH, rowCount, unlinked };
  return { seq: Number(last[0].position), hash: String(last[0].hash), rowCount, unlinked };
}

/** The head the restored log reaches once the chainer has linked what the dump held unlinked. */
export function restoredLogEnd(head: AuditHead): number {
  return head.seq + head.unlinked;
}

export function sameHead(a: AuditHead, b: AuditHead): boolean {
  return a.seq === b.seq && a.hash === b.hash && a.rowCount === b.rowCount && a.unlinked === b.unlinked;
}

export function describeHead(head: AuditHead): string {
  return (
    `seq ${head.seq}, hash ${head.hash.slice(0, 16)}${head.hash.length > 16 ? '…' : ''}, ${head.rowCount} rows` +
    (head.unlinked > 0 ? `, ${head.unlinked} not yet linked` : '')
  );
}
