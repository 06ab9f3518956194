/**
 * The API contract of second factors and step-up (issue 16): a staff user's factors, enrolling a
 * TOTP authenticator or a passkey, the recovery codes shown once, giving the factor at login, and
 * re-authenticating before a step-up action. WebAuthn's JSON shapes follow the W3C spec as
 * @simplewebauthn/browser sends them.
 */
import { Type, type Static } from 'typebox';
import { SECOND_FACTOR_KINDS, SECOND_FACTOR_POLICIES } from '../domain/access/second-factor.js';
import { STEP_UP_PROBLEM_TYPE } from '../domain/access/step-up.js';
import { literalUnion, Nullable, Uuid } from './common.js';

export const SecondFactorKindSchema = literalUnion(SECOND_FACTOR_KINDS);

export const SecondFactorSummary = Type.Object({
  id: Uuid,
  kind: SecondFactorKindSchema,
  label: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Nullable(Type.String({ format: 'date-time' })),
});
export type SecondFactorSummary = Static<typeof SecondFactorSummary>;

/** GET /api/auth/factors */
export const SecondFactorList = Type.Object({
  factors: Type.Array(SecondFactorSummary),
  recoveryCodesLeft: Type.Integer(),
  policy: literalUnion(SECOND_FACTOR_POLICIES),
});
export type SecondFactorList = Static<typeof SecondFactorList>;

/** POST /api/auth/factors/totp: the secret, shown once, to scan or type in. */
export const TotpEnrolment = Type.Object({
  id: Uuid,
  secret: Type.String(),
  otpauthUri: Type.String(),
});
export type TotpEnrolment = Static<typeof TotpEnrolment>;

const Code = Type.String({ minLength: 1, maxLength: 64 });
const Label = Type.String({ minLength: 1, maxLength: 60 });

export const TotpConfirmBody = Type.Object(
  { code: Code, label: Type.Optional(Label) },
  { additionalProperties: false }
);
export type TotpConfirmBody = Static<typeof TotpConfirmBody>;

export const FactorIdParams = Type.Object({ factorId: Uuid }, { additionalProperties: false });

/** A factor added; the recovery codes when this was the first one (shown once, never again). */
export const FactorAdded = Type.Object({
  factor: SecondFactorSummary,
  recoveryCodes: Nullable(Type.Array(Type.String())),
});
export type FactorAdded = Static<typeof FactorAdded>;

export const RecoveryCodes = Type.Object({ recoveryCodes: Type.Array(Type.String()) });
export type RecoveryCodes = Static<typeof RecoveryCodes>;

const B64 = Type.String({ maxLength: 16_384, pattern: '^[A-Za-z0-9_-]*={0,2}$' });
/** Client extension results: free-form by the spec (credProps and others). */
const Extensions = Type.Object({}, { additionalProperties: true });
const Attachment = Type.Optional(literalUnion(['platform', 'cross-platform'] as const));

/** A new passkey, as navigator.credentials.create() gives it (RegistrationResponseJSON). */
export const RegistrationResponse = Type.Object(
  {
    id: B64,
    rawId: B64,
    type: Type.Literal('public-key'),
    response: Type.Object(
      {
        clientDataJSON: B64,
        attestationObject: B64,
        authenticatorData: Type.Optional(B64),
        transports: Type.Optional(Type.Array(Type.String({ maxLength: 32 }), { maxItems: 8 })),
        publicKeyAlgorithm: Type.Optional(Type.Integer()),
        publicKey: Type.Optional(B64),
      },
      { additionalProperties: false }
    ),
    authenticatorAttachment: Attachment,
    clientExtensionResults: Extensions,
  },
  { additionalProperties: false }
);

/** A passkey's answer to a challenge, as navigator.credentials.get() gives it. */
export const AuthenticationResponse = Type.Object(
  {
    id: B64,
    rawId: B64,
    type: Type.Literal('public-key'),
    response: Type.Object(
      {
        clientDataJSON: B64,
        authenticatorData: B64,
        signature: B64,
        userHandle: Type.Optional(B64),
      },
      { additionalProperties: false }
    ),
    authenticatorAttachment: Attachment,
    clientExtensionResults: Extensions,
  },
  { additionalProperties: false }
);

export const PasskeyRegisterBody = Type.Object(
  { label: Type.Optional(Label), response: RegistrationResponse },
  { additionalProperties: false }
);
export type PasskeyRegisterBody = Static<typeof PasskeyRegisterBody>;

/** WebAuthn options for the browser (PublicKeyCredentialCreation/RequestOptionsJSON). */
export const WebAuthnOptions = Type.Object({}, { additionalProperties: true });

/**
 * POST /api/auth/second-factor (at login) and POST /api/auth/step-up: one way of proving it. A code
 * from the authenticator app, a recovery code, a passkey's answer, or (step-up of a user without
 * factors only) the password.
 */
export const SECOND_FACTOR_METHODS = ['totp', 'recovery', 'passkey', 'password'] as const;
export const ProveBody = Type.Object(
  {
    method: literalUnion(SECOND_FACTOR_METHODS),
    code: Type.Optional(Code),
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    response: Type.Optional(AuthenticationResponse),
  },
  { additionalProperties: false }
);
export type ProveBody = Static<typeof ProveBody>;

/** GET /api/auth/step-up: how this user re-authenticates, and until when the last one counts. */
export const StepUpStatus = Type.Object({
  freshUntil: Nullable(Type.String({ format: 'date-time' })),
  methods: Type.Array(literalUnion(SECOND_FACTOR_METHODS)),
});
export type StepUpStatus = Static<typeof StepUpStatus>;

/** Problem types the web app acts on. */
export const SECOND_FACTOR_PROBLEM = {
  stepUpRequired: STEP_UP_PROBLEM_TYPE,
  enrolmentRequired: 'https://gp-dep.example/problems/second-factor-enrolment-required',
  wrongCode: 'https://gp-dep.example/problems/second-factor-wrong',
  pendingExpired: 'https://gp-dep.example/problems/second-factor-login-expired',
} as const;
