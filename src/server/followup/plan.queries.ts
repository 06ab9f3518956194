/**
 * Reading the follow-up plan (issue 12 §1): the list as the screens show it, and the planned talks
 * as an iCalendar file. Each read is recorded in the audit log.
 */
import type { FollowUp } from '../../contract/followup.js';
import { toIcs } from '../../domain/followup/ics.js';
import type { DataContext } from '../access/data-context.js';
import { followUps } from './follow-up-shared.js';

/** The patient's follow-ups in the order they happen (cancelled ones left out). */
export async function listFollowUps(ctx: DataContext, patientId: string): Promise<FollowUp[]> {
  const items = await followUps(ctx.db, patientId);
  await ctx.recordRead({ action: 'read', dataCategory: 'follow-up plan', patientIds: [patientId] });
  return items;
}

/** The planned talks as an iCalendar file, in the patient's language. */
export async function followUpCalendar(
  ctx: DataContext,
  patientId: string,
  lang: 'nb' | 'en'
): Promise<string> {
  const items = (await followUps(ctx.db, patientId)).filter((f) => f.status === 'planned');
  const nb = lang === 'nb';
  const ics = toIcs(
    items.map((f) => ({
      uid: f.id,
      start: new Date(f.plannedAt),
      durationMinutes: f.durationMinutes,
      // Nothing about health: calendars sync to other companies' servers.
      summary: nb
        ? `Time hos fastlegen (${f.gp.displayName})`
        : `Appointment with your GP (${f.gp.displayName})`,
    })),
    ctx.now,
    nb ? 'Timer hos fastlegen' : 'GP appointments'
  );
  await ctx.recordRead({
    action: 'export',
    dataCategory: 'follow-up plan (calendar file)',
    patientIds: [patientId],
  });
  return ics;
}
