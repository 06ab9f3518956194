/**
 * The admin page's view of background jobs (issue 18): per queue how many jobs wait, are retried,
 * run, finished or failed, and the latest failures with their reason. Jobs carry ids only, so
 * nothing here is health data.
 */
import { Button, Heading, Paragraph, Table } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { api, type JobsOverview } from '../../api/client.js';
import { LoadError } from '../../components/LoadError.js';
import { Loading } from '../../components/Loading.js';
import { TableScroll } from '../../components/TableScroll.js';
import { formatDateTime } from '../../format.js';
import { useApiData } from '../../hooks/useApiData.js';
import { useLanguage } from '../../i18n/useLanguage.js';

const QUEUE_KEYS = {
  'reminder-scan': 'adminJobs.queueReminderScan',
  'reminder-delivery': 'adminJobs.queueReminderDelivery',
  'urgent-escalation': 'adminJobs.queueUrgentEscalation',
  'notification-outbox': 'adminJobs.queueNotificationOutbox',
  'survey-outbox': 'adminJobs.queueSurveyOutbox',
} as const;

function isKnownQueue(queue: string): queue is keyof typeof QUEUE_KEYS {
  return queue in QUEUE_KEYS;
}

export function JobsSection() {
  const { t } = useTranslation();
  const jobs = useApiData((signal) => api.jobsOverview(signal), []);
  const queueLabel = (queue: string): string => (isKnownQueue(queue) ? t(QUEUE_KEYS[queue]) : queue);

  return (
    <section aria-labelledby="jobs-heading" className="stack-sm" data-testid="admin-jobs">
      <Heading level={2} data-size="sm" id="jobs-heading">
        {t('adminJobs.heading')}
      </Heading>
      <Paragraph>{t('adminJobs.intro')}</Paragraph>
      <div>
        <Button type="button" variant="secondary" loading={jobs.status === 'loading'} onClick={jobs.reload}>
          {t('adminJobs.refresh')}
        </Button>
      </div>
      {jobs.status === 'error' && <LoadError error={jobs.error} onRetry={jobs.reload} />}
      {jobs.data === null && jobs.status === 'loading' && <Loading />}
      {jobs.data && !jobs.data.running && <Paragraph>{t('adminJobs.notRunning')}</Paragraph>}
      {jobs.data?.running && <JobTables overview={jobs.data} queueLabel={queueLabel} />}
    </section>
  );
}

function JobTables({ overview, queueLabel }: { overview: JobsOverview; queueLabel: (q: string) => string }) {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <>
      <TableScroll label={t('adminJobs.queuesCaption')}>
        <Table zebra data-color="neutral" className="data-table" data-testid="admin-jobs-queues">
          <caption>{t('adminJobs.queuesCaption')}</caption>
          <Table.Head>
            <Table.Row>
              <Table.HeaderCell scope="col">{t('adminJobs.queue')}</Table.HeaderCell>
              <Table.HeaderCell scope="col">{t('adminJobs.queued')}</Table.HeaderCell>
              <Table.HeaderCell scope="col">{t('adminJobs.retry')}</Table.HeaderCell>
              <Table.HeaderCell scope="col">{t('adminJobs.running')}</Table.HeaderCell>
              <Table.HeaderCell scope="col">{t('adminJobs.completed')}</Table.HeaderCell>
              <Table.HeaderCell scope="col">{t('adminJobs.failed')}</Table.HeaderCell>
            </Table.Row>
          </Table.Head>
          <Table.Body>
            {overview.queues.map((q) => (
              <Table.Row key={q.queue}>
                <Table.HeaderCell scope="row">{queueLabel(q.queue)}</Table.HeaderCell>
                <Table.Cell>{q.queued}</Table.Cell>
                <Table.Cell>{q.retry}</Table.Cell>
                <Table.Cell>{q.running}</Table.Cell>
                <Table.Cell>{q.completed}</Table.Cell>
                <Table.Cell>{q.failed}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      </TableScroll>
      <Heading level={3} data-size="xs" id="jobs-failures-heading">
        {t('adminJobs.failuresHeading')}
      </Heading>
      {overview.failures.length === 0 ? (
        <Paragraph>{t('adminJobs.noFailures')}</Paragraph>
      ) : (
        <TableScroll label={t('adminJobs.failuresHeading')}>
          <Table zebra data-color="neutral" className="data-table" data-testid="admin-jobs-failures">
            <caption className="ds-sr-only">{t('adminJobs.failuresHeading')}</caption>
            <Table.Head>
              <Table.Row>
                <Table.HeaderCell scope="col">{t('adminJobs.queue')}</Table.HeaderCell>
                <Table.HeaderCell scope="col">{t('adminJobs.state')}</Table.HeaderCell>
                <Table.HeaderCell scope="col">{t('adminJobs.attempts')}</Table.HeaderCell>
                <Table.HeaderCell scope="col">{t('adminJobs.when')}</Table.HeaderCell>
                <Table.HeaderCell scope="col">{t('adminJobs.reason')}</Table.HeaderCell>
              </Table.Row>
            </Table.Head>
            <Table.Body>
              {overview.failures.map((f) => (
                <Table.Row key={f.id}>
                  <Table.HeaderCell scope="row">{queueLabel(f.queue)}</Table.HeaderCell>
                  <Table.Cell>
                    {f.state === 'failed' ? t('adminJobs.stateFailed') : t('adminJobs.stateRetry')}
                  </Table.Cell>
                  <Table.Cell>{f.attempts}</Table.Cell>
                  <Table.Cell className="nowrap">{f.at ? formatDateTime(f.at, language) : ''}</Table.Cell>
                  <Table.Cell>{f.error}</Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        </TableScroll>
      )}
    </>
  );
}
