import { Alert, Button, Paragraph } from '@digdir/designsystemet-react';
import { lazy, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Outlet, Route, Routes, useLocation } from 'react-router';
import { StepUpProvider } from '../components/StepUpDialog.js';
import { SECURITY_PATH } from '../pages/security/paths.js';
import type { Role } from '../api/client.js';
import { LazyFace } from '../components/LazyFace.js';
import { Loading } from '../components/Loading.js';
import { Shell } from '../components/Shell.js';
import { LoginPage } from '../pages/LoginPage.js';
import { NotFoundPage } from '../pages/NotFoundPage.js';
import { ROLE_HOME, SessionProvider, useSession } from './session.js';

// One chunk per face: a patient never downloads GP, research or admin code, and the other way
// round. The patient face holds the PHQ-9 form together with the crisis panel.
const PatientFace = lazy(() => import('../pages/patient/PatientFace.js'));
const GpFace = lazy(() => import('../pages/gp/GpFace.js'));
/** A guide at the practice (issue 17): assigned patients' messages and shared exercises. */
const GuideFace = lazy(() => import('../pages/guide/GuideFace.js'));
/** The public invitation page: a patient with a code from the GP sets a password and starts. */
const InvitationPage = lazy(() => import('../pages/invitation/InvitationPage.js'));
/** The public survey pages: invited respondents, opt-out, and the waiting-room (practice link) survey. */
const SurveyFace = lazy(() => import('../pages/survey/SurveyFace.js'));
const ResearchFace = lazy(() => import('../pages/research/ResearchFace.js'));
/** The user group of a qualitative study: shared syntheses and comments (issue 15). */
const UserGroupFace = lazy(() => import('../pages/user-group/UserGroupFace.js'));
/** A staff user's own second factors (issue 16). */
const SecuritySettingsPage = lazy(() => import('../pages/security/SecuritySettingsPage.js'));
const AdminUsersPage = lazy(() =>
  import('../pages/admin/AdminUsersPage.js').then((m) => ({ default: m.AdminUsersPage }))
);

export function App() {
  return (
    <SessionProvider>
      <StepUpProvider>
        <BrowserRouter>
          <AppRoutes />
        </BrowserRouter>
      </StepUpProvider>
    </SessionProvider>
  );
}

function AppRoutes() {
  const { session } = useSession();
  if (session.status === 'loading') return <Shell>{<Loading />}</Shell>;
  if (session.status === 'error') return <SessionError />;
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        path="/invitasjon"
        element={
          <LazyFace>
            <InvitationPage />
          </LazyFace>
        }
      />
      <Route
        path="/undersokelse/*"
        element={
          <Shell>
            <LazyFace>
              <SurveyFace />
            </LazyFace>
          </Shell>
        }
      />
      <Route element={<AuthenticatedLayout />}>
        <Route path="/patient/*" element={<RequireRole role="patient" page={<PatientFace />} />} />
        <Route path="/gp/*" element={<RequireRole role="gp" page={<GpFace />} />} />
        <Route path="/guide/*" element={<RequireRole role="guide" page={<GuideFace />} />} />
        <Route path="/research/*" element={<RequireRole role="researcher" page={<ResearchFace />} />} />
        <Route path="/admin" element={<RequireRole role="admin" page={<AdminUsersPage />} />} />
        <Route path="/user-group/*" element={<RequireRole role="user_group" page={<UserGroupFace />} />} />
        <Route path={SECURITY_PATH} element={<RequireStaff page={<SecuritySettingsPage />} />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
      <Route path="/" element={<HomeRedirect />} />
    </Routes>
  );
}

/** Header, main landmark and footer around every signed-in page; anonymous users go to /login. */
function AuthenticatedLayout() {
  const { session } = useSession();
  const location = useLocation();
  if (session.status !== 'authenticated') return <Navigate to="/login" replace />;
  // The policy demands a second factor and this user has none: enrolment before anything else.
  if (session.enrolmentRequired && location.pathname !== SECURITY_PATH)
    return <Navigate to={SECURITY_PATH} replace />;
  return (
    <Shell user={session.user}>
      <Outlet />
    </Shell>
  );
}

function RequireRole({ role, page }: { role: Role; page: ReactNode }) {
  const { session } = useSession();
  if (session.status !== 'authenticated') return <Navigate to="/login" replace />;
  if (session.user.role !== role) return <Navigate to={ROLE_HOME[session.user.role]} replace />;
  return <LazyFace>{page}</LazyFace>;
}

function RequireStaff({ page }: { page: ReactNode }) {
  const { session } = useSession();
  if (session.status !== 'authenticated') return <Navigate to="/login" replace />;
  if (session.user.role === 'patient') return <Navigate to={ROLE_HOME.patient} replace />;
  return <LazyFace>{page}</LazyFace>;
}

function HomeRedirect() {
  const { session } = useSession();
  if (session.status !== 'authenticated') return <Navigate to="/login" replace />;
  return <Navigate to={ROLE_HOME[session.user.role]} replace />;
}

function SessionError() {
  const { t } = useTranslation();
  const { reload } = useSession();
  return (
    <Shell>
      <Alert data-color="danger" role="alert" className="stack-sm">
        <Paragraph>{t('errors.network')}</Paragraph>
        <Button type="button" variant="secondary" onClick={reload}>
          {t('errors.retry')}
        </Button>
      </Alert>
    </Shell>
  );
}
