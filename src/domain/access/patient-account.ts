/**
 * A patient's account and what an invitation code may do to it. One rule, used by the server and
 * shown by the web: a code sets a password only on an account that has none. A GP can never take
 * over an account by inviting the patient and redeeming the code themselves; when a patient has
 * lost access, the GP starts a recovery, which ends every session and clears the password first,
 * is written to the audit log as the GP's act, and is shown to the patient.
 */

export type PatientAccountState =
  /** No user account yet: the first code creates one. */
  | 'none'
  /** An account with a password: the patient logs in as usual; no code applies. */
  | 'active'
  /** An account whose password was cleared by a recovery: the recovery code sets a new one. */
  | 'awaiting_password'
  /** Disabled by an admin: no code re-enables it. */
  | 'disabled';

export function patientAccountState(
  user: { passwordHash: string | null; disabledAt: Date | string | null } | null | undefined
): PatientAccountState {
  if (!user) return 'none';
  if (user.disabledAt) return 'disabled';
  return user.passwordHash ? 'active' : 'awaiting_password';
}

export type InvitationPurpose = 'first_login' | 'recovery';

/** A first-login code is for a patient who cannot log in yet and has not been disabled. */
export function mayIssueFirstLoginCode(state: PatientAccountState): boolean {
  return state === 'none' || state === 'awaiting_password';
}

/** A recovery is for an existing, enabled account. */
export function mayStartRecovery(state: PatientAccountState): boolean {
  return state === 'active' || state === 'awaiting_password';
}

export type RedeemOutcome = 'create_account' | 'set_password' | 'refuse_has_credentials' | 'refuse_disabled';

/** What redeeming a valid, unused code does, given the account as it is now. */
export function redeemOutcome(state: PatientAccountState): RedeemOutcome {
  switch (state) {
    case 'none':
      return 'create_account';
    case 'awaiting_password':
      return 'set_password';
    case 'active':
      return 'refuse_has_credentials';
    case 'disabled':
      return 'refuse_disabled';
  }
}
