/**
 * Where urgent-case notifications go, as the settings screen shows it (issue 12 §1): the GP's own
 * addresses with their latest test messages, and the practice's shared address, response standard
 * and the GPs an urgent case would reach nowhere. Contact details, no patient data: not audited.
 */
import type { OwnNotificationSettings, PracticeNotificationSettings } from '../../contract/gp.js';
import type { DataContext } from '../access/data-context.js';

/** The actor's own settings. */
export async function ownSettings(ctx: Pick<DataContext, 'db' | 'actor'>): Promise<OwnNotificationSettings> {
  const userId = ctx.actor.userId;
  const user = await ctx.db
    .selectFrom('users')
    .select(['notify_email', 'notify_phone', 'practice_id'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  const tests = await ctx.db
    .selectFrom('notifications')
    .select(['id', 'recipient', 'recipient_kind', 'sent_at', 'gave_up_at', 'created_at', 'last_error'])
    .where('purpose', '=', 'test')
    .where('recipient_user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .limit(3)
    .execute();
  return {
    email: user.notify_email ?? '',
    phone: user.notify_phone ?? '',
    practiceId: user.practice_id,
    recentTests: tests.map((n) => ({
      id: n.id,
      to: n.recipient,
      target: n.recipient_kind === 'practice_address' ? ('practice' as const) : ('own' as const),
      state: n.sent_at ? ('sent' as const) : n.gave_up_at ? ('failed' as const) : ('sending' as const),
      at: new Date(n.sent_at ?? n.gave_up_at ?? n.created_at).toISOString(),
      error: n.last_error,
    })),
  };
}

/** A practice's settings (the route has checked it is the actor's own practice). */
export async function practiceSettings(
  ctx: Pick<DataContext, 'db'>,
  practiceId: string
): Promise<PracticeNotificationSettings> {
  const practice = await ctx.db
    .selectFrom('practices')
    .select(['id', 'name', 'urgent_email', 'response_standard'])
    .where('id', '=', practiceId)
    .executeTakeFirstOrThrow();
  const unreachable = await ctx.db
    .selectFrom('users')
    .select('display_name')
    .where('practice_id', '=', practiceId)
    .where('role', '=', 'gp')
    .where('disabled_at', 'is', null)
    .where('notify_email', 'is', null)
    .where('notify_phone', 'is', null)
    .orderBy('display_name')
    .execute();
  const s = practice.response_standard;
  return {
    practiceId: practice.id,
    practiceName: practice.name,
    urgentEmail: practice.urgent_email ?? '',
    responseStandard: { sameDayCutoff: s.sameDayCutoff, sameDayBy: s.sameDayBy, nextDayBy: s.nextDayBy },
    gpsWithoutAddress: unreachable.map((u) => u.display_name),
  };
}
