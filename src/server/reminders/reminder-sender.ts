/**
 * Delivery of reminders outside the app, through one pluggable sender. The default writes a log
 * line (who and which channel, never the content of the program); e-mail goes to the patient's
 * notify address through the configured SMTP channel. Every attempt is recorded in
 * reminder_deliveries.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { NotificationChannel } from '../notify/channels.js';

export interface OutboundMessage {
  toUserId: string;
  /** The patient's notify e-mail address, when they gave one. */
  toAddress?: string | null;
  subject: string;
  body: string;
}

export interface ReminderSender {
  readonly channel: string;
  send(message: OutboundMessage): Promise<void>;
}

export class LogReminderSender implements ReminderSender {
  readonly channel = 'log';
  constructor(private readonly log: Pick<FastifyBaseLogger, 'info'>) {}
  async send(message: OutboundMessage): Promise<void> {
    this.log.info({ channel: this.channel, toUserId: message.toUserId }, 'reminder delivered');
  }
}

/** E-mail to the patient's notify address; the words are OUTBOUND_REMINDER (no health content). */
export class EmailReminderSender implements ReminderSender {
  readonly channel = 'email';
  constructor(private readonly email: NotificationChannel) {}
  async send(message: OutboundMessage): Promise<void> {
    if (!message.toAddress) throw new Error('no notify e-mail address');
    await this.email.send({ to: message.toAddress, subject: message.subject, text: message.body });
  }
}

/** E-mail when the patient gave an address and e-mail is configured, else the log sender. */
export function reminderSenderFor(
  channels: readonly NotificationChannel[],
  log: Pick<FastifyBaseLogger, 'info'>
): (notifyEmail: string | null) => ReminderSender {
  const channel = channels.find((c) => c.kind === 'email');
  const email = channel ? new EmailReminderSender(channel) : null;
  const fallback = new LogReminderSender(log);
  return (notifyEmail) => (email && notifyEmail ? email : fallback);
}
