import { Button, Link, SkipLink } from '@digdir/designsystemet-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, Link as RouterLink, useNavigate } from 'react-router';
import type { User } from '../api/client.js';
import { ROLE_HOME, useSession } from '../app/session.js';
import { SECURITY_PATH } from '../pages/security/paths.js';
import { roleLabel } from '../i18n/labels.js';
import { HelpNow } from './HelpNow.js';
import { LanguageSwitch } from './LanguageSwitch.js';
import './SiteHeader.css';

/** Header on every page: product name, language switch, and for a signed-in user name, role, logout. */
export function SiteHeader({ user }: { user: User | null }) {
  const { t } = useTranslation();
  const { logout } = useSession();
  const navigate = useNavigate();
  const [loggingOut, setLoggingOut] = useState(false);
  const home = user ? ROLE_HOME[user.role] : '/login';

  async function onLogout() {
    setLoggingOut(true);
    const providerLogoutUrl = await logout();
    // Logged in through ID-porten or HelseID: end that session too; the provider sends the
    // browser back to the login page.
    if (providerLogoutUrl) window.location.assign(providerLogoutUrl);
    else void navigate('/login', { replace: true });
  }

  return (
    <>
      <SkipLink href="#main">{t('app.skipToContent')}</SkipLink>
      <header className="site-header">
        <div className="site-header__inner">
          <div className="site-header__brand">
            <Link asChild data-color="neutral">
              <RouterLink to={home} className="site-header__product">
                {t('app.name')}
              </RouterLink>
            </Link>
            <span className="site-header__tagline">{t('app.tagline')}</span>
          </div>
          <div className="site-header__tools">
            {user && (
              <p className="site-header__user">
                <span className="ds-sr-only">{t('header.signedInAs')} </span>
                <span className="site-header__user-name" data-testid="header-user-name">
                  {user.displayName}
                </span>
                <span className="ds-sr-only">, </span>
                <span className="site-header__user-role">{roleLabel(t, user.role)}</span>
              </p>
            )}
            {(!user || user.role === 'patient') && <HelpNow />}
            <LanguageSwitch />
            {user && (
              <Button
                type="button"
                variant="secondary"
                data-size="sm"
                onClick={onLogout}
                loading={loggingOut}
              >
                {loggingOut ? t('header.loggingOut') : t('header.logout')}
              </Button>
            )}
          </div>
        </div>
        {user && (
          <nav className="site-nav" aria-label={t('header.mainNav')}>
            <ul className="site-nav__list">
              <li>
                <Link asChild>
                  <NavLink to={home} end>
                    {t('header.home')}
                  </NavLink>
                </Link>
              </li>
              {user.role === 'gp' && (
                <>
                  <li>
                    <Link asChild>
                      <NavLink to="/gp/patients">{t('gp.nav.patients')}</NavLink>
                    </Link>
                  </li>
                  <li>
                    <Link asChild>
                      <NavLink to="/gp/practice">{t('gp.nav.practice')}</NavLink>
                    </Link>
                  </li>
                  <li>
                    <Link asChild>
                      <NavLink to="/gp/caseload">{t('gp.nav.caseload')}</NavLink>
                    </Link>
                  </li>
                  <li>
                    <Link asChild>
                      <NavLink to="/gp/results">{t('gp.nav.results')}</NavLink>
                    </Link>
                  </li>
                </>
              )}
              {user.role !== 'patient' && (
                <li>
                  <Link asChild>
                    <NavLink to={SECURITY_PATH}>{t('header.security')}</NavLink>
                  </Link>
                </li>
              )}
              {user.role === 'patient' && (
                <>
                  <li>
                    <Link asChild>
                      <NavLink to="/patient/program">{t('header.program')}</NavLink>
                    </Link>
                  </li>
                  <li>
                    <Link asChild>
                      <NavLink to="/patient/workbook">{t('header.workbook')}</NavLink>
                    </Link>
                  </li>
                  <li>
                    <Link asChild>
                      <NavLink to="/patient/messages">{t('header.messages')}</NavLink>
                    </Link>
                  </li>
                </>
              )}
            </ul>
          </nav>
        )}
      </header>
    </>
  );
}
