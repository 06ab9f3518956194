/**
 * One patient, for the GP: where they are in the program, the one next action (recommend, a new
 * invitation code, or the next follow-up), the follow-up plan and the timeline. The
 * recommendation is one dialog and is recorded with its plan at once; the invitation letter with
 * its code is shown once, to print.
 */
import { Button, Card, Heading, Paragraph } from '@digdir/designsystemet-react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useUser } from '../../app/session.js';
import { AppLink } from '../../components/AppLink.js';
import { describeError } from '../../components/errors.js';
import { LoadError } from '../../components/LoadError.js';
import { Loading } from '../../components/Loading.js';
import { PageHeading } from '../../components/PageHeading.js';
import { formatDate, formatDateTime, formatLongDate, formatTime } from '../../format.js';
import { useApiData } from '../../hooks/useApiData.js';
import { usePageTitle } from '../../hooks/usePageTitle.js';
import { programStatusLabel } from '../../i18n/labels.js';
import { useLanguage } from '../../i18n/useLanguage.js';
import { mayIssueFirstLoginCode } from '../../../domain/access/patient-account.js';
import { AccountAccess } from './AccountAccess.js';
import { ModuleOpening } from './ModuleOpening.js';
import { OutcomeSummary } from './OutcomeSummary.js';
import { FollowUpPlan } from './FollowUpPlan.js';
import type { FollowUp, GuidanceLevel, Invitation, TimelineItem } from '../../../contract/followup.js';
import { gpApi } from './gp-api.js';
import { InvitationSection } from './InvitationLetter.js';
import { guidanceLabel, moduleLabel, timelineText } from './labels.js';
import { GpBreadcrumbs, GpSection, MessageLine, type Message } from './parts.js';
import { cardPath, messagesPath } from './paths.js';
import { RecommendDialog } from './RecommendDialog.js';
import { PatientMessages } from './PatientMessages.js';
import { GuidesSection } from './messages/GuidesSection.js';
import { UrgentCasePanel } from './UrgentCasePanel.js';
import './PatientPage.css';

export function PatientPage() {
  const { patientId = '' } = useParams();
  return <PatientView key={patientId} patientId={patientId} />;
}

function PatientView({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const user = useUser();
  const patient = useApiData((signal) => gpApi.patient(patientId, signal), [patientId]);
  const program = useApiData((signal) => gpApi.program(patientId, signal), [patientId]);
  const timeline = useApiData((signal) => gpApi.timeline(patientId, signal), [patientId]);
  const plan = useApiData((signal) => gpApi.followUps(patientId, signal), [patientId]);
  const outcome = useApiData((signal) => gpApi.patientOutcome(patientId, signal), [patientId]);
  const colleagues = useApiData((signal) => gpApi.absences(signal), []);
  /** The plan as a change returned it, until the plan is loaded again. */
  const [changedPlan, setChangedPlan] = useState<FollowUp[] | null>(null);
  const planItems = changedPlan ?? plan.data?.items ?? null;
  const [dialogOpen, setDialogOpen] = useState(false);
  const [invitation, setInvitation] = useState<{ invitation: Invitation; level: GuidanceLevel } | null>(null);
  const [message, setMessage] = useState<Message>(null);
  const [issuing, setIssuing] = useState(false);
  const letterRef = useRef<HTMLDivElement>(null);

  const name = patient.data?.displayName ?? '';
  usePageTitle(name || t('gp.patient.title'));

  // The letter appears after recommending or issuing a code: take the reader there.
  useEffect(() => {
    if (invitation) letterRef.current?.querySelector<HTMLElement>('h2')?.focus();
  }, [invitation]);

  const recommended = timeline.data?.items.find((i) => i.kind === 'recommended');
  const guidance = recommendedLevel(recommended);
  const latestPhq9 = timeline.data?.items.find((i) => i.kind === 'phq9');

  function reloadAll() {
    patient.reload();
    program.reload();
    timeline.reload();
    outcome.reload();
    setChangedPlan(null);
    plan.reload();
  }

  async function issueCode() {
    setIssuing(true);
    setMessage(null);
    try {
      const result = await gpApi.newInvitation(patientId);
      setInvitation({ invitation: result, level: guidance ?? 'guided' });
      timeline.reload();
    } catch (error) {
      setMessage({ kind: 'danger', text: describeError(t, error) });
    } finally {
      setIssuing(false);
    }
  }

  if (patient.status === 'error') {
    return (
      <div className="page stack-md gp-page">
        <GpBreadcrumbs
          crumbs={[{ label: t('gp.nav.patients'), to: '/gp/patients' }, { label: t('gp.patient.title') }]}
        />
        <PageHeading>{t('gp.patient.title')}</PageHeading>
        <LoadError error={patient.error} onRetry={patient.reload} />
      </div>
    );
  }
  if (!patient.data) return <Loading />;
  const status = patient.data.program.status;
  // A code only for a patient who cannot log in yet (domain/access/patient-account.ts).
  const canReceiveCode = mayIssueFirstLoginCode(patient.data.account.state);
  const next = program.data?.nextFollowUp ?? null;

  return (
    <div className="page stack-lg gp-page patient-page">
      <div className="stack-sm">
        <GpBreadcrumbs crumbs={[{ label: t('gp.nav.patients'), to: '/gp/patients' }, { label: name }]} />
        <PageHeading>{name}</PageHeading>
        <Paragraph className="page-subtitle">
          {t('gp.patient.subtitle', { year: patient.data.birthYear, sex: t(`sex.${patient.data.sex}`) })}
        </Paragraph>
      </div>
      <MessageLine message={message} />
      <UrgentCasePanel patientId={patientId} onClosed={reloadAll} />
      <PatientMessages patientId={patientId} />
      <Paragraph>
        <AppLink to={messagesPath(patientId)} data-testid="patient-messages-link">
          {t('gp.threads.patientPageLink')}
        </AppLink>
      </Paragraph>

      {invitation && (
        <div ref={letterRef}>
          <InvitationSection
            invitation={invitation.invitation}
            patientName={name}
            gpName={user.displayName}
            practiceName={user.practiceName}
            guidanceLevel={invitation.level}
          />
        </div>
      )}

      <Card data-color="neutral" className="patient-summary" data-testid="patient-summary">
        <dl className="facts">
          <div>
            <dt>{t('gp.patient.status')}</dt>
            <dd data-testid="program-status">{programStatusLabel(t, status)}</dd>
          </div>
          <div>
            <dt>{t('gp.patient.modules')}</dt>
            <dd>{t('gp.patient.modulesValue', { count: patient.data.program.modulesCompleted })}</dd>
          </div>
          {guidance && (
            <div>
              <dt>{t('gp.patient.guidance')}</dt>
              <dd>{guidanceLabel(t, guidance)}</dd>
            </div>
          )}
          <div>
            <dt>{t('gp.patient.latestPhq9')}</dt>
            <dd>
              {latestPhq9
                ? t('gp.patient.latestPhq9Value', {
                    score: latestPhq9.detail.total ?? '?',
                    date: formatDate(latestPhq9.at, language),
                  })
                : t('gp.patient.noPhq9')}
            </dd>
          </div>
          {program.data?.startedAt && (
            <div>
              <dt>{t('gp.patient.started')}</dt>
              <dd>{formatDate(program.data.startedAt, language)}</dd>
            </div>
          )}
        </dl>
      </Card>

      {(status === 'not_recommended' || status === 'stopped') && (
        <GpSection id="recommend" title={t('gp.patient.recommendHeading')}>
          <div className="stack-sm">
            <Paragraph>{t('gp.patient.recommendIntro')}</Paragraph>
            <div>
              <Button type="button" data-color="accent" onClick={() => setDialogOpen(true)}>
                {t('gp.patient.recommend')}
              </Button>
            </div>
          </div>
        </GpSection>
      )}
      {status === 'recommended' && !invitation && canReceiveCode && (
        <GpSection id="invitation" title={t('gp.patient.notStartedHeading')}>
          <div className="stack-sm">
            <Paragraph>
              {recommended
                ? t('gp.patient.notStarted', { date: formatDate(recommended.at, language) })
                : t('gp.patient.notStartedNoDate')}
            </Paragraph>
            <div>
              <Button type="button" variant="secondary" loading={issuing} onClick={() => void issueCode()}>
                {t('gp.patient.newCode')}
              </Button>
            </div>
            <Paragraph data-size="sm" className="muted">
              {t('gp.patient.newCodeHelp')}
            </Paragraph>
          </div>
        </GpSection>
      )}
      {next && (status === 'active' || status === 'recommended') && (
        <Card data-color="accent" className="next-follow-up" data-testid="next-follow-up">
          <Heading level={2} data-size="2xs">
            {t('gp.patient.nextFollowUp')}
          </Heading>
          <Paragraph>
            {formatLongDate(next.plannedAt, language)}, {formatTime(next.plannedAt, language)} ·{' '}
            {moduleLabel(t, next.moduleId)}
          </Paragraph>
          <Paragraph>
            <AppLink to={cardPath(patientId, next.id)}>{t('gp.patient.openCard')}</AppLink>
          </Paragraph>
        </Card>
      )}

      {program.data && status === 'active' && (
        <ModuleOpening
          patientId={patientId}
          program={program.data}
          onOpened={() => {
            program.reload();
            timeline.reload();
          }}
        />
      )}

      <GpSection id="plan" title={t('gp.plan.heading')}>
        {plan.status === 'error' && <LoadError error={plan.error} onRetry={plan.reload} />}
        {planItems === null && plan.status === 'loading' && <Loading />}
        {planItems && (
          <FollowUpPlan
            patientId={patientId}
            patientName={name}
            items={planItems}
            colleagues={colleagues.data?.colleagues ?? []}
            canEdit={status !== 'not_recommended'}
            onChanged={(items) => {
              setChangedPlan(items);
              program.reload();
            }}
          />
        )}
      </GpSection>

      <GpSection id="outcome" title={t('gp.outcome.heading')} testId="patient-outcome">
        {outcome.status === 'error' && <LoadError error={outcome.error} onRetry={outcome.reload} />}
        {!outcome.data && outcome.status === 'loading' && <Loading />}
        {outcome.data && <OutcomeSummary outcome={outcome.data} />}
      </GpSection>

      <AccountAccess patientId={patientId} account={patient.data.account} onChanged={reloadAll} />

      <GpSection id="timeline" title={t('gp.timeline.heading')}>
        {timeline.status === 'error' && <LoadError error={timeline.error} onRetry={timeline.reload} />}
        {!timeline.data && timeline.status === 'loading' && <Loading />}
        {timeline.data && <Timeline items={timeline.data.items} />}
      </GpSection>
      <GuidesSection patientId={patientId} />

      <RecommendDialog
        open={dialogOpen}
        patientId={patientId}
        patientName={name}
        onClose={() => setDialogOpen(false)}
        onRecommended={(result) => {
          setDialogOpen(false);
          if (result.invitation)
            setInvitation({ invitation: result.invitation, level: result.guidanceLevel });
          setMessage({
            kind: 'success',
            text: result.invitation
              ? t('gp.patient.recommended', { count: result.followUps.length })
              : t('gp.patient.recommendedHasAccount'),
          });
          reloadAll();
        }}
      />
    </div>
  );
}

function recommendedLevel(item: TimelineItem | undefined): GuidanceLevel | null {
  const level = item?.detail.guidanceLevel;
  return level === 'guided' || level === 'minimal' || level === 'self' ? level : null;
}

function Timeline({ items }: { items: TimelineItem[] }) {
  const { t } = useTranslation();
  const language = useLanguage();
  if (items.length === 0)
    return (
      <Paragraph className="muted" data-testid="timeline-empty">
        {t('gp.timeline.empty')}
      </Paragraph>
    );
  return (
    <ol className="timeline" data-testid="timeline">
      {items.map((item, index) => (
        <li
          key={`${item.at}-${item.kind}-${index}`}
          className={`timeline__item timeline__item--${item.kind}`}
        >
          <time dateTime={item.at} className="timeline__time">
            {formatDateTime(item.at, language)}
          </time>
          <span className="timeline__text">{timelineText(t, item)}</span>
        </li>
      ))}
    </ol>
  );
}
