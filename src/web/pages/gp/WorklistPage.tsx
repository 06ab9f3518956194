/**
 * The GP's start page (answers "no time"): today's and this week's follow-ups first, with whether
 * the patient has sent an agenda; then only what needs attention, most urgent first, each saying
 * why in words and linking to the patient. Crisis resources sit next to every item-9 answer.
 * Beside it: shortcuts and the absence setting, so urgent alerts never wait for one GP's holiday.
 */
import { Heading, Paragraph, Tag } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { useUser } from '../../app/session.js';
import { AppLink } from '../../components/AppLink.js';
import { CrisisNote } from '../../components/CrisisNote.js';
import { LoadError } from '../../components/LoadError.js';
import { Loading } from '../../components/Loading.js';
import { PageHeading } from '../../components/PageHeading.js';
import { formatTime } from '../../format.js';
import { useApiData } from '../../hooks/useApiData.js';
import { usePageTitle } from '../../hooks/usePageTitle.js';
import { useLanguage } from '../../i18n/useLanguage.js';
import { AbsenceSection } from './AbsenceSection.js';
import type { WorklistAttention, WorklistFollowUp } from '../../../contract/gp.js';
import { gpApi } from './gp-api.js';
import { moduleLabel, reasonAction, reasonText } from './labels.js';
import { GpSection } from './parts.js';
import { cardPath, messagesPath, patientPagePath } from './paths.js';
import { formatDayShort } from './time.js';
import './WorklistPage.css';

export function WorklistPage() {
  const { t } = useTranslation();
  const user = useUser();
  usePageTitle(t('gp.worklist.title'));
  const worklist = useApiData((signal) => gpApi.worklist(signal), []);

  return (
    <div className="page stack-lg gp-page">
      <div>
        <PageHeading>{t('gp.worklist.heading')}</PageHeading>
        <Paragraph className="page-subtitle">
          {user.practiceName
            ? t('gp.worklist.subtitlePractice', { name: user.displayName, practice: user.practiceName })
            : user.displayName}
        </Paragraph>
      </div>
      <div className="worklist-grid">
        <div className="stack-lg worklist-main">
          {worklist.status === 'error' && <LoadError error={worklist.error} onRetry={worklist.reload} />}
          {!worklist.data && worklist.status === 'loading' && <Loading />}
          {worklist.data && (
            <>
              <FollowUpsSection followUps={worklist.data.followUps} />
              <AttentionSection items={worklist.data.attention} />
            </>
          )}
        </div>
        <aside className="stack-lg worklist-aside" aria-label={t('gp.worklist.asideLabel')}>
          <GpSection id="shortcuts" title={t('gp.worklist.shortcuts')}>
            <ul className="link-list">
              <li>
                <AppLink to="/gp/patients">{t('gp.nav.patients')}</AppLink>
                <span className="link-list__hint">{t('gp.worklist.patientsHint')}</span>
              </li>
              <li>
                <AppLink to="/gp/practice">{t('gp.nav.practice')}</AppLink>
                <span className="link-list__hint">{t('gp.worklist.practiceHint')}</span>
              </li>
              <li>
                <AppLink to="/gp/caseload">{t('gp.nav.caseload')}</AppLink>
                <span className="link-list__hint">{t('gp.worklist.caseloadHint')}</span>
              </li>
              <li>
                <AppLink to="/gp/manual/m1">{t('gp.nav.manual')}</AppLink>
                <span className="link-list__hint">{t('gp.worklist.manualHint')}</span>
              </li>
            </ul>
          </GpSection>
          <AbsenceSection onChanged={worklist.reload} />
        </aside>
      </div>
    </div>
  );
}

function FollowUpsSection({ followUps }: { followUps: WorklistFollowUp[] }) {
  const { t } = useTranslation();
  const today = followUps.filter((f) => f.when === 'today');
  const week = followUps.filter((f) => f.when === 'this_week');
  return (
    <GpSection
      id="follow-ups"
      title={t('gp.worklist.followUpsHeading')}
      aside={<span className="gp-count">{t('gp.worklist.followUpsCount', { count: followUps.length })}</span>}
      testId="worklist-follow-ups"
    >
      {followUps.length === 0 ? (
        <Paragraph className="muted">{t('gp.worklist.noFollowUps')}</Paragraph>
      ) : (
        <div className="stack-md">
          <FollowUpGroup title={t('gp.worklist.today')} items={today} empty={t('gp.worklist.noneToday')} />
          {week.length > 0 && <FollowUpGroup title={t('gp.worklist.laterThisWeek')} items={week} showDate />}
        </div>
      )}
    </GpSection>
  );
}

function FollowUpGroup({
  title,
  items,
  empty,
  showDate = false,
}: {
  title: string;
  items: WorklistFollowUp[];
  empty?: string;
  showDate?: boolean;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <div className="stack-sm">
      <Heading level={3} data-size="2xs">
        {title}
      </Heading>
      {items.length === 0 ? (
        <Paragraph data-size="sm" className="muted">
          {empty}
        </Paragraph>
      ) : (
        <ul className="follow-up-list">
          {items.map((item) => (
            <li key={item.id} className="follow-up-row" data-testid="worklist-follow-up">
              <span className="follow-up-row__time">
                {showDate && (
                  <span className="follow-up-row__date">{formatDayShort(item.plannedAt, language)}</span>
                )}
                <span>{formatTime(item.plannedAt, language)}</span>
              </span>
              <span className="follow-up-row__main">
                <AppLink to={cardPath(item.patientId, item.id)}>{item.patientName}</AppLink>
                <span className="follow-up-row__detail">
                  {moduleLabel(t, item.moduleId)} · {t('gp.minutes', { count: item.durationMinutes })}
                </span>
              </span>
              {item.agendaReady ? (
                <Tag data-color="success" data-size="sm" className="follow-up-row__tag">
                  {t('gp.worklist.agendaReady')}
                </Tag>
              ) : (
                <Tag data-color="neutral" data-size="sm" className="follow-up-row__tag">
                  {t('gp.worklist.noAgenda')}
                </Tag>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** One patient's items together, in the server's order (most urgent first). */
interface AttentionGroup {
  key: string;
  patientId: string;
  patientName: string;
  covering: boolean;
  items: WorklistAttention[];
}

function groupByPatient(items: WorklistAttention[]): AttentionGroup[] {
  const groups = new Map<string, AttentionGroup>();
  for (const item of items) {
    const key = `${item.patientId}:${item.covering ? 'cover' : 'own'}`;
    const group = groups.get(key);
    if (group) group.items.push(item);
    else
      groups.set(key, {
        key,
        patientId: item.patientId,
        patientName: item.patientName,
        covering: item.covering,
        items: [item],
      });
  }
  return [...groups.values()];
}

function AttentionSection({ items }: { items: WorklistAttention[] }) {
  const { t } = useTranslation();
  const groups = groupByPatient(items);
  return (
    <GpSection
      id="attention"
      title={t('gp.worklist.attentionHeading')}
      aside={<span className="gp-count">{t('gp.worklist.attentionCount', { count: groups.length })}</span>}
      testId="worklist-attention"
    >
      <Paragraph data-size="sm" className="muted">
        {t('gp.worklist.attentionIntro')}
      </Paragraph>
      {groups.length === 0 ? (
        <Paragraph>{t('gp.worklist.nothingNeedsAttention')}</Paragraph>
      ) : (
        <ol className="attention-list">
          {groups.map((group) => (
            <AttentionCard key={group.key} group={group} />
          ))}
        </ol>
      )}
    </GpSection>
  );
}

function AttentionCard({ group }: { group: AttentionGroup }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const top = group.items[0]!;
  const urgent = group.items.some((item) => item.reason === 'item9_positive');
  const followUpId = group.items
    .map((item) => (typeof item.detail.followUpId === 'string' ? item.detail.followUpId : null))
    .find(Boolean);
  // An unanswered message is answered from the messages page, at its thread.
  const threadId = group.items
    .map((item) => (typeof item.detail.threadId === 'string' ? item.detail.threadId : null))
    .find(Boolean);

  return (
    <li
      className={`attention-item${urgent ? ' attention-item--urgent' : ''}`}
      data-testid="attention-item"
      data-reason={top.reason}
      data-covering={group.covering ? 'true' : 'false'}
    >
      <div className="attention-item__head">
        <AppLink to={patientPagePath(group.patientId)} className="attention-item__name">
          {group.patientName}
        </AppLink>
        <span className="attention-item__tags">
          {urgent && (
            <Tag data-color="danger" data-size="sm">
              {t('gp.worklist.urgent')}
            </Tag>
          )}
          {group.covering && (
            <Tag data-color="info" data-size="sm" data-testid="covering-tag">
              {t('gp.worklist.covering')}
            </Tag>
          )}
        </span>
      </div>
      <ul className="attention-item__reasons">
        {group.items.map((item, index) => (
          <li key={`${item.reason}-${item.at}-${index}`} data-reason={item.reason}>
            <span className="attention-item__reason" data-testid="attention-reason">
              {reasonText(t, item, language)}
            </span>
          </li>
        ))}
      </ul>
      <Paragraph data-size="sm" className="attention-item__action">
        {reasonAction(t, top)}{' '}
        {followUpId && (
          <AppLink to={`${patientPagePath(group.patientId)}#plan`}>{t('gp.worklist.openPlan')}</AppLink>
        )}{' '}
        {threadId && (
          <AppLink to={messagesPath(group.patientId, threadId)} data-testid="answer-message">
            {t('gp.worklist.answerLink')}
            <span className="ds-sr-only">{`: ${group.patientName}`}</span>
          </AppLink>
        )}
      </Paragraph>
      {group.items
        .filter((item) => item.reason === 'item9_positive')
        .map((item) => (
          <UrgentPart item={item} />
        ))}
    </li>
  );
}

/**
 * Next to an item-9 answer: the crisis resources, and the way to the open urgent case, where the
 * GP records what was done (contact, assessment, plan). No one-click "seen": seeing is not acting.
 */
function UrgentPart({ item }: { item: WorklistAttention }) {
  const { t } = useTranslation();
  return (
    <div className="attention-item__urgent stack-sm">
      <CrisisNote />
      <div>
        <AppLink to={`/gp/patients/${item.patientId}#urgent`}>
          {t('gp.urgent.recordLink')}
          <span className="ds-sr-only"> {t('gp.acknowledgeFor', { name: item.patientName })}</span>
        </AppLink>
      </div>
    </div>
  );
}
