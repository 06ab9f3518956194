/**
 * Sends the survey outbox (issue 14, "Invitations"), in the pattern of the urgent-case dispatcher
 * (notify/dispatcher.ts) but on a table of its own, so a national mail-out never queues in front
 * of an urgent notification:
 *
 * - Each due row is claimed with a short lease, committed before the message goes out (no
 *   transaction is held over the network; two servers never send the same row at once; a row
 *   whose sender died is sent again after the lease). The outbox is a table, so the queue
 *   survives a restart.
 * - At most `send_rate_per_minute` messages per survey are attempted in any minute (counted from
 *   the rows claimed in the last 60 seconds, by any server); the rest wait for the next run.
 * - Nothing is sent for a survey that is not open (the rows wait), to a member who opted out or
 *   bounced, or a reminder to someone who has submitted (those rows are cancelled).
 * - A permanent refusal (SMTP 5xx) records the address as bounced: no more e-mail to it. A
 *   temporary failure is retried with backoff and given up after the last try.
 * - Without an e-mail channel nothing is claimed: the invitations stay queued, and the
 *   monitoring page shows them as not sent.
 *
 * `queueReminders` adds the reminders that are due (by default 7 and 14 days after the invitation
 * was sent) for invitations without a complete response. If the job was not run for a while, only
 * the latest reminder due is queued, never two at once.
 */
import type { FastifyInstance } from 'fastify';
import { BackgroundRun } from '../notify/background-run.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { NotificationChannel } from '../notify/channels.js';
import { markBounced } from './invitations.commands.js';
import { surveyEmail, surveyLinks } from './mail-text.js';
import { invitationToken } from './tokens.js';

/** Minutes to wait before attempt n+1 after n temporary failures; the last entry is the last try. */
export const SURVEY_RETRY_MINUTES = [1, 5, 15, 60, 240] as const;
const LEASE_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

export interface SurveyDispatchResult {
  sent: number;
  failed: number;
  bounced: number;
  cancelled: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Sends the survey e-mail outbox; kick() after a commit that queued some. */
    surveyMailer: SurveyMailer;
  }
}

/** A refusal the SMTP server says is permanent (5xx): the address does not take mail. */
export function isPermanentRefusal(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  if (typeof code === 'number') return code >= 500 && code < 600;
  const message = error instanceof Error ? error.message : String(error);
  return /^refused by the SMTP server: 5\d\d/.test(message);
}

export class SurveyMailer {
  private readonly background: BackgroundRun;
  private kickRoute: (() => void) | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly channel: NotificationChannel | null,
    private readonly publicUrl: string,
    private readonly serverKey: Buffer,
    private readonly now: () => Date,
    onError: (error: unknown) => void = () => {}
  ) {
    this.background = new BackgroundRun(() => this.tick(), onError);
  }

  /** Queues due reminders and sends what is due, in the background; a call during a run starts one more after it. */
  kick(): void {
    if (this.kickRoute) this.kickRoute();
    else this.background.kick();
  }

  /**
   * While the job queue runs (src/server/jobs), a kick queues a job that one instance runs, instead
   * of running here; null goes back to running in this process (tests without the queue).
   */
  routeKicks(route: (() => void) | null): void {
    this.kickRoute = route;
  }

  /** The in-process timer's tick: nothing while the job queue runs the survey outbox's ticks. */
  timerKick(): void {
    if (!this.kickRoute) this.background.kick();
  }

  /** Waits for the background run (tests, and a clean shutdown). */
  async drain(): Promise<void> {
    await this.background.drain();
  }

  /** One tick of the timer: queue due reminders, then send. */
  async tick(): Promise<void> {
    await this.queueReminders();
    await this.dispatchDue();
  }

  async queueReminders(): Promise<number> {
    const now = this.now();
    const surveys = await this.db
      .selectFrom('surveys')
      .select(['id', 'reminder_days'])
      .where('status', '=', 'open')
      .where('kind', '=', 'identified')
      .execute();
    let queued = 0;
    for (const survey of surveys) {
      const days = [...survey.reminder_days].sort((a, b) => a - b);
      if (days.length === 0) continue;
      const candidates = await this.db
        .selectFrom('survey_invitations as i')
        .innerJoin('survey_frame_members as m', 'm.id', 'i.frame_member_id')
        .select((eb) => [
          'i.id',
          'i.sent_at',
          'm.email',
          eb
            .selectFrom('survey_emails as e')
            .select((e) => e.fn.max('e.sequence').as('s'))
            .whereRef('e.invitation_id', '=', 'i.id')
            .as('last_sequence'),
        ])
        .where('i.survey_id', '=', survey.id)
        .where('i.sent_at', 'is not', null)
        .where('i.status', 'not in', ['complete', 'opted_out', 'bounced'])
        .where('m.opted_out_at', 'is', null)
        .where('m.bounced_at', 'is', null)
        .where('i.sent_at', '<=', new Date(now.getTime() - days[0]! * DAY_MS))
        .execute();
      const rows = candidates.flatMap((c) => {
        const sentAt = new Date(c.sent_at!).getTime();
        const due = days.filter((d) => sentAt + d * DAY_MS <= now.getTime()).length;
        const last = Number(c.last_sequence ?? 0);
        return due > last
          ? [
              {
                survey_id: survey.id,
                invitation_id: c.id,
                sequence: due,
                recipient: c.email,
                created_at: now,
                next_attempt_at: now,
              },
            ]
          : [];
      });
      for (let i = 0; i < rows.length; i += 500) {
        const inserted = await this.db
          .insertInto('survey_emails')
          .values(rows.slice(i, i + 500))
          .onConflict((oc) => oc.columns(['invitation_id', 'sequence']).doNothing())
          .returning('id')
          .execute();
        queued += inserted.length;
      }
    }
    return queued;
  }

  async dispatchDue(): Promise<SurveyDispatchResult> {
    const result: SurveyDispatchResult = { sent: 0, failed: 0, bounced: 0, cancelled: 0 };
    if (!this.channel) return result;
    for (;;) {
      const now = this.now();
      const surveys = await this.db
        .selectFrom('survey_emails as e')
        .innerJoin('surveys as s', 's.id', 'e.survey_id')
        .select(['s.id', 's.send_rate_per_minute'])
        .distinct()
        .where('s.status', '=', 'open')
        .where('e.sent_at', 'is', null)
        .where('e.gave_up_at', 'is', null)
        .where('e.cancelled_at', 'is', null)
        .where('e.next_attempt_at', '<=', now)
        .execute();
      let progressed = false;
      for (const survey of surveys) {
        // Every attempt in the last minute counts, delivered or not (a refusal is an SMTP
        // transaction too), and so do rows other servers are sending right now.
        const recent = await this.db
          .selectFrom('survey_emails')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('survey_id', '=', survey.id)
          .where('last_attempt_at', '>', new Date(now.getTime() - 60_000))
          .executeTakeFirstOrThrow();
        let budget = survey.send_rate_per_minute - Number(recent.n);
        while (budget > 0) {
          const outcome = await this.sendOne(survey.id);
          if (outcome === null) break;
          result[outcome] += 1;
          progressed = true;
          if (outcome !== 'cancelled') budget -= 1;
        }
      }
      if (!progressed) return result;
    }
  }

  /** Claims, sends and records one due row of the survey; null when none is due. */
  private async sendOne(surveyId: string): Promise<keyof SurveyDispatchResult | null> {
    const now = this.now();
    const claimed = await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('survey_emails')
        .selectAll()
        .where('survey_id', '=', surveyId)
        .where('sent_at', 'is', null)
        .where('gave_up_at', 'is', null)
        .where('cancelled_at', 'is', null)
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .orderBy('sequence')
        .limit(1)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!row) return null;
      const invitation = await trx
        .selectFrom('survey_invitations as i')
        .innerJoin('survey_frame_members as m', 'm.id', 'i.frame_member_id')
        .select(['i.status', 'm.opted_out_at', 'm.bounced_at'])
        .where('i.id', '=', row.invitation_id)
        .executeTakeFirstOrThrow();
      // Reasons not to send, decided at the moment of sending.
      const stale =
        invitation.opted_out_at !== null ||
        invitation.bounced_at !== null ||
        invitation.status === 'complete' ||
        invitation.status === 'opted_out' ||
        invitation.status === 'bounced';
      if (stale) {
        await trx.updateTable('survey_emails').set({ cancelled_at: now }).where('id', '=', row.id).execute();
        return { row, stale: true as const };
      }
      await trx
        .updateTable('survey_emails')
        .set({
          next_attempt_at: new Date(now.getTime() + LEASE_MS),
          attempts: row.attempts + 1,
          last_attempt_at: now,
        })
        .where('id', '=', row.id)
        .execute();
      return { row, stale: false as const };
    });
    if (!claimed) return null;
    if (claimed.stale) return 'cancelled';
    const { row } = claimed;
    const token = invitationToken(this.serverKey, row.invitation_id);
    const message = surveyEmail(
      row.sequence === 0 ? 'invitation' : 'reminder',
      surveyLinks(this.publicUrl, token)
    );
    let error: unknown = null;
    try {
      await this.channel!.send({ to: row.recipient, ...message });
    } catch (caught) {
      error = caught ?? new Error('unknown failure');
    }
    const at = this.now();
    const attempts = row.attempts + 1;
    if (error === null) {
      await this.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('survey_emails')
          .set({ sent_at: at, last_error: null })
          .where('id', '=', row.id)
          .execute();
        if (row.sequence === 0) {
          await trx
            .updateTable('survey_invitations')
            .set({ sent_at: at })
            .where('id', '=', row.invitation_id)
            .where('sent_at', 'is', null)
            .execute();
          await trx
            .updateTable('survey_invitations')
            .set({ status: 'sent' })
            .where('id', '=', row.invitation_id)
            .where('status', '=', 'queued')
            .execute();
        } else {
          await trx
            .updateTable('survey_invitations')
            .set((eb) => ({ reminded_at: at, reminders_sent: eb('reminders_sent', '+', 1) }))
            .where('id', '=', row.invitation_id)
            .execute();
        }
      });
      return 'sent';
    }
    const detail = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
    if (isPermanentRefusal(error)) {
      await this.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('survey_emails')
          .set({ gave_up_at: at, last_error: detail })
          .where('id', '=', row.id)
          .execute();
        const member = await trx
          .selectFrom('survey_invitations')
          .select('frame_member_id')
          .where('id', '=', row.invitation_id)
          .executeTakeFirstOrThrow();
        await markBounced(trx, [member.frame_member_id], at);
      });
      return 'bounced';
    }
    const giveUp = attempts >= SURVEY_RETRY_MINUTES.length;
    await this.db
      .updateTable('survey_emails')
      .set({
        last_error: detail,
        gave_up_at: giveUp ? at : null,
        next_attempt_at: new Date(at.getTime() + SURVEY_RETRY_MINUTES[attempts - 1]! * 60_000),
      })
      .where('id', '=', row.id)
      .execute();
    return 'failed';
  }
}

/**
 * Runs the mailer on a timer while the server listens (`npm start`), never in `app.inject` tests:
 * they call `tick()` themselves with the test clock.
 */
export function scheduleSurveyMailer(app: FastifyInstance, intervalMs = 30_000): void {
  let timer: NodeJS.Timeout | null = null;
  app.addHook('onListen', async () => {
    timer = setInterval(() => app.surveyMailer.timerKick(), intervalMs);
    timer.unref();
    app.surveyMailer.timerKick();
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
    await app.surveyMailer.drain();
  });
}
