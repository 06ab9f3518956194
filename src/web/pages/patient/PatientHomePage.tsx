import { Card, Heading, Link, Paragraph, Table, Tag } from '@digdir/designsystemet-react';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type AccessLogEntry, type Patient, type QuestionnaireResponse } from '../api/client.js';
import { useUser } from '../app/session.js';
import { LoadError } from '../components/LoadError.js';
import { Loading } from '../components/Loading.js';
import { PageHeading } from '../components/PageHeading.js';
import { TableScroll } from '../components/TableScroll.js';
import { formatDate, formatDateTime } from '../format.js';
import { useApiData } from '../hooks/useApiData.js';
import { usePageTitle } from '../hooks/usePageTitle.js';
import { openCodeLabel, programStatusLabel, roleLabel, severityLabel } from '../i18n/labels.js';
import { useLanguage } from '../i18n/useLanguage.js';
import { Phq9Form } from './patient/Phq9Form.js';

export function PatientHomePage() {
  const { t } = useTranslation();
  const user = useUser();
  usePageTitle(t('patient.title'));
  const patientId = user.patientId;

  return (
    <div className="page stack-lg">
      <PageHeading>{t('patient.greeting', { name: user.displayName })}</PageHeading>
      <nav aria-label={t('patient.sectionNav')} className="section-nav">
        <ul>
          <li>
            <Link href="#phq9">{t('phq9.heading')}</Link>
          </li>
          <li>
            <Link href="#history">{t('history.heading')}</Link>
          </li>
          <li>
            <Link href="#access-log">{t('accessLog.heading')}</Link>
          </li>
        </ul>
      </nav>
      {patientId ? (
        <PatientSections patientId={patientId} />
      ) : (
        <LoadError error={null} onRetry={() => location.reload()} />
      )}
    </div>
  );
}

function PatientSections({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const patient = useApiData((signal) => api.getPatient(patientId, signal), [patientId]);
  const history = useApiData((signal) => api.listResponses(patientId, signal), [patientId]);
  const accessLog = useApiData((signal) => api.getAccessLog(patientId, signal), [patientId]);
  const reloadHistory = history.reload;
  const reloadAccessLog = accessLog.reload;
  const onSubmitted = useCallback(() => {
    reloadHistory();
    reloadAccessLog();
  }, [reloadHistory, reloadAccessLog]);

  return (
    <>
      <section aria-labelledby="program-heading">
        <Heading level={2} data-size="sm" id="program-heading">
          {t('patient.programHeading')}
        </Heading>
        {patient.data ? (
          <ProgramCard patient={patient.data} />
        ) : patient.status === 'error' ? (
          <LoadError error={patient.error} onRetry={patient.reload} />
        ) : (
          <Loading />
        )}
      </section>

      <section aria-labelledby="phq9-heading" id="phq9" className="stack-sm">
        <Heading level={2} data-size="sm" id="phq9-heading">
          {t('phq9.heading')}
        </Heading>
        <Paragraph>{t('phq9.about')}</Paragraph>
        <Card className="phq9-card" data-color="neutral">
          <Phq9Form patientId={patientId} onSubmitted={onSubmitted} />
        </Card>
      </section>

      <section aria-labelledby="history-heading" id="history" className="stack-sm">
        <Heading level={2} data-size="sm" id="history-heading">
          {t('history.heading')}
        </Heading>
        {history.data ? (
          <HistoryTable items={history.data.items} />
        ) : history.status === 'error' ? (
          <LoadError error={history.error} onRetry={history.reload} />
        ) : (
          <Loading />
        )}
      </section>

      <section aria-labelledby="access-log-heading" id="access-log" className="stack-sm">
        <Heading level={2} data-size="sm" id="access-log-heading">
          {t('accessLog.heading')}
        </Heading>
        <Paragraph>{t('accessLog.intro')}</Paragraph>
        {accessLog.data ? (
          <AccessLogTable items={accessLog.data.items} />
        ) : accessLog.status === 'error' ? (
          <LoadError error={accessLog.error} onRetry={accessLog.reload} />
        ) : (
          <Loading />
        )}
      </section>
    </>
  );
}

function ProgramCard({ patient }: { patient: Patient }) {
  const { t } = useTranslation();
  return (
    <Card data-color="neutral" className="program-card">
      <Paragraph>
        <strong>{t('patient.programName')}</strong>
      </Paragraph>
      <dl className="facts">
        <div>
          <dt>{t('patient.programStatusLabel')}</dt>
          <dd>
            <Tag data-color="neutral">{programStatusLabel(t, patient.program.status)}</Tag>
          </dd>
        </div>
        <div>
          <dt>{t('patient.modulesCompletedLabel')}</dt>
          <dd>{patient.program.modulesCompleted}</dd>
        </div>
        <div>
          <dt>{t('patient.gpLabel')}</dt>
          <dd>{patient.gp ? patient.gp.displayName : t('patient.noGp')}</dd>
        </div>
      </dl>
    </Card>
  );
}

function HistoryTable({ items }: { items: QuestionnaireResponse[] }) {
  const { t } = useTranslation();
  const language = useLanguage();
  if (items.length === 0) return <Paragraph>{t('history.empty')}</Paragraph>;
  return (
    <TableScroll label={t('history.caption')}>
      <Table zebra data-color="neutral" className="data-table" data-testid="phq9-history">
        <caption>{t('history.caption')}</caption>
        <Table.Head>
          <Table.Row>
            <Table.HeaderCell scope="col">{t('history.date')}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t('history.score')}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t('history.severity')}</Table.HeaderCell>
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {items.map((item) => (
            <Table.Row key={item.id}>
              <Table.Cell className="nowrap">{formatDate(item.answeredAt, language)}</Table.Cell>
              <Table.Cell>{item.totalScore}</Table.Cell>
              <Table.Cell>{severityLabel(t, item.severity)}</Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
    </TableScroll>
  );
}

function AccessLogTable({ items }: { items: AccessLogEntry[] }) {
  const { t } = useTranslation();
  const language = useLanguage();
  if (items.length === 0) return <Paragraph>{t('accessLog.empty')}</Paragraph>;
  return (
    <TableScroll label={t('accessLog.caption')}>
      <Table zebra data-color="neutral" className="data-table" data-testid="access-log">
        <caption>{t('accessLog.caption')}</caption>
        <Table.Head>
          <Table.Row>
            <Table.HeaderCell scope="col">{t('accessLog.when')}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t('accessLog.who')}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t('accessLog.role')}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t('accessLog.practice')}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t('accessLog.action')}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t('accessLog.dataCategory')}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t('accessLog.basis')}</Table.HeaderCell>
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {items.map((item, index) => (
            <Table.Row key={`${item.occurredAt}-${index}`}>
              <Table.Cell>{formatDateTime(item.occurredAt, language)}</Table.Cell>
              <Table.Cell>{item.actorName}</Table.Cell>
              <Table.Cell>{roleLabel(t, item.actorRole)}</Table.Cell>
              <Table.Cell>{item.practiceName ?? '–'}</Table.Cell>
              <Table.Cell>{openCodeLabel(t, 'accessLog.actions', item.action)}</Table.Cell>
              <Table.Cell>{openCodeLabel(t, 'accessLog.categories', item.dataCategory)}</Table.Cell>
              <Table.Cell>{openCodeLabel(t, 'accessLog.bases', item.accessBasis)}</Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
    </TableScroll>
  );
}
