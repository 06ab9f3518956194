/**
 * The signed-in user, held in memory only. Loaded from GET /api/auth/session at start; cleared on
 * logout or on any 401 from the API (the routes then send the user to the login page).
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, setCsrfToken, setUnauthorizedHandler, type Role, type User } from '../api/client.js';
import { rememberLanguage } from '../i18n/index.js';

export type SessionState =
  | { status: 'loading' }
  | { status: 'error' }
  | { status: 'anonymous'; reason: 'none' | 'expired' | 'logged_out' }
  | {
      status: 'authenticated';
      user: User;
      /** The policy demands a second factor and the user has none: enrolment first (issue 16). */
      enrolmentRequired?: boolean;
    };

interface SessionContextValue {
  session: SessionState;
  signedIn: (user: User, csrfToken: string, enrolmentRequired?: boolean) => void;
  /** A second factor was enrolled: the whole app is open now. */
  enrolled: () => void;
  /** Ends the session; resolves to the provider's end-session URL when the browser must go on there. */
  logout: () => Promise<string | null>;
  reload: () => void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export const ROLE_HOME: Record<Role, string> = {
  patient: '/patient',
  gp: '/gp',
  researcher: '/research',
  admin: '/admin',
  user_group: '/user-group',
  guide: '/guide',
};

function clearClientState(): void {
  setCsrfToken(null);
  try {
    window.sessionStorage.clear();
  } catch {
    // Storage disabled: nothing to clear.
  }
  // The logout response carries Clear-Site-Data: "storage", which also wipes the language choice;
  // that is not personal data, so keep it.
  rememberLanguage();
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    api
      .getSession(controller.signal)
      .then((doc) => {
        setCsrfToken(doc.csrfToken);
        setSession(
          doc.user
            ? { status: 'authenticated', user: doc.user, enrolmentRequired: doc.enrolmentRequired === true }
            : { status: 'anonymous', reason: 'none' }
        );
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        console.error('Could not load the session', error);
        setSession({ status: 'error' });
      });
    return () => controller.abort();
  }, [attempt]);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      clearClientState();
      setSession((current) =>
        current.status === 'authenticated' ? { status: 'anonymous', reason: 'expired' } : current
      );
    });
    return () => setUnauthorizedHandler(null);
  }, []);

  const signedIn = useCallback((user: User, csrfToken: string, enrolmentRequired = false) => {
    setCsrfToken(csrfToken);
    setSession({ status: 'authenticated', user, enrolmentRequired });
  }, []);

  const enrolled = useCallback(() => {
    setSession((current) =>
      current.status === 'authenticated' ? { ...current, enrolmentRequired: false } : current
    );
  }, []);

  const logout = useCallback(async () => {
    let providerLogoutUrl: string | null = null;
    try {
      providerLogoutUrl = (await api.logout())?.providerLogoutUrl ?? null;
    } catch (error) {
      // Even if the server cannot be reached, forget everything on this side.
      console.warn('Logout request failed', error);
    }
    clearClientState();
    setSession({ status: 'anonymous', reason: 'logged_out' });
    return providerLogoutUrl;
  }, []);

  const reload = useCallback(() => {
    setSession({ status: 'loading' });
    setAttempt((n) => n + 1);
  }, []);

  const value = useMemo(
    () => ({ session, signedIn, enrolled, logout, reload }),
    [session, signedIn, enrolled, logout, reload]
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside SessionProvider');
  return value;
}

/** The signed-in user; only for components rendered behind RequireRole. */
export function useUser(): User {
  const { session } = useSession();
  if (session.status !== 'authenticated') throw new Error('useUser needs an authenticated session');
  return session.user;
}
