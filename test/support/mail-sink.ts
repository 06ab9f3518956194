/**
 * A real SMTP server on loopback (smtp-server) for tests: the app sends through nodemailer exactly
 * as to a practice's mail server, and the test reads what arrived. One place for the API tests and
 * the browser suite (which writes each message to a file through `onMail`).
 */
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
}

export interface MailSink {
  port: number;
  /** Every message received, oldest first (empty it with `mails.length = 0`). */
  mails: ReceivedMail[];
  close(): Promise<void>;
}

export async function startMailSink(
  options: { refuse?: string; onMail?: (mail: ReceivedMail) => void } = {}
): Promise<MailSink> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      // A mailbox the server refuses, to test how a failed delivery is recorded and retried.
      if (address.address === options.refuse) return callback(new Error('550 mailbox unavailable'));
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const mail = {
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
          };
          mails.push(mail);
          options.onMail?.(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
