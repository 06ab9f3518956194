/** Words for the follow-up codes the server sends: worklist reasons, timeline events, choices. */
import type { TFunction } from 'i18next';
import { PHQ9_FREQUENCY_OPTIONS } from '../../../domain/instruments/phq9.js';
import { WORK_STATUS_TEXT, type WorkStatus } from '../../../domain/instruments/wsas.js';
import { formatDate, formatDateTime } from '../../format.js';
import type { Language } from '../../i18n/index.js';
import { severityLabel } from '../../i18n/labels.js';
import type {
  DecisionChoice,
  FollowUpCard,
  GuidanceLevel,
  TimelineItem,
} from '../../../contract/followup.js';
import type { WorklistAttention } from '../../../contract/gp.js';
import type { BRIDGE_CONTEXTS } from '../../../domain/program/content-schema.js';

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** "mer enn halvparten av dagene" for an item-9 score, in the given language. */
export function frequencyText(score: number, language: Language): string {
  return PHQ9_FREQUENCY_OPTIONS.find((option) => option.score === score)?.text[language] ?? String(score);
}

/** Why an item is on the worklist, in words, with its numbers and time. */
export function reasonText(t: TFunction, item: WorklistAttention, language: Language): string {
  const d = item.detail;
  switch (item.reason) {
    case 'item9_positive': {
      const score = num(d.item9Score) ?? 0;
      return t('gp.reason.item9_positive', {
        score,
        answer: frequencyText(score, language).toLowerCase(),
        date: formatDateTime(item.at, language),
      });
    }
    case 'phq9_worse':
      return t('gp.reason.phq9_worse', { from: num(d.from) ?? '?', to: num(d.to) ?? '?' });
    case 'patient_message':
      return t('gp.reason.patient_message', {
        date: formatDateTime(item.at, language),
        count: num(d.days) ?? 0,
      });
    case 'unanswered_message':
      return t('gp.reason.unanswered_message', { count: num(d.days) ?? 0 });
    case 'under_50_percent_8w':
      return t('gp.reason.under_50_percent_8w', {
        baseline: num(d.baseline) ?? '?',
        latest: num(d.latest) ?? '?',
      });
    case 'no_improvement_4w':
      return t('gp.reason.no_improvement_4w', {
        baseline: num(d.baseline) ?? '?',
        latest: num(d.latest) ?? '?',
      });
    case 'follow_up_not_held':
      return t('gp.reason.follow_up_not_held', { date: formatDateTime(item.at, language) });
    case 'inactive_14d':
      return t('gp.reason.inactive_14d', { count: num(d.days) ?? 14, date: formatDate(item.at, language) });
    case 'invitation_unused_7d':
      return t('gp.reason.invitation_unused_7d', { date: formatDate(item.at, language) });
    default:
      return String(item.reason);
  }
}

/** What the GP might do about it: one short line. */
export function reasonAction(t: TFunction, item: WorklistAttention): string {
  switch (item.reason) {
    case 'item9_positive':
      return t('gp.reasonAction.item9_positive');
    case 'phq9_worse':
      return t('gp.reasonAction.phq9_worse');
    case 'patient_message':
      return t('gp.reasonAction.patient_message');
    case 'unanswered_message':
      return t('gp.reasonAction.unanswered_message');
    case 'under_50_percent_8w':
    case 'no_improvement_4w':
      return t('gp.reasonAction.treatToTarget');
    case 'follow_up_not_held':
      return t('gp.reasonAction.follow_up_not_held');
    case 'inactive_14d':
      return t('gp.reasonAction.inactive_14d');
    case 'invitation_unused_7d':
      return t('gp.reasonAction.invitation_unused_7d');
    default:
      return '';
  }
}

export function guidanceLabel(t: TFunction, level: GuidanceLevel | string | null): string {
  if (level === 'guided' || level === 'minimal' || level === 'self') return t(`gp.guidance.${level}.label`);
  return level ?? '';
}

export function decisionLabel(t: TFunction, choice: DecisionChoice | string): string {
  switch (choice) {
    case 'continue':
    case 'more_gp_talks':
    case 'consider_medication':
    case 'low_threshold_service':
    case 'refer_dps':
      return t(`gp.decision.choice.${choice}`);
    default:
      return choice;
  }
}

/** An everyday-life area of the module content (the API sends it as a string). */
export function bridgeContextLabel(t: TFunction, context: string): string {
  return t(`gp.card.module.context.${context as (typeof BRIDGE_CONTEXTS)[number]}`);
}

export function moduleLabel(t: TFunction, moduleId: string | null, title?: string): string {
  if (!moduleId) return t('gp.plan.noModule');
  const number = Number(moduleId.replace(/^m/, '')) || 0;
  return title ? t('program.moduleName', { number, title }) : t('program.moduleNumber', { number });
}

export function workStatusLabel(status: string | null, language: Language): string | null {
  if (!status) return null;
  return status in WORK_STATUS_TEXT ? WORK_STATUS_TEXT[status as WorkStatus][language] : status;
}

export function sickLeaveText(
  t: TFunction,
  sickLeave: FollowUpCard['work']['sickLeave'],
  language: Language
): string {
  if (!sickLeave) return t('gp.card.work.sickLeaveUnknown');
  const period = sickLeave.from
    ? sickLeave.to
      ? t('gp.card.work.period', {
          from: formatDate(`${sickLeave.from}T12:00:00Z`, language),
          to: formatDate(`${sickLeave.to}T12:00:00Z`, language),
        })
      : t('gp.card.work.periodOpen', { from: formatDate(`${sickLeave.from}T12:00:00Z`, language) })
    : '';
  switch (sickLeave.status) {
    case 'none':
      return t('gp.card.work.none');
    case 'graded':
      return `${t('gp.card.work.graded', { percent: sickLeave.percent ?? '?' })}${period ? ` ${period}` : ''}`;
    case 'full':
      return `${t('gp.card.work.full')}${period ? ` ${period}` : ''}`;
  }
}

/** One line of the patient's timeline. */
export function timelineText(t: TFunction, item: TimelineItem): string {
  const d = item.detail;
  switch (item.kind) {
    case 'recommended':
      return t('gp.timeline.recommended', {
        by: typeof d.by === 'string' ? d.by : '',
        level: guidanceLabel(t, typeof d.guidanceLevel === 'string' ? d.guidanceLevel : null).toLowerCase(),
      });
    case 'started':
      return t('gp.timeline.started');
    case 'finished':
      return t('gp.timeline.finished');
    case 'phq9':
    case 'gad7':
    case 'wsas':
      return t('gp.timeline.measure', {
        name: t(`instruments.${item.kind}.name`),
        total: num(d.total) ?? '?',
      });
    case 'module_completed':
      return t('gp.timeline.moduleCompleted', {
        module: moduleLabel(t, typeof d.moduleId === 'string' ? d.moduleId : null),
      });
    case 'module_opened_early':
      return t('gp.timeline.moduleOpenedEarly', {
        module: moduleLabel(t, typeof d.moduleId === 'string' ? d.moduleId : null),
        by: typeof d.by === 'string' ? d.by : '',
        reason: typeof d.reason === 'string' ? d.reason : '',
      });
    case 'follow_up_held':
      return t('gp.timeline.followUpHeld', { count: num(d.minutes) ?? 0 });
    case 'decision':
      return t('gp.timeline.decision', {
        week: num(d.week) ?? '?',
        choice: decisionLabel(t, typeof d.choice === 'string' ? d.choice : ''),
      });
    case 'invitation_created':
      return t('gp.timeline.invitationCreated');
    case 'invitation_used':
      return t('gp.timeline.invitationUsed');
    default:
      return item.kind;
  }
}

export function phq9Line(
  t: TFunction,
  score: { total: number; severity: Parameters<typeof severityLabel>[1] }
): string {
  return t('gp.scoreLine', { score: score.total, severity: severityLabel(t, score.severity).toLowerCase() });
}
