/**
 * Errors as RFC 9457 problem documents (application/problem+json). Validation problems name the
 * field and the reason; server errors say nothing about internals and carry a correlation id.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { operationOutcome } from '../domain/fhir/search.js';
import type { FieldProblem } from '../domain/instruments/phq9.js';

export class HttpProblem extends Error {
  /** A problem type URI a client can act on (RFC 9457); 'about:blank' when none is needed. */
  type = 'about:blank';

  constructor(
    readonly statusCode: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldProblem[]
  ) {
    super(detail ?? title);
  }
}

/** One answer for "does not exist" and "not yours", so existence never leaks (R-A1). */
export function notFound(): HttpProblem {
  return new HttpProblem(404, 'Not Found', 'The resource does not exist or you do not have access to it.');
}

export function forbidden(detail = 'You do not have access to this function.'): HttpProblem {
  return new HttpProblem(403, 'Forbidden', detail);
}

export function unauthorized(): HttpProblem {
  return new HttpProblem(401, 'Unauthorized', 'Log in to continue.');
}

export function badRequest(errors: FieldProblem[]): HttpProblem {
  const detail = errors.map((e) => `${e.field} ${e.reason}`).join('; ');
  return new HttpProblem(400, 'Bad Request', detail, errors);
}

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** `/items/3` in the body → `items[3]`; required and unknown properties name the property itself. */
function fieldOf(context: string | undefined, error: AjvError): string {
  const parts = error.instancePath
    .split('/')
    .filter(Boolean)
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`));
  if (error.keyword === 'required' && typeof error.params.missingProperty === 'string') {
    parts.push(`.${error.params.missingProperty}`);
  }
  if (error.keyword === 'additionalProperties' && typeof error.params.additionalProperty === 'string') {
    parts.push(`.${error.params.additionalProperty}`);
  }
  const path = parts.join('').replace(/^\./, '');
  if (path) return path;
  return context === 'body' ? 'body' : (context ?? 'request');
}

function reasonOf(error: AjvError): string {
  const p = error.params;
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not allowed';
    case 'type':
      return `must be ${String(p.type).replace(',', ' or ')}`;
    case 'minimum':
      return `must be at least ${String(p.limit)}`;
    case 'maximum':
      return `must be at most ${String(p.limit)}`;
    case 'minItems':
      return `must have at least ${String(p.limit)} entries`;
    case 'maxItems':
      return `must have at most ${String(p.limit)} entries`;
    case 'minLength':
      return `must be at least ${String(p.limit)} characters`;
    case 'maxLength':
      return `must be at most ${String(p.limit)} characters`;
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).join(', ')}`;
    case 'const':
      return `must be ${String(p.allowedValue)}`;
    case 'format':
      return `must be a valid ${String(p.format)}`;
    case 'pattern':
      return 'has an invalid format';
    default:
      return error.message ?? 'is invalid';
  }
}

export function validationProblem(error: FastifyError): HttpProblem {
  const context = (error as FastifyError & { validationContext?: string }).validationContext;
  const seen = new Set<string>();
  const errors: FieldProblem[] = [];
  for (const ajvError of (error.validation ?? []) as AjvError[]) {
    if (ajvError.keyword === 'anyOf' || ajvError.keyword === 'if') continue;
    const problem = { field: fieldOf(context, ajvError), reason: reasonOf(ajvError) };
    const key = `${problem.field} ${problem.reason}`;
    if (!seen.has(key)) {
      seen.add(key);
      errors.push(problem);
    }
  }
  return badRequest(errors.length > 0 ? errors : [{ field: context ?? 'request', reason: 'is invalid' }]);
}

export function sendProblem(
  reply: FastifyReply,
  request: FastifyRequest,
  problem: HttpProblem
): FastifyReply {
  // A client may retry a 503 after a few seconds (RFC 9110 §10.2.3).
  if (problem.statusCode === 503) reply.header('retry-after', '5');
  // The FHIR API answers every error as FHIR does, whichever layer refused the request.
  if (request.url.startsWith('/fhir/')) {
    return reply
      .code(problem.statusCode)
      .type('application/fhir+json; charset=utf-8')
      .send(operationOutcome(problem.statusCode, problem.detail ?? problem.title, problem.errors ?? []));
  }
  return reply
    .code(problem.statusCode)
    .type('application/problem+json; charset=utf-8')
    .send({
      type: problem.type,
      title: problem.title,
      status: problem.statusCode,
      ...(problem.detail ? { detail: problem.detail } : {}),
      ...(problem.errors ? { errors: problem.errors } : {}),
      instance: request.id,
    });
}

/**
 * A lost or refused database connection (a PostgreSQL restart, failover or outage), as opposed to
 * an error in what was asked: SQLSTATE class 08 (connection exception), 57P01-57P03 (admin or
 * crash shutdown, cannot connect now), and the socket errors node-postgres reports.
 */
export function isDatabaseUnavailable(error: { code?: unknown; message?: unknown }): boolean {
  const code = typeof error.code === 'string' ? error.code : '';
  if (/^08/.test(code) || ['57P01', '57P02', '57P03'].includes(code)) return true;
  if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND'].includes(code)) return true;
  const message = typeof error.message === 'string' ? error.message : '';
  return /Connection terminated|connection timeout|Client has encountered a connection error|terminating connection/i.test(
    message
  );
}

/** Maps anything thrown in a request to a problem document. */
export function toProblem(error: FastifyError): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (error.validation) return validationProblem(error);
  const status = error.statusCode ?? 500;
  if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return badRequest([{ field: 'body', reason: 'is not valid JSON' }]);
  }
  if (status === 400 && /proto|constructor/i.test(error.message)) {
    return badRequest([{ field: 'body', reason: 'contains a forbidden property name' }]);
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new HttpProblem(415, 'Unsupported Media Type', 'Send the body as application/json.');
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new HttpProblem(413, 'Content Too Large', 'The request body is too large.');
  }
  // A unique violation is two requests creating the same thing at once (PostgreSQL): the loser may
  // resend. Other constraint violations stay a bare 500 (logged): a rule was not checked first.
  if (error.code === '23505') {
    return new HttpProblem(409, 'Conflict', 'The same thing was saved at the same moment; send it again.');
  }
  if (status >= 400 && status < 500) {
    return new HttpProblem(status, 'Request Error', 'The request could not be processed.');
  }
  if (isDatabaseUnavailable(error)) {
    // The database is restarting or unreachable: nothing was saved, and trying again shortly works.
    return new HttpProblem(
      503,
      'Service Unavailable',
      'The database is not reachable just now. Nothing was saved; try again in a moment.'
    );
  }
  return new HttpProblem(
    500,
    'Internal Server Error',
    'Something went wrong. Quote the instance id if you report it.'
  );
}
