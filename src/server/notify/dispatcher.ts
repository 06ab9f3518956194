/**
 * Sends the notification outbox: each due row is claimed with a short lease (committed before the
 * message goes out, so no transaction is held open over the network and two servers never send
 * the same row at once), sent through its channel, and the outcome recorded as an attempt. A
 * failure is retried with backoff; after the last try the row is marked as given up, and the
 * practice page shows it. A crash between sending and recording means one more send after the
 * lease (at least once: a duplicate e-mail is better than a missing one).
 */
import { BackgroundRun } from './background-run.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { newMessageNotice } from '../../domain/messaging/messaging.js';
import { urgentNotice, type UrgentRecipientKind } from '../../domain/safety/urgent-notice.js';
import type { NotificationChannel } from './channels.js';

/** Minutes to wait before attempt n+1 after n failures; the last entry is the last try. */
export const RETRY_MINUTES = [1, 2, 4, 8, 15, 30, 30, 30] as const;
const LEASE_MS = 5 * 60_000;

export interface DispatchResult {
  sent: number;
  failed: number;
}

export class NotificationDispatcher {
  private readonly background: BackgroundRun;
  private kickRoute: (() => void) | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly channels: readonly NotificationChannel[],
    private readonly loginUrl: string,
    private readonly now: () => Date,
    onError: (error: unknown) => void = () => {}
  ) {
    this.background = new BackgroundRun(() => this.dispatchDue(), onError);
  }

  /** Sends what is due now, in the background; calls while a run is going start one more after it. */
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

  /** Waits for the background run (tests, and a clean shutdown). */
  async drain(): Promise<void> {
    await this.background.drain();
  }

  async dispatchDue(): Promise<DispatchResult> {
    const result: DispatchResult = { sent: 0, failed: 0 };
    for (;;) {
      const now = this.now();
      const claimed = await this.db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('notifications')
          .selectAll()
          .where('sent_at', 'is', null)
          .where('gave_up_at', 'is', null)
          .where('next_attempt_at', '<=', now)
          .orderBy('next_attempt_at')
          .limit(1)
          .forUpdate()
          .skipLocked()
          .executeTakeFirst();
        if (!row) return null;
        await trx
          .updateTable('notifications')
          .set({ next_attempt_at: new Date(now.getTime() + LEASE_MS), attempts: row.attempts + 1 })
          .where('id', '=', row.id)
          .execute();
        return row;
      });
      if (!claimed) return result;
      const channel = this.channels.find((c) => c.kind === claimed.channel);
      let error: string | null = null;
      if (!channel) {
        error = `no ${claimed.channel} channel is configured`;
      } else {
        try {
          // Words with no health content: a message notice says only that there is one.
          const words =
            claimed.purpose === 'message_new'
              ? newMessageNotice(this.loginUrl)
              : urgentNotice(claimed.purpose, claimed.recipient_kind as UrgentRecipientKind, this.loginUrl);
          await channel.send({ to: claimed.recipient, ...words });
        } catch (caught) {
          error = (caught instanceof Error ? caught.message : String(caught)).slice(0, 1000);
        }
      }
      const at = this.now();
      const attempts = claimed.attempts + 1;
      // Without a channel, retrying cannot help until the server is configured: give up at once.
      const giveUp = error !== null && (!channel || attempts >= RETRY_MINUTES.length);
      await this.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('notification_attempts')
          .values({
            notification_id: claimed.id,
            attempted_at: at,
            outcome: error ? 'failed' : 'sent',
            detail: error,
          })
          .execute();
        await trx
          .updateTable('notifications')
          .set(
            error
              ? {
                  last_error: error,
                  gave_up_at: giveUp ? at : null,
                  next_attempt_at: new Date(at.getTime() + RETRY_MINUTES[attempts - 1]! * 60_000),
                }
              : { sent_at: at, last_error: null }
          )
          .where('id', '=', claimed.id)
          .execute();
      });
      if (error) result.failed += 1;
      else result.sent += 1;
    }
  }
}
