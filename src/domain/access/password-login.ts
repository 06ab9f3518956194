/**
 * Who may log in with a password made here (issue 16). In real use patients log in with ID-porten
 * and GPs with HelseID; the password stays for the embedded demo and development. Production
 * switches it off by configuration (PASSWORD_LOGIN): `staff` keeps it for staff only (patients
 * use ID-porten; until HelseID is built, staff have nothing else), `off` for everyone.
 */
import type { Role } from './policy.js';

export const PASSWORD_LOGIN_POLICIES = ['all', 'staff', 'off'] as const;
export type PasswordLoginPolicy = (typeof PASSWORD_LOGIN_POLICIES)[number];

export function passwordLoginAllowed(policy: PasswordLoginPolicy, role: Role): boolean {
  if (policy === 'off') return false;
  if (policy === 'staff') return role !== 'patient';
  return true;
}
