/**
 * A data context for a server command run by a demo seed inside the seed's own transaction: the
 * command's audit lines are the named user's, appended with the seed's, and a study's commands
 * see the study as that user's (studyAccess), as the access layer would have set it.
 */
import type { Transaction } from 'kysely';
import type { Actor } from '../../domain/access/policy.js';
import type { Database } from '../../db/schema.js';
import type { DataContext } from '../access/data-context.js';
import type { StudyAccessGrant } from '../access/access.plugin.js';
import { eventsFor, type AuditWhat, type NewAuditEvent } from '../audit/audit-log.js';

export function seedContext(
  trx: Transaction<Database>,
  record: (events: readonly NewAuditEvent[]) => void,
  actor: Actor,
  now: Date,
  studyAccess?: StudyAccessGrant
): DataContext {
  const toEvents = (what: AuditWhat): NewAuditEvent[] => eventsFor(actor, what, 'system', null);
  return {
    actor,
    now,
    patientAccess: null,
    ...(studyAccess ? { studyAccess } : {}),
    db: trx,
    requestId: 'demo-seed',
    withAudit: (work) => work(trx, (what) => record(toEvents(what))),
    recordRead: async (what) => record(toEvents(what)),
  };
}
