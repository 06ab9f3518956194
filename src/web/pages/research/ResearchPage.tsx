import { Alert, Heading, Paragraph, Table } from '@digdir/designsystemet-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ResearchOverview } from '../../api/client.js';
import { AppLink } from '../../components/AppLink.js';
import { LoadError } from '../../components/LoadError.js';
import { Loading } from '../../components/Loading.js';
import { PageHeading } from '../../components/PageHeading.js';
import { TableScroll } from '../../components/TableScroll.js';
import { formatDateTime, formatNumber } from '../../format.js';
import { useApiData } from '../../hooks/useApiData.js';
import { usePageTitle } from '../../hooks/usePageTitle.js';
import { programStatusLabel, severityLabel } from '../../i18n/labels.js';
import { useLanguage } from '../../i18n/useLanguage.js';
import { RegistryAnalysis } from './RegistryAnalysis.js';
import { SurveysSection } from './surveys/SurveysSection.js';
import './ResearchPage.css';

export function ResearchPage() {
  const { t } = useTranslation();
  usePageTitle(t('research.title'));
  const overview = useApiData((signal) => api.getResearchOverview(signal), []);
  const threshold = overview.data?.suppressionThreshold ?? 5;

  return (
    <div className="page stack-lg">
      <PageHeading>{t('research.heading')}</PageHeading>
      <Alert data-color="info">
        <Paragraph>
          <strong>{t('research.noPersonData')}</strong>
        </Paragraph>
      </Alert>
      <section aria-labelledby="suppression-heading" className="stack-sm">
        <Heading level={2} data-size="xs" id="suppression-heading">
          {t('research.suppressionHeading')}
        </Heading>
        <Paragraph>{t('research.suppressionExplanation', { threshold, max: threshold - 1 })}</Paragraph>
      </section>
      {overview.status === 'error' && <LoadError error={overview.error} onRetry={overview.reload} />}
      {overview.data === null && overview.status === 'loading' && <Loading />}
      {overview.data && <OverviewTables overview={overview.data} />}
      <section aria-labelledby="outcomes-link-heading" className="stack-sm">
        <Heading level={2} data-size="xs" id="outcomes-link-heading">
          {t('research.outcomesTitle')}
        </Heading>
        <Paragraph>{t('research.outcomesIntro')}</Paragraph>
        <AppLink to="/research/outcomes">{t('research.outcomesLink')}</AppLink>
      </section>
      <RegistryAnalysis />
      <SurveysSection />
      <section aria-labelledby="qualitative-heading" className="stack-sm">
        <Heading level={2} data-size="xs" id="qualitative-heading">
          {t('qual.heading')}
        </Heading>
        <Paragraph>{t('qual.intro')}</Paragraph>
        <AppLink to="/research/qualitative">{t('qual.link')}</AppLink>
      </section>
    </div>
  );
}

function OverviewTables({ overview }: { overview: ResearchOverview }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const threshold = overview.suppressionThreshold;
  const count = (value: number | null): ReactNode =>
    value === null ? (
      <span className="suppressed">{t('research.suppressed', { threshold })}</span>
    ) : (
      formatNumber(value, language)
    );

  return (
    <div className="stack-lg">
      <Paragraph data-size="sm">
        {t('research.generatedAt', { date: formatDateTime(overview.generatedAt, language) })}
      </Paragraph>
      <AggregateTable
        caption={t('research.totalsCaption')}
        labelHeader={t('research.totalsMeasure')}
        rows={[
          { key: 'patients', label: t('research.patients'), value: count(overview.totals.patients) },
          { key: 'responses', label: t('research.responses'), value: count(overview.totals.responses) },
        ]}
      />
      <AggregateTable
        caption={t('research.programCaption')}
        labelHeader={t('research.programStatus')}
        rows={overview.programStatus.map((row) => ({
          key: row.status,
          label: programStatusLabel(t, row.status),
          value: count(row.count),
        }))}
      />
      <AggregateTable
        caption={t('research.severityCaption')}
        labelHeader={t('research.severity')}
        rows={overview.latestPhq9Severity.map((row) => ({
          key: row.severity,
          label: severityLabel(t, row.severity),
          value: count(row.count),
        }))}
      />
    </div>
  );
}

function AggregateTable(props: {
  caption: string;
  labelHeader: string;
  rows: Array<{ key: string; label: string; value: ReactNode }>;
}) {
  const { t } = useTranslation();
  return (
    <TableScroll label={props.caption}>
      <Table zebra data-color="neutral" className="data-table aggregate-table">
        <caption>{props.caption}</caption>
        <Table.Head>
          <Table.Row>
            <Table.HeaderCell scope="col">{props.labelHeader}</Table.HeaderCell>
            <Table.HeaderCell scope="col" className="numeric">
              {t('research.count')}
            </Table.HeaderCell>
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {props.rows.map((row) => (
            <Table.Row key={row.key}>
              <Table.HeaderCell scope="row">{row.label}</Table.HeaderCell>
              <Table.Cell className="numeric">{row.value}</Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
    </TableScroll>
  );
}
