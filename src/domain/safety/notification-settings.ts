/**
 * Where urgent-case notifications go (issue 11 §1): a GP's own e-mail and mobile number, and the
 * practice's shared e-mail. One set of rules for the server (the route's schema is built from
 * these patterns) and the web form (which checks the same before sending). An empty value clears
 * an address. The practice's response standard has its rules in response-standard.ts.
 */
import type { FieldProblem } from '../instruments/phq9.js';

/** RFC 5321's limit on a whole address, and the database's. */
export const EMAIL_MAX = 254;

/**
 * A plain e-mail address: a local part of the usual characters, an @, and a domain name with at
 * least one dot (ASCII; no spaces, so nothing can be smuggled into a mail header). Empty clears.
 */
export const EMAIL_OR_EMPTY_PATTERN =
  "^(?:[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:[.][A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+)?$";

/** A mobile number in international form (E.164): +, country code and number, 8 to 15 digits. Empty clears. */
export const PHONE_OR_EMPTY_PATTERN = '^(?:[+][0-9]{8,15})?$';

const EMAIL = new RegExp(EMAIL_OR_EMPTY_PATTERN);
const PHONE = new RegExp(PHONE_OR_EMPTY_PATTERN);

export const EMAIL_REASON = 'must be an e-mail address such as name@example.no, or empty';
export const PHONE_REASON =
  'must be a mobile number in international form, + and the country code first (E.164, such as +4791234567), or empty';

/** The problem with an e-mail address as entered (after trimming), or null. */
export function emailProblem(value: string): string | null {
  if (value.length > EMAIL_MAX) return `must be at most ${EMAIL_MAX} characters`;
  return EMAIL.test(value) ? null : EMAIL_REASON;
}

/** The problem with a phone number as entered (after normalisePhone), or null. */
export function phoneProblem(value: string): string | null {
  return PHONE.test(value) ? null : PHONE_REASON;
}

/**
 * A phone number as people write it, for the form: spaces, dots, dashes and brackets go, and a
 * leading 00 becomes +. Nothing else is guessed: a number without a country code stays invalid.
 */
export function normalisePhone(value: string): string {
  const compact = value.trim().replace(/[\s.()-]/g, '');
  return compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
}

/** Field problems for a GP's own notification addresses. */
export function ownNotificationProblems(settings: { email: string; phone: string }): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const email = emailProblem(settings.email);
  if (email) problems.push({ field: 'email', reason: email });
  const phone = phoneProblem(settings.phone);
  if (phone) problems.push({ field: 'phone', reason: phone });
  return problems;
}
