/**
 * Guidance between visits (issue 17): the rules of messages between a patient and their care team
 * (their GP and any guide assigned to them), in one place for the server, the web and the tests.
 *
 * - The expected answer time is stated plainly to the patient: one platform-wide definition.
 * - Messages are read in working hours only and are not for urgent matters; the crisis numbers
 *   stand beside every message page. Nothing here grades risk or scans the text for words.
 * - A notification about a new message never carries its subject or text: only that there is one.
 */

/** Working days within which the GP (or guide) usually answers a message. */
export const EXPECTED_ANSWER_WORKING_DAYS = 2;

/** What the patient is told about when to expect an answer. */
export function expectedAnswerTime(): { workingDays: number } {
  return { workingDays: EXPECTED_ANSWER_WORKING_DAYS };
}

/** Limits of what a message may hold (the contract's schemas and the database use the same). */
export const MESSAGE_SUBJECT_MAX = 120;
export const MESSAGE_BODY_MAX = 4000;
export const FEEDBACK_BODY_MAX = 2000;

/** Who wrote a message. */
export const MESSAGE_AUTHOR_ROLES = ['patient', 'gp', 'guide'] as const;
export type MessageAuthorRole = (typeof MESSAGE_AUTHOR_ROLES)[number];

const DAY = 24 * 60 * 60 * 1000;

/** Whole days a message has waited, as the worklist shows it ("2 dager"). */
export function daysWaiting(sentAt: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - sentAt.getTime()) / DAY));
}

/** A thread waits for the care team when its last message is from the patient. */
export function isUnanswered(thread: { lastFromPatient: boolean }): boolean {
  return thread.lastFromPatient;
}

/**
 * The words of the notification that a message has arrived (e-mail or SMS). Only that there is
 * one, and where to log in: never the subject, the text, or who wrote it.
 */
export function newMessageNotice(loginUrl: string): { subject: string; text: string } {
  return {
    subject: 'Du har en ny melding i GP-DEP',
    text: `Du har en ny melding i GP-DEP. Logg inn for å lese den: ${loginUrl}\n\nAv personvernhensyn står det ikke hva meldingen handler om i dette varselet.`,
  };
}
