/**
 * The API contract of logging in (issue 12 §2): who is logged in, the login body, and the session
 * answer login and `GET /api/auth/session` give. The server validates and serialises with these
 * schemas; the web takes its types from them (`Static<…>`). Imports only contract and domain.
 */
import { Type, type Static } from 'typebox';
import { PASSWORD_LOGIN_POLICIES } from '../domain/access/password-login.js';
import { literalUnion, Nullable, RoleSchema, Uuid, type RoleValue } from './common.js';

export { RoleSchema, type RoleValue };

/** The four roles of domain/access/policy.ts (`Role`). */

export const SessionUser = Type.Object({
  id: Uuid,
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  practiceName: Nullable(Type.String()),
  patientId: Nullable(Uuid),
});
export type SessionUser = Static<typeof SessionUser>;

/** GET /api/auth/session and POST /api/auth/login: nulls when nobody is logged in. */
export const SessionResponse = Type.Object({
  user: Nullable(SessionUser),
  csrfToken: Nullable(Type.String()),
  /**
   * Login only: the password was right, and the second factor comes next (no session yet). The
   * ways this user can give it.
   */
  secondFactor: Type.Optional(
    Type.Object({ methods: Type.Array(Type.Union([Type.Literal('totp'), Type.Literal('passkey')])) })
  ),
  /** The policy demands a second factor and this user has none: only enrolment is open. */
  enrolmentRequired: Type.Optional(Type.Boolean()),
});
export type SessionResponse = Static<typeof SessionResponse>;

/** POST /api/auth/login */
export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 128 }),
  },
  { additionalProperties: false }
);
export type LoginBody = Static<typeof LoginBody>;

/** Problem types the login page words for the user (src/web/pages/LoginPage.tsx). */
export const LOGIN_PROBLEM = {
  ipLimit: 'https://gp-dep.example/problems/login-ip-limit',
  newDevicesLocked: 'https://gp-dep.example/problems/login-locked-new-devices',
  thisDeviceLocked: 'https://gp-dep.example/problems/login-locked-this-device',
  passwordLoginOff: 'https://gp-dep.example/problems/password-login-off',
} as const;

/**
 * GET /api/auth/providers: how one logs in here (issue 16): ID-porten (patients), HelseID (GPs),
 * and who may use a password.
 */
export const LoginProviders = Type.Object({
  idPorten: Type.Boolean(),
  helseId: Type.Boolean(),
  password: literalUnion(PASSWORD_LOGIN_POLICIES),
});
export type LoginProviders = Static<typeof LoginProviders>;

/** Why an ID-porten login ended on the login page (`/login?idporten=<reason>`). */
export const ID_PORTEN_FAILURES = [
  'state',
  'used',
  'token',
  'provider',
  'acr',
  'pid',
  'no_patient',
  'no_invitation',
  'disabled',
] as const;

/** Why a HelseID login ended on the login page (`/login?helseid=<reason>`). */
export const HELSEID_FAILURES = [
  'state',
  'used',
  'token',
  'provider',
  'security_level',
  'no_hpr',
  'no_gp',
  'disabled',
] as const;

/**
 * POST /api/auth/logout, when the session came from ID-porten or HelseID and the provider can end
 * its own session too: the browser goes on to this URL (the provider's end-session endpoint, which
 * sends it back to the login page). Otherwise logout answers 204 with no body.
 */
export const LogoutResponse = Type.Object({ providerLogoutUrl: Type.String() });
export type LogoutResponse = Static<typeof LogoutResponse>;
