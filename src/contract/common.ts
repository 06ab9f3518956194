/** Building blocks of the API contract, shared by every area (server and web). */
import { Type, type Static, type TLiteral, type TUnion } from 'typebox';
import { ROLES } from '../domain/access/policy.js';
import { GAD7_SEVERITIES } from '../domain/instruments/gad7.js';
import { PHQ9_SEVERITIES } from '../domain/instruments/phq9.js';
import { WSAS_BANDS } from '../domain/instruments/wsas.js';

export const Uuid = Type.String({ format: 'uuid' });
/** The path of every route about one patient: `/api/patients/:patientId/…`. */
export const PatientIdParams = Type.Object({ patientId: Uuid }, { additionalProperties: false });
export type PatientIdParams = Static<typeof PatientIdParams>;

export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

/** An enum of the API built from the domain's list of values, so the two cannot drift apart. */
export function literalUnion<const V extends readonly [string, ...string[]]>(
  values: V
): TUnion<{ -readonly [K in keyof V]: TLiteral<V[K]> }> {
  return Type.Union(values.map((v) => Type.Literal(v))) as never;
}

export const RoleSchema = literalUnion(ROLES);
export type RoleValue = Static<typeof RoleSchema>;

/** PHQ-9 severity band (domain/instruments/phq9.ts). */
export const Phq9Severity = literalUnion(PHQ9_SEVERITIES);
export type Phq9Severity = Static<typeof Phq9Severity>;

/** GAD-7 severity band (domain/instruments/gad7.ts). */
export const Gad7Severity = literalUnion(GAD7_SEVERITIES);
export type Gad7Severity = Static<typeof Gad7Severity>;

/** WSAS impairment band (domain/instruments/wsas.ts). */
export const WsasBand = literalUnion(WSAS_BANDS);
export type WsasBand = Static<typeof WsasBand>;
