/**
 * The server's log: one JSON line per event in production, readable colours on a terminal, a
 * request id on every request's line, and never health data (docs/observability.md).
 *
 * What keeps health data out is structural, not a promise of each call site:
 * - request lines are built here from method, path (never the query string, which carries search
 *   text and login codes), route pattern, status and time; bodies, headers and cookies are never
 *   serialised, nor the client's address (on a patient's route it would tie a person to the program);
 * - errors keep their class, code and stack frames, but every quoted span in their message is
 *   blanked: that is where PostgreSQL, JSON parsing and Node quote the offending input
 *   (`invalid input syntax for type uuid: "…"`); so are e-mail addresses and long numbers (an
 *   SMTP server or SMS gateway refusing a recipient); PostgreSQL's `detail` (the failing row) and
 *   the query's parameters are dropped;
 * - warning and error messages given as plain strings are blanked the same way (Fastify quotes
 *   URLs in a few of its own warnings).
 */
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';

export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * An id a balancer gives (HAProxy's `%[uuid()]`, nginx's `$request_id`, Envoy's UUID) is kept so
 * its log lines and ours can be joined; anything else, which a browser could have made up (a name,
 * a line break), is replaced by our own UUID.
 */
const ACCEPTED_REQUEST_ID =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,64})$/i;

export function requestIdFor(raw: IncomingMessage): string {
  const incoming = raw.headers[REQUEST_ID_HEADER];
  if (typeof incoming === 'string' && ACCEPTED_REQUEST_ID.test(incoming)) return incoming.toLowerCase();
  return randomUUID();
}

/** The path without the query string. */
export function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** Quoted text in a message, in any of the quotes PostgreSQL, V8 and Fastify use. */
const QUOTED = /"[^"\n]*"|'[^'\n]*'|`[^`\n]*`|“[^”\n]*”|«[^»\n]*»/g;
/** An e-mail address, as an SMTP server quotes a refused recipient (`<kari@…>: rejected`). */
const EMAIL = /[^\s<>"'(),;:]+@[^\s<>"'(),;:]+\.[a-z]{2,}/gi;
/** Eight digits or more: a phone number (an SMS gateway's refusal) or a national identity number. */
const LONG_NUMBER = /\+?\b\d{8,}\b/g;

/**
 * Blanks every quoted span, e-mail address and long number: `invalid input value for enum x:
 * "Kari"` → `… enum x: "…"`, `<kari@example.no>: Recipient address rejected` → `<…@…>: …`.
 */
export function scrubMessage(message: string): string {
  return message.replace(QUOTED, '"…"').replace(EMAIL, '…@…').replace(LONG_NUMBER, '…');
}

interface SerializedError {
  [key: string]: unknown;
  type: string;
  message: string;
  stack: string;
  code?: string;
  statusCode?: number;
}

/**
 * Errors (and the plain `{ message, stack, code }` objects some call sites pass) without the input
 * they may quote. Only known, input-free fields are copied: pino's default would copy every
 * enumerable field, PostgreSQL's `detail` ("Failing row contains (…)") and `where` among them.
 */
export function serializeError(error: unknown): SerializedError {
  if (error === null || typeof error !== 'object') {
    // A thrown string or number: its text may be anything.
    return { type: typeof error, message: scrubMessage(String(error)), stack: '' };
  }
  const e = error as {
    name?: unknown;
    message?: unknown;
    stack?: unknown;
    code?: unknown;
    statusCode?: unknown;
  };
  const serialized: SerializedError = {
    type: error instanceof Error ? error.constructor.name : typeof e.name === 'string' ? e.name : 'Object',
    message: typeof e.message === 'string' ? scrubMessage(e.message) : '',
    stack: typeof e.stack === 'string' ? scrubMessage(e.stack) : '',
  };
  if (typeof e.code === 'string' || typeof e.code === 'number') serialized.code = String(e.code);
  if (typeof e.statusCode === 'number') serialized.statusCode = e.statusCode;
  return serialized;
}

/** A request as a log line shows it: method, path, route pattern. */
function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: pathOf(request.url),
    // The pattern (`/api/patients/:patientId/phq9`) groups lines; absent when no route matched.
    route: request.routeOptions?.url,
  };
}

function serializeReply(reply: { statusCode: number }) {
  return { statusCode: reply.statusCode };
}

/**
 * One line per request, when it completes: method, path, route, status, time and request id.
 * Fastify's extra "incoming request" line goes to debug (it doubles the volume at 1,000 requests a
 * second and adds only the moment a request arrived). A route Fastify does not know is logged
 * without its query string.
 */
export class RequestLogController extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    if (this.isLogDisabled(request)) return;
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply
  ): void {
    if (this.isLogDisabled(request)) return;
    const line = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }

  override routeNotFound(request: FastifyRequest): void {
    if (this.isLogDisabled(request)) return;
    request.log.info({ req: request }, 'route not found');
  }
}

export type LogFormat = 'json' | 'pretty';

/**
 * LOG_FORMAT=json|pretty chooses; without it, pretty when standard output is a terminal (someone
 * is watching) and JSON otherwise (a file, journald, a container's log collector).
 */
export function logFormatFrom(env: NodeJS.ProcessEnv, stdoutIsTty: boolean): LogFormat {
  const chosen = env.LOG_FORMAT?.trim().toLowerCase();
  if (chosen === 'json' || chosen === 'pretty') return chosen;
  if (chosen) throw new Error(`LOG_FORMAT must be json or pretty, not ${env.LOG_FORMAT}`);
  return stdoutIsTty ? 'pretty' : 'json';
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const WARN = 40;

/** pino's options for the server (src/cli/serve.ts) and for tests that read the log. */
export function loggerOptions(
  env: NodeJS.ProcessEnv = process.env,
  stdoutIsTty = Boolean(process.stdout.isTTY)
): Exclude<FastifyServerOptions['logger'], boolean | undefined> {
  const level = env.LOG_LEVEL?.trim().toLowerCase() || 'info';
  if (!LEVELS.includes(level)) throw new Error(`LOG_LEVEL must be one of ${LEVELS.join(', ')}`);
  const format = logFormatFrom(env, stdoutIsTty);
  return {
    level,
    serializers: { req: serializeRequest, res: serializeReply, err: serializeError },
    // Nothing here logs headers; this catches a future `log.info({ req: request.raw })`.
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
      ],
      censor: '[redacted]',
    },
    hooks: {
      logMethod(args, method, levelValue) {
        if (levelValue >= WARN) {
          const last = args.length - 1;
          if (typeof args[last] === 'string') args[last] = scrubMessage(args[last]);
        }
        method.apply(this, args);
      },
    },
    ...(format === 'pretty'
      ? {
          transport: {
            target: 'pino-pretty',
            options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
          },
        }
      : {}),
  };
}
