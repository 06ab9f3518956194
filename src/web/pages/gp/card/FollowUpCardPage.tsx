/**
 * The follow-up card: everything for a 20-minute consultation on one screen, in the order the
 * talk goes. The patient's own agenda first (answers "clash with patient-centred talk" and "no
 * feedback"); item-9 alerts with crisis numbers; what they did since last time; PHQ-9 and WSAS
 * over time; what they chose to share; the module's digest, questions and everyday bridges with
 * the GP manual one click away (answers "no module knowledge" and "the manual lost"); work; the
 * treat-to-target decision when due; and the note that becomes text for the record ("no time").
 *
 * Over 400 lines on purpose: the sections follow the order of the talk, and reading them in one
 * file is how a reviewer checks that order; each section's widgets live in files beside it.
 */
import { Heading, Paragraph, Tag } from '@digdir/designsystemet-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api } from '../../../api/client.js';
import { AppLink } from '../../../components/AppLink.js';
import { CrisisNote } from '../../../components/CrisisNote.js';
import { LoadError } from '../../../components/LoadError.js';
import { Loading } from '../../../components/Loading.js';
import { PageHeading } from '../../../components/PageHeading.js';
import { formatDate, formatDateTime, formatLongDate, formatTime } from '../../../format.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { usePageTitle } from '../../../hooks/usePageTitle.js';
import type { Language } from '../../../i18n/index.js';
import { useLanguage } from '../../../i18n/useLanguage.js';
import { decisionPointDue } from '../../../../domain/followup/treat-to-target.js';
import type { FollowUpCard, NoteWritten } from '../../../../contract/followup.js';
import { gpApi } from '../gp-api.js';
import { bridgeContextLabel, frequencyText, moduleLabel, sickLeaveText, workStatusLabel } from '../labels.js';
import { GpBreadcrumbs, GpSection } from '../parts.js';
import { manualPath, messagesPath, patientPagePath, patientViewPath } from '../paths.js';
import { DecisionPoint } from './DecisionPoint.js';
import { PatientMessages } from '../PatientMessages.js';
import { UrgentCasePanel } from '../UrgentCasePanel.js';
import { NoteForm, NoteSaved } from './NoteForm.js';
import { SendToRecord } from './SendToRecord.js';
import { ScoresChart } from './ScoresChart.js';
import { OutcomeSummary } from '../OutcomeSummary.js';
import './FollowUpCardPage.css';

/** An exercise the patient shared, as the card shows it. */
type SharedEntry = FollowUpCard['shared'][number];

export function FollowUpCardPage() {
  const { patientId = '', followUpId = '' } = useParams();
  return <CardView key={`${patientId}/${followUpId}`} patientId={patientId} followUpId={followUpId} />;
}

function CardView({ patientId, followUpId }: { patientId: string; followUpId: string }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const card = useApiData(
    (signal) => gpApi.card(patientId, followUpId, language, signal),
    [patientId, followUpId, language]
  );
  const plan = useApiData((signal) => gpApi.followUps(patientId, signal), [patientId]);
  const otherLanguage: Language = language === 'nb' ? 'en' : 'nb';
  const otherTitles = useApiData((signal) => api.listModules(otherLanguage, signal), [otherLanguage]);
  const [saved, setSaved] = useState<NoteWritten | null>(null);

  const data = card.data;
  usePageTitle(data ? t('gp.card.title', { name: data.patient.displayName }) : t('gp.card.titlePlain'));

  const nextPlannedAt = useMemo(() => {
    if (!plan.data || !data) return null;
    const next = plan.data.items.find((f) => f.status === 'planned' && f.id !== data.followUp.id);
    return next?.plannedAt ?? null;
  }, [plan.data, data]);

  if (card.status === 'error' && !data) {
    return (
      <div className="page stack-md gp-page">
        <GpBreadcrumbs crumbs={[{ label: t('gp.card.titlePlain') }]} />
        <PageHeading>{t('gp.card.titlePlain')}</PageHeading>
        <LoadError error={card.error} onRetry={card.reload} />
      </div>
    );
  }
  if (!data) return <Loading />;

  const moduleId = data.module.id;
  const week =
    data.program.status === 'active'
      ? decisionPointDue(data.program.startedAt ? new Date(data.program.startedAt) : null, new Date())
      : null;
  // The card says which decisions are recorded: no second request for the timeline.
  const decided = week !== null && data.decisions.some((d) => d.week === week);
  const held = data.followUp.status !== 'planned';
  const latest = data.scores.phq9.at(-1) ?? null;

  const moduleTitleIn = (lang: Language) =>
    lang === language
      ? data.module.title
      : (otherTitles.data?.items.find((m) => m.id === moduleId)?.title ?? data.module.title);

  return (
    <div className="page gp-page card-page stack-lg" data-testid="follow-up-card">
      <header className="card-header stack-sm">
        <GpBreadcrumbs
          crumbs={[
            { label: data.patient.displayName, to: patientPagePath(patientId) },
            { label: t('gp.card.crumb') },
          ]}
        />
        <PageHeading>{t('gp.card.heading', { name: data.patient.displayName })}</PageHeading>
        <Paragraph className="page-subtitle" data-testid="card-subtitle">
          {formatLongDate(data.followUp.plannedAt, language)}, {formatTime(data.followUp.plannedAt, language)}{' '}
          · {t('gp.minutes', { count: data.followUp.durationMinutes })} ·{' '}
          {data.followUp.moduleId
            ? data.followUp.moduleId === moduleId
              ? moduleLabel(t, moduleId, data.module.title)
              : moduleLabel(t, data.followUp.moduleId)
            : t('gp.card.checkIn')}{' '}
          · {t('gp.card.born', { year: data.patient.birthYear })}
        </Paragraph>
        <div className="card-header__links">
          {data.followUp.moduleId &&
            (data.followUp.moduleId !== moduleId || !data.module.completedByPatient) && (
              // Planned after a module the patient has not done yet: the card shows what they have done.
              <Tag data-color="warning" data-size="sm" data-testid="module-not-done" className="tag--wrap">
                {data.module.completedByPatient
                  ? t('gp.card.moduleNotDone', {
                      planned: data.followUp.moduleId.slice(1),
                      done: data.module.number,
                    })
                  : t('gp.card.noModuleDone', { planned: data.followUp.moduleId.slice(1) })}
              </Tag>
            )}
          {held && (
            <Tag data-color="success" data-size="sm">
              {data.followUp.status === 'done' ? t('gp.plan.status.done') : t('gp.plan.status.missed')}
            </Tag>
          )}
          <AppLink to={manualPath(moduleId)} className="card-header__manual">
            {t('gp.card.manualLink', { number: data.module.number })}
          </AppLink>
          <AppLink to={patientPagePath(patientId)}>{t('gp.card.patientLink')}</AppLink>
        </div>
      </header>

      <UrgentCasePanel patientId={patientId} onClosed={card.reload} />
      {/* Two columns on a laptop screen: what to talk about on the left, the note on the right,
          both in view without scrolling in a 20-minute talk (one column on narrower screens). */}
      <div className="card-layout">
        <div className="card-layout__main stack-lg">
          <AgendaSection agenda={data.agenda} />
          <PatientMessages patientId={patientId} />
          <AlertsSection card={data} />
          <SinceSection card={data} />

          <GpSection id="scores" title={t('gp.card.scores.heading')} testId="card-scores">
            <div className="stack-sm">
              <ChangeLine card={data} />
              <ScoresChart scores={data.scores} />
            </div>
          </GpSection>

          <GpSection id="outcome" title={t('gp.outcome.heading')} testId="card-outcome">
            <OutcomeSummary outcome={data.outcome} />
          </GpSection>

          <MessagesSinceSection card={data} />
          <SharedSection shared={data.shared} />
          <ModuleSection card={data} />
          <WorkSection card={data} />

          {week !== null && !held && (
            <GpSection id="decision" title={t('gp.decision.heading', { week })} testId="card-decision">
              {decided ? (
                <Paragraph>{t('gp.decision.alreadyDecided', { week })}</Paragraph>
              ) : (
                <DecisionPoint
                  patientId={patientId}
                  week={week}
                  baseline={data.scores.baselinePhq9}
                  latest={latest?.total ?? null}
                  target={data.scores.target}
                  onDecided={() => {
                    card.reload();
                    plan.reload();
                  }}
                />
              )}
            </GpSection>
          )}
        </div>
        <aside className="card-layout__note" aria-label={t('gp.note.heading')}>
          <GpSection id="note" title={t('gp.note.heading')} testId="card-note">
            {saved ? (
              <NoteSaved result={saved} patientId={patientId} followUpId={followUpId} />
            ) : held ? (
              <HeldNote card={data} followUpId={followUpId} />
            ) : (
              <NoteForm
                card={data}
                nextPlannedAt={nextPlannedAt}
                moduleTitleIn={moduleTitleIn}
                onSaved={(result) => {
                  setSaved(result);
                  plan.reload();
                }}
              />
            )}
          </GpSection>
        </aside>
      </div>
    </div>
  );
}

function AgendaSection({ agenda }: { agenda: FollowUpCard['agenda'] }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const hasText = agenda && (agenda.talkAbout.trim() || agenda.tried.trim());
  return (
    <GpSection
      id="agenda"
      title={t('gp.card.agenda.heading')}
      className="card-agenda"
      testId="card-agenda"
      aside={
        agenda ? (
          <span className="gp-count">
            {t('gp.card.agenda.sent', { date: formatDateTime(agenda.updatedAt, language) })}
          </span>
        ) : undefined
      }
    >
      {hasText ? (
        <dl className="agenda">
          <div className="agenda__item">
            <dt>{t('gp.card.agenda.talkAbout')}</dt>
            {/* The patient's own words: text, never HTML. */}
            <dd className="patient-words">{agenda.talkAbout.trim() || t('gp.card.agenda.blank')}</dd>
          </div>
          <div className="agenda__item">
            <dt>{t('gp.card.agenda.tried')}</dt>
            <dd className="patient-words">{agenda.tried.trim() || t('gp.card.agenda.blank')}</dd>
          </div>
        </dl>
      ) : (
        <div className="stack-sm">
          <Paragraph>
            <strong>{t('gp.card.agenda.none')}</strong>
          </Paragraph>
          <Paragraph data-size="sm">{t('gp.card.agenda.suggestion')}</Paragraph>
        </div>
      )}
    </GpSection>
  );
}

function AlertsSection({ card }: { card: FollowUpCard }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const open = card.alerts.filter((a) => !a.acknowledgedAt);

  if (card.alerts.length === 0) {
    return (
      <GpSection id="alerts" title={t('gp.card.alerts.heading')} testId="card-alerts">
        <Paragraph data-size="sm" className="muted">
          {t('gp.card.alerts.none')}
        </Paragraph>
      </GpSection>
    );
  }
  return (
    <GpSection
      id="alerts"
      title={t('gp.card.alerts.heading')}
      className={open.length > 0 ? 'card-alerts card-alerts--open' : 'card-alerts'}
      testId="card-alerts"
      aside={
        open.length > 0 ? (
          <Tag data-color="danger" data-size="sm">
            {t('gp.card.alerts.openCount', { count: open.length })}
          </Tag>
        ) : undefined
      }
    >
      <div className="stack-sm">
        <ul className="alert-list">
          {card.alerts.map((alert) => (
            <li key={alert.id} className="alert-list__item">
              <span>
                {t('gp.card.alerts.item', {
                  score: alert.item9Score,
                  answer: frequencyText(alert.item9Score, language).toLowerCase(),
                  date: formatDateTime(alert.answeredAt, language),
                })}
              </span>
              {alert.acknowledgedAt ? (
                <span className="muted">
                  {t('gp.card.alerts.seen', { date: formatDateTime(alert.acknowledgedAt, language) })}
                </span>
              ) : (
                <a href="#urgent">{t('gp.urgent.recordLink')}</a>
              )}
            </li>
          ))}
        </ul>
        <CrisisNote />
      </div>
    </GpSection>
  );
}

function SinceSection({ card }: { card: FollowUpCard }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const s = card.sinceLastTime;
  const last = card.previousNotes[0];
  return (
    <GpSection
      id="since"
      title={t('gp.card.since.heading')}
      testId="card-since"
      aside={
        <span className="gp-count">{t('gp.card.since.since', { date: formatDate(s.since, language) })}</span>
      }
    >
      <div className="stack-md">
        <dl className="facts facts--compact">
          <div>
            <dt>{t('gp.card.since.modulesNew')}</dt>
            <dd data-testid="since-modules">
              {s.modulesCompleted.length > 0
                ? s.modulesCompleted.map((id) => moduleLabel(t, id)).join(', ')
                : t('gp.card.since.noModules')}
            </dd>
          </div>
          <div>
            <dt>{t('gp.card.since.modulesTotal')}</dt>
            <dd>{t('gp.card.since.modulesTotalValue', { count: s.modulesCompletedTotal })}</dd>
          </div>
          <div>
            <dt>{t('gp.card.since.time')}</dt>
            <dd>{t('gp.minutes', { count: s.minutesSpent })}</dd>
          </div>
          <div>
            <dt>{t('gp.card.since.shared')}</dt>
            <dd>{s.exercisesSaved}</dd>
          </div>
        </dl>
        <div className="homework-line">
          <Paragraph data-size="sm">
            <strong>{t('gp.card.since.homework', { module: moduleLabel(t, s.homework.moduleId) })}</strong>{' '}
            {s.homework.title}. {s.homework.description}
          </Paragraph>
        </div>
        {last && (
          <div className="last-agreed">
            <Paragraph data-size="sm">
              <strong>{t('gp.card.since.lastAgreed', { date: formatDate(last.createdAt, language) })}</strong>{' '}
              {[last.plan, last.nextStep].filter((x) => x.trim()).join(' ') ||
                t('gp.card.since.nothingNoted')}
            </Paragraph>
          </div>
        )}
      </div>
    </GpSection>
  );
}

function ChangeLine({ card }: { card: FollowUpCard }) {
  const { t } = useTranslation();
  const s = card.scores;
  const latest = s.phq9.at(-1);
  const wsasFirst = s.wsas[0];
  const wsasLast = s.wsas.at(-1);
  const change = s.changeSinceBaseline;
  return (
    <div className="change-line" data-testid="change-line">
      {latest && s.baselinePhq9 !== null ? (
        <p className="change-line__item">
          <span className="change-line__name">PHQ-9</span>{' '}
          <span className="change-line__value">
            {t('gp.card.scores.fromTo', { from: s.baselinePhq9, to: latest.total })}
          </span>{' '}
          <span
            className={`change-line__delta ${change !== null && change < 0 ? 'is-better' : change ? 'is-worse' : ''}`}
          >
            {change === null || change === 0
              ? t('gp.card.scores.noChange')
              : t(change < 0 ? 'gp.card.scores.changeBetter' : 'gp.card.scores.changeWorse', {
                  delta: `${change > 0 ? '+' : '−'}${Math.abs(change)}`,
                  percent: s.baselinePhq9 > 0 ? Math.round((Math.abs(change) / s.baselinePhq9) * 100) : 0,
                })}
          </span>
        </p>
      ) : latest ? (
        <p className="change-line__item">
          <span className="change-line__name">PHQ-9</span>{' '}
          <span className="change-line__value">{latest.total}</span>
        </p>
      ) : null}
      {latest && (
        <p className="change-line__item">
          <span className="change-line__name">{t('gp.card.scores.item9')}</span>{' '}
          <span className="change-line__value">{latest.item9}</span>
        </p>
      )}
      {wsasFirst && wsasLast && (
        <p className="change-line__item">
          <span className="change-line__name">WSAS</span>{' '}
          <span className="change-line__value">
            {s.wsas.length > 1
              ? t('gp.card.scores.fromTo', { from: wsasFirst.total, to: wsasLast.total })
              : wsasLast.total}
          </span>
        </p>
      )}
    </div>
  );
}

function answerText(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (value === null || value === undefined) return '';
  return String(value);
}

/** Issue 17: the thread messages since the last held follow-up, with the way to answer them. */
function MessagesSinceSection({ card }: { card: FollowUpCard }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const messages = card.messagesSince;
  return (
    <GpSection
      id="messages-since"
      title={t('gp.card.messagesHeading')}
      testId="card-messages"
      aside={<AppLink to={messagesPath(card.patient.id)}>{t('gp.threads.patientPageLink')}</AppLink>}
    >
      {messages.length === 0 ? (
        <Paragraph data-size="sm" className="muted">
          {t('gp.card.noMessages')}
        </Paragraph>
      ) : (
        <ul className="shared-list">
          {messages.map((m) => (
            <li key={m.id} className="shared-entry" data-testid="card-message">
              <p className="shared-entry__title">
                <strong>{m.subject}</strong>{' '}
                <span className="muted">
                  {m.authorName} · {formatDateTime(m.sentAt, language)}
                </span>
              </p>
              <p className="patient-words">{m.body}</p>
            </li>
          ))}
        </ul>
      )}
    </GpSection>
  );
}

function SharedSection({ shared }: { shared: SharedEntry[] }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const recent = shared.slice(0, 3);
  const older = shared.slice(3);
  const entry = (e: SharedEntry) => (
    <li key={e.id} className="shared-entry" data-testid="shared-entry">
      <p className="shared-entry__title">
        <strong>{e.exerciseTitle}</strong>{' '}
        <span className="muted">
          {moduleLabel(t, e.moduleId)} · {formatDate(e.updatedAt, language)}
        </span>
      </p>
      <dl className="shared-entry__answers">
        {e.answers.map((answer, index) => (
          <div key={index}>
            <dt>{answer.label}</dt>
            <dd className="patient-words">{answerText(answer.value)}</dd>
          </div>
        ))}
      </dl>
    </li>
  );
  return (
    <GpSection
      id="shared"
      title={t('gp.card.shared.heading')}
      testId="card-shared"
      aside={<span className="gp-count">{t('gp.card.shared.count', { count: shared.length })}</span>}
    >
      {shared.length === 0 ? (
        <Paragraph data-size="sm" className="muted">
          {t('gp.card.shared.none')}
        </Paragraph>
      ) : (
        <div className="stack-sm">
          <ul className="shared-list">{recent.map(entry)}</ul>
          {older.length > 0 && (
            <details>
              <summary>{t('gp.card.shared.older', { count: older.length })}</summary>
              <ul className="shared-list">{older.map(entry)}</ul>
            </details>
          )}
          <Paragraph data-size="sm" className="muted">
            {t('gp.card.shared.onlyShared')}
          </Paragraph>
        </div>
      )}
    </GpSection>
  );
}

function ModuleSection({ card }: { card: FollowUpCard }) {
  const { t } = useTranslation();
  const m = card.module;
  return (
    <GpSection
      id="module"
      title={t('gp.card.module.heading', { module: moduleLabel(t, m.id, m.title) })}
      testId="card-module"
    >
      <div className="module-grid">
        <div className="stack-sm">
          <Heading level={3} data-size="2xs">
            {t('gp.card.module.digest')}
          </Heading>
          <ul className="digest" data-testid="module-digest">
            {m.digest.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
        <div className="stack-sm">
          <Heading level={3} data-size="2xs">
            {t('gp.card.module.questions')}
          </Heading>
          <ol className="questions">
            {m.questions.map((q) => (
              <li key={q}>{q}</li>
            ))}
          </ol>
        </div>
        <div className="stack-sm module-grid__wide">
          <Heading level={3} data-size="2xs">
            {t('gp.card.module.bridges')}
          </Heading>
          <Paragraph data-size="sm" className="muted">
            {t('gp.card.module.bridgesIntro')}
          </Paragraph>
          <dl className="bridges">
            {m.bridges.map((bridge) => (
              <div key={`${bridge.context}-${bridge.text}`} className="bridges__item">
                <dt>{bridgeContextLabel(t, bridge.context)}</dt>
                <dd>{bridge.text}</dd>
              </div>
            ))}
          </dl>
        </div>
      </div>
      <p className="module-links">
        <AppLink to={manualPath(m.id)}>{t('gp.card.manualLink', { number: m.number })}</AppLink>
        <AppLink to={patientViewPath(m.id)}>{t('gp.card.module.asPatient')}</AppLink>
      </p>
    </GpSection>
  );
}

function WorkSection({ card }: { card: FollowUpCard }) {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <GpSection id="work" title={t('gp.card.work.heading')} testId="card-work">
      <dl className="facts facts--compact">
        <div>
          <dt>{t('gp.card.work.status')}</dt>
          <dd>{workStatusLabel(card.work.workStatus, language) ?? t('gp.card.work.noWsas')}</dd>
        </div>
        <div>
          <dt>{t('gp.card.work.sickLeave')}</dt>
          <dd>{sickLeaveText(t, card.work.sickLeave, language)}</dd>
        </div>
      </dl>
      <Paragraph data-size="sm" className="muted">
        {t('gp.card.work.hint')}
      </Paragraph>
    </GpSection>
  );
}

function HeldNote({ card, followUpId }: { card: FollowUpCard; followUpId: string }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const note = card.previousNotes[0];
  return (
    <div className="stack-sm">
      <Paragraph>{t('gp.note.alreadyHeld')}</Paragraph>
      {note && (
        <dl className="facts facts--compact">
          <div>
            <dt>{t('gp.note.noteFrom', { date: formatDate(note.createdAt, language) })}</dt>
            <dd>{[note.discussed, note.plan, note.nextStep].filter((x) => x.trim()).join(' ')}</dd>
          </div>
        </dl>
      )}
      <SendToRecord patientId={card.patient.id} followUpId={followUpId} />
      <Paragraph>
        <AppLink to={`${patientPagePath(card.patient.id)}#plan`}>{t('gp.note.openPlan')}</AppLink>
      </Paragraph>
    </div>
  );
}
