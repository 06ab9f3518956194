import type { FastifyError } from 'fastify';
import { describe, expect, it } from 'vitest';
import { toProblem } from './problem.js';

/** A database error as pg and PGlite throw it: SQLSTATE in `code`, internals in the message. */
function databaseError(code: string, message: string): FastifyError {
  return Object.assign(new Error(message), { code, name: 'DatabaseError' });
}

describe('database errors that reach the error handler', () => {
  it('answers a unique violation (a race) with 409 and no internals', () => {
    const problem = toProblem(
      databaseError('23505', 'duplicate key value violates unique constraint "users_username_key"')
    );
    expect(problem.statusCode).toBe(409);
    expect(`${problem.title} ${problem.detail}`).not.toMatch(/users|constraint|duplicate key/);
  });

  it('leaves any other constraint violation a 500 that says nothing about the database', () => {
    for (const code of ['23514', '23503', '22021', '22P05']) {
      const problem = toProblem(
        databaseError(code, 'new row for relation "gp_absences" violates check constraint')
      );
      expect(problem.statusCode, code).toBe(500);
      expect(problem.detail, code).not.toMatch(/gp_absences|constraint|relation/);
    }
  });
});

describe('a database that is away', () => {
  it('answers 503 for a lost or refused connection, and nothing else', () => {
    for (const [code, message] of [
      ['57P01', 'terminating connection due to administrator command'],
      ['57P03', 'the database system is starting up'],
      ['08006', 'connection failure'],
      ['ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'],
      ['', 'Connection terminated unexpectedly'],
    ] as const) {
      const problem = toProblem(databaseError(code, message));
      expect(problem.statusCode, `${code} ${message}`).toBe(503);
      expect(problem.detail).not.toMatch(/5432|ECONN|terminat/);
    }
    expect(toProblem(databaseError('42P01', 'relation "x" does not exist')).statusCode).toBe(500);
  });
});
