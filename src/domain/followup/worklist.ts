/**
 * The GP's worklist: what needs attention, most urgent first, each item saying why it is there.
 * Rules (issue 4), each tested at its boundary in worklist.test.ts:
 * - item 9 above 0, not yet acknowledged: urgent, with the answer time;
 * - a message from the patient that no GP has marked read (it stays until one has);
 * - an unanswered message thread: its last message is from the patient (it stays until the GP or
 *   a guide answers), with its age in days (domain/messaging/messaging.ts);
 * - PHQ-9 worse by 5 or more points than the previous one;
 * - treat to target (treat-to-target.ts, the one definition): no improvement after 4 weeks on the
 *   program (latest PHQ-9 not below the baseline), or less than 50% improvement after 8 weeks;
 * - no activity for 14 days while active;
 * - invitation never used after 7 days;
 * - a planned follow-up that was not held (its time has passed and it is still planned).
 */

import { daysWaiting } from '../messaging/messaging.js';
import { treatToTarget } from './treat-to-target.js';

export type WorklistReason =
  | 'item9_positive'
  | 'phq9_worse'
  | 'patient_message'
  | 'unanswered_message'
  | 'no_improvement_4w'
  | 'under_50_percent_8w'
  | 'inactive_14d'
  | 'invitation_unused_7d'
  | 'follow_up_not_held';

/** Lower sorts first. */
export const REASON_PRIORITY: Readonly<Record<WorklistReason, number>> = {
  item9_positive: 0,
  phq9_worse: 1,
  patient_message: 2,
  unanswered_message: 3,
  under_50_percent_8w: 4,
  no_improvement_4w: 5,
  follow_up_not_held: 6,
  inactive_14d: 7,
  invitation_unused_7d: 8,
};

export interface PatientWorklistFacts {
  patientId: string;
  programStatus: 'not_recommended' | 'recommended' | 'active' | 'finished' | 'stopped';
  startedAt: Date | null;
  /** PHQ-9s oldest first. */
  phq9: readonly { answeredAt: Date; total: number }[];
  /** The PHQ-9 recorded with the recommendation (used only without any PHQ-9 row). */
  recordedBaseline?: number | null;
  openItem9Alerts: readonly { alertId: string; answeredAt: Date; item9Score: number }[];
  lastActivityAt: Date | null;
  invitation: { createdAt: Date; usedAt: Date | null } | null;
  missedFollowUps: readonly { id: string; plannedAt: Date }[];
  /** The patient's messages (with a questionnaire) that no GP has marked read yet. */
  unreadMessages?: readonly { responseId: string; sentAt: Date }[];
  /** Message threads whose last message is from the patient (the patient's last message time). */
  unansweredThreads?: readonly { threadId: string; lastMessageAt: Date }[];
}

export interface WorklistItem {
  patientId: string;
  reason: WorklistReason;
  /** When the thing happened (answer time, due time), for the GP's eye and for sorting. */
  at: Date;
  detail: Record<string, number | string>;
}

const DAY = 24 * 60 * 60 * 1000;
export const WORSENING_POINTS = 5;
export const INACTIVE_DAYS = 14;
export const INVITATION_UNUSED_DAYS = 7;

export function worklistItems(f: PatientWorklistFacts, now: Date): WorklistItem[] {
  const items: WorklistItem[] = [];
  for (const alert of f.openItem9Alerts) {
    items.push({
      patientId: f.patientId,
      reason: 'item9_positive',
      at: alert.answeredAt,
      detail: { item9Score: alert.item9Score, alertId: alert.alertId },
    });
  }
  const latest = f.phq9.at(-1);
  const previous = f.phq9.at(-2);
  if (latest && previous && latest.total - previous.total >= WORSENING_POINTS) {
    items.push({
      patientId: f.patientId,
      reason: 'phq9_worse',
      at: latest.answeredAt,
      detail: { from: previous.total, to: latest.total },
    });
  }
  for (const message of f.unreadMessages ?? []) {
    items.push({
      patientId: f.patientId,
      reason: 'patient_message',
      at: message.sentAt,
      detail: {
        responseId: message.responseId,
        days: Math.floor((now.getTime() - message.sentAt.getTime()) / DAY),
      },
    });
  }
  for (const thread of f.unansweredThreads ?? []) {
    items.push({
      patientId: f.patientId,
      reason: 'unanswered_message',
      at: thread.lastMessageAt,
      detail: { threadId: thread.threadId, days: daysWaiting(thread.lastMessageAt, now) },
    });
  }
  // Treat to target: the one definition in treat-to-target.ts, shared with the card and note.
  const target = treatToTarget({
    active: f.programStatus === 'active',
    startedAt: f.startedAt,
    phq9: f.phq9,
    recordedBaseline: f.recordedBaseline ?? null,
  });
  if (target.signal && target.checkpoint && target.latestAt) {
    items.push({
      patientId: f.patientId,
      reason: target.checkpoint === 8 ? 'under_50_percent_8w' : 'no_improvement_4w',
      at: target.latestAt,
      detail: { baseline: target.baseline!, latest: target.latest! },
    });
  }
  if (
    f.programStatus === 'active' &&
    f.lastActivityAt &&
    now.getTime() - f.lastActivityAt.getTime() >= INACTIVE_DAYS * DAY
  ) {
    items.push({
      patientId: f.patientId,
      reason: 'inactive_14d',
      at: f.lastActivityAt,
      detail: { days: Math.floor((now.getTime() - f.lastActivityAt.getTime()) / DAY) },
    });
  }
  if (
    f.invitation &&
    !f.invitation.usedAt &&
    now.getTime() - f.invitation.createdAt.getTime() >= INVITATION_UNUSED_DAYS * DAY
  ) {
    items.push({
      patientId: f.patientId,
      reason: 'invitation_unused_7d',
      at: f.invitation.createdAt,
      detail: {},
    });
  }
  for (const missed of f.missedFollowUps) {
    if (missed.plannedAt.getTime() < now.getTime()) {
      items.push({
        patientId: f.patientId,
        reason: 'follow_up_not_held',
        at: missed.plannedAt,
        detail: { followUpId: missed.id },
      });
    }
  }
  return items;
}

/** Most urgent first; within a reason, the oldest first (it has waited longest). */
export function sortWorklist(items: WorklistItem[]): WorklistItem[] {
  return [...items].sort(
    (a, b) => REASON_PRIORITY[a.reason] - REASON_PRIORITY[b.reason] || a.at.getTime() - b.at.getTime()
  );
}
