/**
 * The audit log without one row every request queues on (issue 18). Before, each audited
 * transaction locked audit_chain_head, hashed its events onto the chain and moved the head, so
 * all requests across all servers ran one at a time through that row.
 *
 * Now:
 * - audit_events gets its ids from a sequence (no lock) and each event carries its own MAC,
 *   made by the application when appending (domain/audit/hash-chain.ts). The table stays
 *   INSERT-only for gpdep_app and refuses UPDATE/DELETE/TRUNCATE by trigger, as before.
 * - A trigger queues every inserted event in audit_pending, whoever inserts it, so the chainer
 *   finds new events without scanning the whole log, and an event committed late (a lower id
 *   after higher ones) is found whenever it commits.
 * - The chainer (server/audit/audit-chain.ts), one at a time under the audit_chain_head row lock,
 *   links queued events into the chain: audit_chain_links, one row per event with its chain
 *   position, the previous hash and its hash. Links are written once and never changed (INSERT-
 *   only for gpdep_app, same trigger), so the chain is a separate insert-only table rather than
 *   columns filled in later on audit_events, which would need UPDATE rights on the log.
 * - The position's primary key and the event's unique key make a fork or a double link
 *   impossible in the database itself, whatever the application does.
 *
 * Existing events were chained one by one with position = seq; they move to audit_chain_links
 * with their hashes unchanged, so the old chain and the checkpoints already written still verify.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create sequence audit_event_seq as bigint;
    select setval('audit_event_seq', coalesce((select max(seq) from audit_events), 0) + 1, false);
    alter sequence audit_event_seq owned by audit_events.seq;
    alter table audit_events alter column seq set default nextval('audit_event_seq');
    alter table audit_events add column event_mac text;

    create table audit_chain_links (
      position bigint primary key check (position > 0),
      event_seq bigint not null unique references audit_events (seq),
      prev_hash text not null,
      hash text not null,
      linked_at timestamptz not null
    );
    insert into audit_chain_links (position, event_seq, prev_hash, hash, linked_at)
      select seq, seq, prev_hash, hash, occurred_at from audit_events;
    alter table audit_events drop column prev_hash, drop column hash;

    create function audit_chain_append_only() returns trigger language plpgsql as $$
    begin
      raise exception '% is append-only', tg_table_name using errcode = 'insufficient_privilege';
    end;
    $$;
    create trigger audit_chain_links_no_update_delete before update or delete on audit_chain_links
      for each row execute function audit_chain_append_only();
    create trigger audit_chain_links_no_truncate before truncate on audit_chain_links
      for each statement execute function audit_chain_append_only();

    create table audit_pending (seq bigint primary key);
    create function audit_events_queue_for_chaining() returns trigger language plpgsql as $$
    begin
      insert into audit_pending (seq) select seq from appended;
      return null;
    end;
    $$;
    create trigger audit_events_queue_for_chaining after insert on audit_events
      referencing new table as appended
      for each statement execute function audit_events_queue_for_chaining();

    revoke all on audit_chain_links, audit_pending from public;
    grant select, insert on audit_chain_links to gpdep_app;
    grant select, insert, delete on audit_pending to gpdep_app;
    grant usage on sequence audit_event_seq to gpdep_app;
  `.execute(db);
}

/**
 * Back to hashes on audit_events. Only links of the old kind verify with the old code: events
 * linked by the chainer keep their link hashes here but the old verifier will report them.
 */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger audit_events_queue_for_chaining on audit_events;
    drop function audit_events_queue_for_chaining();
    drop table audit_pending;
    alter table audit_events disable trigger audit_events_no_update_delete;
    alter table audit_events add column prev_hash text, add column hash text;
    update audit_events e set prev_hash = l.prev_hash, hash = l.hash
      from audit_chain_links l where l.event_seq = e.seq;
    alter table audit_events enable trigger audit_events_no_update_delete;
    drop table audit_chain_links;
    drop function audit_chain_append_only();
    alter table audit_events drop column event_mac;
    alter table audit_events alter column seq drop default;
    drop sequence audit_event_seq;
  `.execute(db);
}
