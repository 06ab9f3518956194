/** The cookies a finished login sets, whether it ended with the password or the second factor. */
import type { FastifyReply } from 'fastify';
import type { Role } from '../../domain/access/policy.js';
import { DEVICE_COOKIE, DEVICE_COOKIE_DAYS } from './device-cookie.js';
import { PENDING_LOGIN_COOKIE } from './pending-login.js';
import { cookieSameSite, SESSION_COOKIE } from './sessions.js';
import { PENDING_LOGIN_SECONDS } from '../../domain/access/second-factor.js';

export function setLoginCookies(
  reply: FastifyReply,
  outcome: { token: string; deviceCookie: string; role: Role }
): void {
  // This browser is trusted for this account from now on (a new nonce at each login).
  reply.setCookie(DEVICE_COOKIE, outcome.deviceCookie, {
    path: '/',
    httpOnly: true,
    secure: true,
    sameSite: 'strict',
    maxAge: DEVICE_COOKIE_DAYS * 24 * 60 * 60,
  });
  // A new token at every login: a cookie planted before login is never promoted (fixation).
  reply.setCookie(SESSION_COOKIE, outcome.token, {
    path: '/',
    httpOnly: true,
    secure: true,
    sameSite: cookieSameSite(outcome.role),
  });
}

/** The half-finished login's cookie: read only by the second-factor endpoints. */
export function setPendingLoginCookie(reply: FastifyReply, value: string): void {
  reply.setCookie(PENDING_LOGIN_COOKIE, value, {
    path: '/',
    httpOnly: true,
    secure: true,
    sameSite: 'strict',
    maxAge: PENDING_LOGIN_SECONDS,
  });
}

export function clearPendingLoginCookie(reply: FastifyReply): void {
  reply.clearCookie(PENDING_LOGIN_COOKIE, { path: '/', secure: true, httpOnly: true });
}
