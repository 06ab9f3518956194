/**
 * The practice: who has active plans, who has overdue follow-ups, who is away and who covers;
 * and, for an absent colleague's patients this GP covers, "take over this follow-up" so no
 * follow-up waits for one GP's holiday; and where urgent-case notifications go (NotificationSettings).
 */
import { Button, Paragraph, Table, Tag } from '@digdir/designsystemet-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useUser } from '../../app/session.js';
import { AppLink } from '../../components/AppLink.js';
import { describeError } from '../../components/errors.js';
import { LoadError } from '../../components/LoadError.js';
import { Loading } from '../../components/Loading.js';
import { PageHeading } from '../../components/PageHeading.js';
import { TableScroll } from '../../components/TableScroll.js';
import { formatDate, formatLongDate, formatTime } from '../../format.js';
import { useApiData } from '../../hooks/useApiData.js';
import { usePageTitle } from '../../hooks/usePageTitle.js';
import { useLanguage } from '../../i18n/useLanguage.js';
import type { CoveredPatient, PracticeGp } from '../../../contract/gp.js';
import { gpApi } from './gp-api.js';
import { EmergencyAccessSection } from './EmergencyAccessSection.js';
import { NotificationSettings } from './NotificationSettings.js';
import { GpBreadcrumbs, GpSection, MessageLine, type Message } from './parts.js';
import { PracticeOutcomesSection } from './OutcomesPage.js';
import { cardPath, patientPagePath } from './paths.js';
import './FollowUpPlan.css';
import './PracticePage.css';

export function PracticePage() {
  const { t } = useTranslation();
  const user = useUser();
  usePageTitle(t('gp.practicePage.title'));
  const practice = useApiData((signal) => gpApi.practice(signal), []);
  const [message, setMessage] = useState<Message>(null);

  return (
    <div className="page gp-page stack-lg">
      <div className="stack-sm">
        <GpBreadcrumbs crumbs={[{ label: t('gp.nav.practice') }]} />
        <PageHeading>{t('gp.practicePage.heading')}</PageHeading>
        {user.practiceName && <Paragraph className="page-subtitle">{user.practiceName}</Paragraph>}
      </div>
      <MessageLine message={message} />
      {practice.status === 'error' && <LoadError error={practice.error} onRetry={practice.reload} />}
      {!practice.data && practice.status === 'loading' && <Loading />}
      <GpSection id="urgent-cases" title={t('gp.practicePage.urgentHeading')} testId="practice-urgent">
        <PracticeUrgentCases />
      </GpSection>
      <GpSection id="emergency-access" title={t('gp.emergency.heading')} testId="emergency-access">
        <EmergencyAccessSection />
      </GpSection>
      {practice.data && (
        <>
          <GpSection id="gps" title={t('gp.practicePage.gpsHeading')}>
            <GpTable gps={practice.data.gps} myId={user.id} />
          </GpSection>
          <GpSection id="covering" title={t('gp.practicePage.coveringHeading')} testId="covering">
            <CoveringList
              items={practice.data.covering}
              myId={user.id}
              myName={user.displayName}
              onTaken={(item) => {
                setMessage({ kind: 'success', text: t('gp.practicePage.taken', { name: item.patientName }) });
                practice.reload();
              }}
              onError={(text) => setMessage({ kind: 'danger', text })}
            />
          </GpSection>
          <Paragraph data-size="sm">
            <AppLink to="/gp#absence">{t('gp.practicePage.setAbsence')}</AppLink>
          </Paragraph>
        </>
      )}
      <PracticeOutcomesSection />
      <NotificationSettings />
    </div>
  );
}

function GpTable({ gps, myId }: { gps: PracticeGp[]; myId: string }) {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <TableScroll label={t('gp.practicePage.gpsCaption')}>
      <Table data-color="neutral" className="data-table" data-testid="practice-gps">
        <caption>{t('gp.practicePage.gpsCaption')}</caption>
        <Table.Head>
          <Table.Row>
            <Table.HeaderCell scope="col">{t('gp.practicePage.gp')}</Table.HeaderCell>
            <Table.HeaderCell scope="col" className="numeric">
              {t('gp.practicePage.activePlans')}
            </Table.HeaderCell>
            <Table.HeaderCell scope="col" className="numeric">
              {t('gp.practicePage.overdue')}
            </Table.HeaderCell>
            <Table.HeaderCell scope="col">{t('gp.practicePage.absence')}</Table.HeaderCell>
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {gps.map((gp) => (
            <Table.Row key={gp.id}>
              <Table.HeaderCell scope="row">
                {gp.displayName}
                {gp.id === myId && <span className="cell-detail">{t('gp.practicePage.you')}</span>}
              </Table.HeaderCell>
              <Table.Cell className="numeric">{gp.activePlans}</Table.Cell>
              <Table.Cell className="numeric">
                {gp.overdueFollowUps > 0 ? (
                  <Tag data-color="warning" data-size="sm">
                    {gp.overdueFollowUps}
                  </Tag>
                ) : (
                  0
                )}
              </Table.Cell>
              <Table.Cell>
                {gp.absentUntil ? (
                  <>
                    {t('gp.practicePage.absentUntil', { date: formatDate(gp.absentUntil, language) })}
                    <span className="cell-detail">
                      {t('gp.practicePage.coveredBy', {
                        cover:
                          gp.coveredBy === 'practice' || !gp.coveredBy
                            ? t('gp.absence.wholePractice')
                            : gp.coveredBy,
                      })}
                    </span>
                  </>
                ) : (
                  <span className="muted">{t('gp.practicePage.present')}</span>
                )}
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
    </TableScroll>
  );
}

function CoveringList({
  items,
  myId,
  myName,
  onTaken,
  onError,
}: {
  items: CoveredPatient[];
  myId: string;
  myName: string;
  onTaken: (item: CoveredPatient) => void;
  onError: (text: string) => void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [pending, setPending] = useState<string | null>(null);

  async function takeOver(item: CoveredPatient) {
    if (!item.nextFollowUpId) return;
    setPending(item.patientId);
    try {
      await gpApi.changeFollowUp(item.patientId, item.nextFollowUpId, { gpUserId: myId });
      onTaken(item);
    } catch (error) {
      onError(describeError(t, error));
    } finally {
      setPending(null);
    }
  }

  if (items.length === 0) return <Paragraph className="muted">{t('gp.practicePage.noCovering')}</Paragraph>;
  return (
    <ul className="covering-list">
      {items.map((item) => (
        <li key={item.patientId} className="covering-list__item" data-testid="covering-item">
          <div className="covering-list__main">
            <AppLink to={patientPagePath(item.patientId)}>{item.patientName}</AppLink>
            <span className="muted">
              {t('gp.practicePage.holder', { name: item.gpName })}
              {item.nextFollowUpAt &&
                ` · ${formatLongDate(item.nextFollowUpAt, language)}, ${formatTime(item.nextFollowUpAt, language)}`}
            </span>
          </div>
          <div className="covering-list__actions">
            {item.overdue && (
              <Tag data-color="warning" data-size="sm">
                {t('gp.plan.status.overdue')}
              </Tag>
            )}
            {item.nextFollowUpId && (
              <AppLink to={cardPath(item.patientId, item.nextFollowUpId)}>{t('gp.plan.openCard')}</AppLink>
            )}
            {item.gpName === myName ? (
              <Tag data-color="success" data-size="sm">
                {t('gp.practicePage.yours')}
              </Tag>
            ) : (
              <Button
                type="button"
                variant="secondary"
                data-size="sm"
                loading={pending === item.patientId}
                disabled={pending !== null}
                onClick={() => void takeOver(item)}
              >
                {t('gp.practicePage.takeOver')}
                <span className="ds-sr-only"> {t('gp.acknowledgeFor', { name: item.patientName })}</span>
              </Button>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}

/** Open urgent cases in the practice that this GP may open, with their age and deadline. */
function PracticeUrgentCases() {
  const { t } = useTranslation();
  const language = useLanguage();
  const cases = useApiData((signal) => gpApi.practiceUrgentCases(signal), []);
  // The age is taken when the list loads (a reload updates it), not on every render.
  const [loadedAt] = useState(() => Date.now());
  if (cases.status === 'error') return <LoadError error={cases.error} onRetry={cases.reload} />;
  if (!cases.data) return <Loading />;
  if (cases.data.items.length === 0) return <Paragraph>{t('gp.practicePage.urgentNone')}</Paragraph>;
  return (
    <ul className="plain-list">
      {cases.data.items.map((c) => (
        <li key={c.caseId} className="stack-xs">
          <AppLink to={`${patientPagePath(c.patientId)}#urgent`}>{c.patientName}</AppLink>{' '}
          <span className="muted">
            {t('gp.practicePage.urgentAge', {
              hours: Math.max(0, Math.floor((loadedAt - new Date(c.openedAt).getTime()) / 3_600_000)),
              gp: c.gpName ?? '–',
              due: `${formatDate(c.dueAt, language)} ${formatTime(c.dueAt, language)}`,
            })}
          </span>{' '}
          {c.overdue && (
            <Tag data-color="danger" data-size="sm">
              {t('gp.urgent.overdue')}
            </Tag>
          )}{' '}
          {c.failedDeliveries > 0 && (
            <Tag data-color="warning" data-size="sm">
              {t('gp.practicePage.urgentFailed', { count: c.failedDeliveries })}
            </Tag>
          )}
        </li>
      ))}
    </ul>
  );
}
