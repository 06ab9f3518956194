/**
 * The guide's face (issue 17), loaded as its own chunk when a guide signs in: the patients a GP has
 * assigned them to, and for each the messages and shared exercises (the same page the GP uses).
 * Nothing else of the patient: the guide's access covers guidance only. Words: the GP face's
 * catalog (gp.guide.*, gp.threads.*), loaded with this chunk.
 */
import '../gp/i18n.js';
import '../gp/gp.css';
import { Card, Paragraph, Tag } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { Route, Routes } from 'react-router';
import { messagesApi } from '../../api/messages-api.js';
import { AppLink } from '../../components/AppLink.js';
import { LoadError } from '../../components/LoadError.js';
import { Loading } from '../../components/Loading.js';
import { PageHeading } from '../../components/PageHeading.js';
import { formatDate } from '../../format.js';
import { useApiData } from '../../hooks/useApiData.js';
import { usePageTitle } from '../../hooks/usePageTitle.js';
import { useLanguage } from '../../i18n/useLanguage.js';
import { NotFoundPage } from '../NotFoundPage.js';
import { StaffMessagesPage } from '../gp/messages/StaffMessagesPage.js';
import './GuideFace.css';

const guidePatientPath = (patientId: string) => `/guide/patients/${encodeURIComponent(patientId)}/messages`;

export default function GuideFace() {
  return (
    <Routes>
      <Route index element={<GuidePatientsPage />} />
      <Route path="patients/:patientId/messages" element={<StaffMessagesPage backTo={() => '/guide'} />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}

function GuidePatientsPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  usePageTitle(t('gp.guide.title'));
  const patients = useApiData((signal) => messagesApi.guidePatients(signal), []);
  return (
    <div className="page stack-lg gp-page">
      <div className="stack-sm">
        <PageHeading>{t('gp.guide.heading')}</PageHeading>
        <Paragraph className="page-subtitle">{t('gp.guide.intro')}</Paragraph>
      </div>
      {patients.status === 'error' && <LoadError error={patients.error} onRetry={patients.reload} />}
      {!patients.data && patients.status === 'loading' && <Loading />}
      {patients.data &&
        (patients.data.items.length === 0 ? (
          <Paragraph>{t('gp.guide.none')}</Paragraph>
        ) : (
          <ul className="guide-patients">
            {patients.data.items.map((p) => (
              <li key={p.patientId}>
                <Card data-color="neutral" className="guide-patient" data-testid="guide-patient">
                  <AppLink to={guidePatientPath(p.patientId)}>{p.patientName}</AppLink>
                  <Paragraph data-size="sm" className="muted">
                    {t('gp.guide.since', { date: formatDate(p.since, language) })}
                  </Paragraph>
                  {p.unansweredThreads > 0 && (
                    <Tag data-color="warning" data-size="sm">
                      {t('gp.guide.waiting', { count: p.unansweredThreads })}
                    </Tag>
                  )}
                </Card>
              </li>
            ))}
          </ul>
        ))}
    </div>
  );
}
