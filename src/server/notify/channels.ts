/**
 * Outbound channels for notifications: e-mail over SMTP (nodemailer), and SMS through an HTTP
 * gateway, behind one interface. A message here never carries health information: it says that
 * there is something to look at, and where to log in.
 */
import nodemailer, { type Transporter } from 'nodemailer';

export interface OutboundNotice {
  to: string;
  subject: string;
  text: string;
}

export interface NotificationChannel {
  readonly kind: 'email' | 'sms';
  /** Resolves when the provider has accepted the message; rejects with a reason otherwise. */
  send(notice: OutboundNotice): Promise<{ providerId: string | null }>;
  close?(): Promise<void>;
}

/** E-mail through an SMTP server, e.g. `smtp://user:pass@mail.example.no:587` (STARTTLS). */
export class SmtpEmailChannel implements NotificationChannel {
  readonly kind = 'email' as const;
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string
  ) {
    // Pooled: one SMTP connection carries many messages (a survey mail-out sends thousands;
    // connecting and greeting per message capped it at about 9 a second). The pool reconnects
    // when the server closes an idle connection, and close() ends it.
    this.transport = nodemailer.createTransport({ url: smtpUrl, pool: true, maxConnections: 2 });
  }

  async send(notice: OutboundNotice): Promise<{ providerId: string | null }> {
    const info = await this.transport.sendMail({
      from: this.from,
      to: notice.to,
      subject: notice.subject,
      text: notice.text,
    });
    // An SMTP server may accept some recipients and refuse others: a refusal is a failure here.
    if ((info.rejected ?? []).length > 0) throw new Error(`refused by the SMTP server: ${info.response}`);
    return { providerId: info.messageId ?? null };
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}

/**
 * SMS through an HTTP gateway that takes `{ to, message }` as JSON with a bearer token and answers
 * 2xx when it has accepted the message (the shape of the common Norwegian SMS gateways' REST APIs;
 * a provider with another shape gets an adapter of its own behind the same interface).
 */
export class HttpSmsChannel implements NotificationChannel {
  readonly kind = 'sms' as const;

  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly timeoutMs = 10_000
  ) {}

  async send(notice: OutboundNotice): Promise<{ providerId: string | null }> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
      body: JSON.stringify({ to: notice.to, message: `${notice.subject}. ${notice.text}` }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!response.ok) throw new Error(`SMS gateway answered ${response.status}`);
    const body = (await response.json().catch(() => null)) as { id?: unknown } | null;
    return { providerId: typeof body?.id === 'string' ? body.id : null };
  }
}

/** The channels configured in the environment (none when nothing is configured). */
export function channelsFromEnv(env: NodeJS.ProcessEnv = process.env): NotificationChannel[] {
  const channels: NotificationChannel[] = [];
  if (env.SMTP_URL) {
    channels.push(new SmtpEmailChannel(env.SMTP_URL, env.NOTIFY_FROM ?? 'GP-DEP <no-reply@gpdep.invalid>'));
  }
  if (env.SMS_GATEWAY_URL) {
    if (!env.SMS_GATEWAY_TOKEN) throw new Error('SMS_GATEWAY_URL is set: give SMS_GATEWAY_TOKEN too');
    channels.push(new HttpSmsChannel(env.SMS_GATEWAY_URL, env.SMS_GATEWAY_TOKEN));
  }
  return channels;
}
