/**
 * The patient's messages with their care team (issue 17): the expected answer time stated plainly,
 * that messages are not read outside working hours and are not for urgent matters, the crisis
 * numbers, who can read and answer, a new message and the threads with read receipts.
 */
import { Heading, Paragraph } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { messagesApi } from '../../../api/messages-api.js';
import { LoadError } from '../../../components/LoadError.js';
import { Loading } from '../../../components/Loading.js';
import { MessageSafety } from '../../../components/messages/MessageSafety.js';
import { NewThreadForm } from '../../../components/messages/NewThreadForm.js';
import { ThreadList } from '../../../components/messages/ThreadList.js';
import { PageHeading } from '../../../components/PageHeading.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { usePageTitle } from '../../../hooks/usePageTitle.js';
import { usePatientId } from '../usePatientId.js';
import './MessagesPage.css';

export function MessagesPage() {
  const { t } = useTranslation();
  usePageTitle(t('messaging.heading'));
  const patientId = usePatientId();
  const threads = useApiData((signal) => messagesApi.threads(patientId, signal), [patientId]);
  const names = threads.data?.careTeam.map((p) => p.name).join(', ');

  return (
    <div className="page stack-lg messages-page">
      <div className="stack-sm">
        <PageHeading>{t('messaging.heading')}</PageHeading>
        <Paragraph>{t('messaging.intro')}</Paragraph>
        {names && <Paragraph data-testid="care-team">{t('messaging.careTeam', { names })}</Paragraph>}
      </div>
      <MessageSafety face="patient" workingDays={threads.data?.expectedAnswer.workingDays} />
      <NewThreadForm patientId={patientId} onSent={threads.reload} />
      <section aria-labelledby="threads-heading" className="stack-sm">
        <Heading level={2} data-size="xs" id="threads-heading">
          {t('messaging.threadsHeading')}
        </Heading>
        {threads.status === 'error' && <LoadError error={threads.error} onRetry={threads.reload} />}
        {!threads.data && threads.status === 'loading' && <Loading />}
        {threads.data && (
          <ThreadList patientId={patientId} threads={threads.data.threads} onChanged={threads.reload} />
        )}
      </section>
    </div>
  );
}
