import { Alert, Field, Heading, Label, Paragraph, Select, Table, Tag } from '@digdir/designsystemet-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PHQ9_FREQUENCY_OPTIONS } from '../../../domain/instruments/phq9.js';
import { api, type GpPatientRow, type ProgramStatus } from '../../api/client.js';
import { useUser } from '../../app/session.js';
import { AppLink } from '../../components/AppLink.js';
import { CrisisNote } from '../../components/CrisisNote.js';
import { LoadError } from '../../components/LoadError.js';
import { Loading } from '../../components/Loading.js';
import { PageHeading } from '../../components/PageHeading.js';
import { TableScroll } from '../../components/TableScroll.js';
import { formatDate } from '../../format.js';
import { useApiData } from '../../hooks/useApiData.js';
import { usePageTitle } from '../../hooks/usePageTitle.js';
import { programStatusLabel, severityLabel } from '../../i18n/labels.js';
import { useLanguage } from '../../i18n/useLanguage.js';
import './GpPatientListPage.css';

const STATUSES: readonly ProgramStatus[] = [
  'not_recommended',
  'recommended',
  'active',
  'finished',
  'stopped',
];
type Filter = 'all' | 'urgent' | ProgramStatus;

function isFilter(value: string): value is Filter {
  return value === 'all' || value === 'urgent' || (STATUSES as readonly string[]).includes(value);
}

export function GpPatientListPage() {
  const { t } = useTranslation();
  const user = useUser();
  usePageTitle(t('gp.title'));
  const patients = useApiData((signal) => api.listGpPatients(signal), []);
  const [filter, setFilter] = useState<Filter>('all');

  const rows = patients.data?.items ?? [];
  const urgentCount = rows.filter((row) => row.urgent).length;
  const visible = rows.filter((row) =>
    filter === 'all' ? true : filter === 'urgent' ? row.urgent !== null : row.programStatus === filter
  );

  return (
    <div className="page stack-lg">
      <div>
        <PageHeading>{t('gp.heading', { name: user.displayName })}</PageHeading>
        {user.practiceName && (
          <Paragraph className="page-subtitle">{t('gp.practice', { practice: user.practiceName })}</Paragraph>
        )}
      </div>

      <div aria-live="polite" className="live-region"></div>

      {urgentCount > 0 && (
        <Alert data-color="warning" className="stack-sm" data-testid="gp-urgent-summary">
          <Heading level={2} data-size="xs">
            {t('gp.urgentHeading')}
          </Heading>
          <Paragraph>{t('gp.urgentSummary', { count: urgentCount })}</Paragraph>
          <CrisisNote />
        </Alert>
      )}

      {patients.status === 'error' && <LoadError error={patients.error} onRetry={patients.reload} />}
      {patients.data === null && patients.status === 'loading' && <Loading />}
      {patients.data && (
        <section className="stack-sm">
          <Field className="filter-field">
            <Label>{t('gp.filterLabel')}</Label>
            <Select
              value={filter}
              onChange={(event) => {
                if (isFilter(event.target.value)) setFilter(event.target.value);
              }}
            >
              <Select.Option value="all">{t('gp.filterAll')}</Select.Option>
              <Select.Option value="urgent">{t('gp.filterUrgent')}</Select.Option>
              {STATUSES.map((status) => (
                <Select.Option key={status} value={status}>
                  {t('gp.filterStatus', { status: programStatusLabel(t, status) })}
                </Select.Option>
              ))}
            </Select>
          </Field>
          <Paragraph data-size="sm" aria-live="polite">
            {t('gp.count', { count: visible.length })}
          </Paragraph>
          {rows.length === 0 ? (
            <Paragraph>{t('gp.empty')}</Paragraph>
          ) : visible.length === 0 ? (
            <Paragraph>{t('gp.emptyFiltered')}</Paragraph>
          ) : (
            <PatientTable rows={visible} />
          )}
        </section>
      )}
    </div>
  );
}

function PatientTable({ rows }: { rows: GpPatientRow[] }) {
  const { t } = useTranslation();
  const language = useLanguage();

  return (
    <TableScroll label={t('gp.caption')}>
      <Table data-color="neutral" className="data-table gp-table" data-testid="gp-patient-table">
        <caption id="gp-list-caption">{t('gp.caption')}</caption>
        <Table.Head>
          <Table.Row>
            <Table.HeaderCell scope="col">{t('gp.name')}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t('gp.birthYear')}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t('gp.sex')}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t('gp.program')}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t('gp.latestPhq9')}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t('gp.followUp')}</Table.HeaderCell>
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {rows.map((row) => (
            <Table.Row key={row.id} className={row.urgent ? 'gp-table__urgent' : undefined}>
              <Table.HeaderCell scope="row" className="gp-table__name">
                <AppLink to={`/gp/patients/${encodeURIComponent(row.id)}`}>{row.displayName}</AppLink>
              </Table.HeaderCell>
              <Table.Cell>{row.birthYear}</Table.Cell>
              <Table.Cell>{t(`sex.${row.sex}`)}</Table.Cell>
              <Table.Cell>
                {programStatusLabel(t, row.programStatus)}
                {(row.programStatus === 'active' ||
                  row.programStatus === 'finished' ||
                  row.programStatus === 'stopped') && (
                  <span className="cell-detail">{t('gp.modules', { count: row.modulesCompleted })}</span>
                )}
              </Table.Cell>
              <Table.Cell className="gp-table__phq9">
                {row.latestPhq9 ? (
                  <>
                    {t('gp.scoreSeverity', {
                      score: row.latestPhq9.totalScore,
                      severity: severityLabel(t, row.latestPhq9.severity),
                    })}
                    <span className="cell-detail">
                      {t('gp.latestDate', { date: formatDate(row.latestPhq9.answeredAt, language) })}
                    </span>
                  </>
                ) : (
                  t('gp.noPhq9')
                )}
                {row.latestPhq9?.note && (
                  <details className="patient-note">
                    <summary>{t('gp.noteSummary')}</summary>
                    {/* Patient-written text: rendered as a text node, never as HTML. */}
                    <p className="patient-note__text" data-testid="patient-note">
                      {row.latestPhq9.note}
                    </p>
                  </details>
                )}
              </Table.Cell>
              <Table.Cell className="gp-table__follow-up">
                {row.urgent ? (
                  <div className="urgent-cell">
                    <Tag data-color="danger" data-testid="urgent-tag">
                      {t('gp.urgentTag', {
                        score: row.urgent.item9Score,
                        date: formatDate(row.urgent.answeredAt, language),
                      })}
                      {frequencyText(row.urgent.item9Score, language) && (
                        <>
                          {' '}
                          {t('gp.urgentDetail', { answer: frequencyText(row.urgent.item9Score, language) })}
                        </>
                      )}
                    </Tag>
                    <AppLink to={`/gp/patients/${encodeURIComponent(row.id)}#urgent`}>
                      {t('gp.urgent.recordLink')}
                      <span className="ds-sr-only"> {t('gp.acknowledgeFor', { name: row.displayName })}</span>
                    </AppLink>
                  </div>
                ) : (
                  <span className="muted">{t('gp.noFollowUp')}</span>
                )}
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
    </TableScroll>
  );
}

function frequencyText(score: number, language: 'nb' | 'en'): string | null {
  return PHQ9_FREQUENCY_OPTIONS.find((option) => option.score === score)?.text[language] ?? null;
}
