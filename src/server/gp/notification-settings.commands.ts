/**
 * Changing where urgent-case notifications go, and sending a test message (issue 12 §1). Every
 * change is in the audit log with who made it and which setting changed; the addresses themselves
 * are not copied into the log (they are contact details, and the log is kept forever). The test
 * message is queued in the same outbox as an urgent notice (`notifications`, purpose 'test') and
 * carries no health content; the caller wakes the dispatcher after the commit.
 */
import type {
  OwnNotificationSettingsBody,
  PracticeNotificationSettingsBody,
  TestEmailBody,
} from '../../contract/gp.js';
import { responseStandardProblems, type ResponseStandard } from '../../domain/safety/response-standard.js';
import type { DataContext } from '../access/data-context.js';
import { badRequest, HttpProblem } from '../problem.js';

/** Test messages one GP may ask for within TEST_WINDOW_MS (they go to addresses typed in by hand). */
export const TEST_MAX = 5;
const TEST_WINDOW_MS = 10 * 60_000;

/** What changed in one address, in words for the audit log (never the address itself). */
function addressChange(label: string, before: string | null, after: string | null): string | null {
  if ((before ?? '') === (after ?? '')) return null;
  if (!after) return `${label} cleared`;
  return before ? `${label} changed` : `${label} set`;
}

function standardText(s: ResponseStandard): string {
  return `${s.sameDayCutoff}/${s.sameDayBy}/${s.nextDayBy}`;
}

/** Sets (or, with '', clears) the actor's own e-mail and phone for urgent-case notices. */
export async function updateOwnSettings(ctx: DataContext, body: OwnNotificationSettingsBody): Promise<void> {
  const userId = ctx.actor.userId;
  const email = body.email || null;
  const phone = body.phone || null;
  await ctx.withAudit(async (trx, audit) => {
    const before = await trx
      .selectFrom('users')
      .select(['notify_email', 'notify_phone'])
      .where('id', '=', userId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('users')
      .set({ notify_email: email, notify_phone: phone })
      .where('id', '=', userId)
      .execute();
    const changes = [
      addressChange('e-mail', before.notify_email, email),
      addressChange('phone', before.notify_phone, phone),
    ].filter(Boolean);
    audit({
      action: 'update',
      dataCategory: `urgent-case notification settings (own): ${changes.join(', ') || 'no change'}`,
      patientIds: [null],
    });
  });
}

/**
 * Sets the practice's shared address and response standard (the route has checked it is the
 * actor's own practice). A standard the domain refuses is a 400 naming its field.
 */
export async function updatePracticeSettings(
  ctx: DataContext,
  practiceId: string,
  body: PracticeNotificationSettingsBody
): Promise<void> {
  const standard = body.responseStandard;
  const problems = responseStandardProblems(standard).map((p) => ({
    field: `responseStandard.${p.field}`,
    reason: p.reason,
  }));
  if (problems.length > 0) throw badRequest(problems);
  const urgentEmail = body.urgentEmail || null;
  const next: ResponseStandard = {
    sameDayCutoff: standard.sameDayCutoff,
    sameDayBy: standard.sameDayBy,
    nextDayBy: standard.nextDayBy,
  };
  await ctx.withAudit(async (trx, audit) => {
    const before = await trx
      .selectFrom('practices')
      .select(['urgent_email', 'response_standard'])
      .where('id', '=', practiceId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('practices')
      .set({ urgent_email: urgentEmail, response_standard: JSON.stringify(next) })
      .where('id', '=', practiceId)
      .execute();
    // The standard is the practice's rule, not a personal detail: its new value is logged.
    const changes = [
      addressChange('shared e-mail', before.urgent_email, urgentEmail),
      standardText(before.response_standard) === standardText(next)
        ? null
        : `response standard now ${standardText(next)} (cutoff/same day by/next day by)`,
    ].filter(Boolean);
    audit({
      action: 'update',
      dataCategory: `urgent-case notification settings (practice): ${changes.join(', ') || 'no change'}`,
      patientIds: [null],
    });
  });
}

/**
 * Queues a test message to the address typed in, at most TEST_MAX per GP in ten minutes (429
 * after). Counted in the outbox, so the limit holds across servers and restarts. Returns the
 * outbox row's id; the caller wakes the dispatcher once this has committed.
 */
export async function queueTestEmail(ctx: DataContext, body: TestEmailBody): Promise<string> {
  const { actor, now } = ctx;
  const recent = await ctx.db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('purpose', '=', 'test')
    .where('recipient_user_id', '=', actor.userId)
    .where('created_at', '>', new Date(now.getTime() - TEST_WINDOW_MS))
    .executeTakeFirstOrThrow();
  if (Number(recent.n) >= TEST_MAX) {
    throw new HttpProblem(
      429,
      'Too Many Requests',
      `At most ${TEST_MAX} test messages in ${TEST_WINDOW_MS / 60_000} minutes; try again later.`
    );
  }
  return ctx.withAudit(async (trx, audit) => {
    const row = await trx
      .insertInto('notifications')
      .values({
        case_id: null,
        purpose: 'test',
        channel: 'email',
        recipient: body.email,
        recipient_user_id: actor.userId,
        recipient_kind: body.target === 'practice' ? 'practice_address' : 'gp',
        created_at: now,
        next_attempt_at: now,
        sent_at: null,
        gave_up_at: null,
        last_error: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    audit({
      action: 'create',
      dataCategory: `urgent-case notification test message (${body.target === 'practice' ? 'practice' : 'own'} address)`,
      patientIds: [null],
    });
    return row.id;
  });
}
