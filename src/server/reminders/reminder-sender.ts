/**
 * Delivery of reminders outside the app, through one pluggable sender. The default writes a log
 * line (who and which channel, never the content of the program); an e-mail or SMS gateway plugs
 * in by implementing ReminderSender. Every attempt is recorded in reminder_deliveries.
 */
import type { FastifyBaseLogger } from 'fastify';

export interface OutboundMessage {
  toUserId: string;
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
