/** TypeBox schemas shared by several routes. */
import { Type } from 'typebox';
import { Nullable, PatientIdParams, Phq9Severity, RoleSchema, Uuid } from '../contract/common.js';

export { Nullable, PatientIdParams, RoleSchema, Uuid };
/** PHQ-9 severity band: the contract's enum, built from the domain's list. */
export const SeveritySchema = Phq9Severity;

export const ProblemSchema = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.Optional(Type.String()),
  instance: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), reason: Type.String() }))),
});

export { ProgramStatusSchema } from '../contract/program.js';

/** Error responses every authenticated route can give; declared so responses stay schema-checked. */
export const commonErrors = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  429: ProblemSchema,
};

interface FormatHost {
  formats: Record<string, unknown>;
  addFormat(name: string, format: { type: 'string'; validate: (value: string) => boolean }): unknown;
}

/**
 * ajv `onCreate`: `date-time` must also be an instant JavaScript can hold. RFC 3339 allows a leap
 * second (`23:59:60Z`), which ajv accepts but `new Date` cannot read: it reached the handlers as an
 * Invalid Date and answered 500.
 */
export function strictDateTime(ajv: FormatHost): void {
  const original = ajv.formats['date-time'];
  const rfc3339 =
    typeof original === 'function'
      ? (original as (value: string) => boolean)
      : original instanceof RegExp
        ? (value: string) => original.test(value)
        : (original as { validate: (value: string) => boolean }).validate;
  ajv.addFormat('date-time', {
    type: 'string',
    validate: (value) => rfc3339(value) && Number.isFinite(Date.parse(value)),
  });
}
