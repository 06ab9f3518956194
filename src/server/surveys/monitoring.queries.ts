/**
 * The researcher's monitoring of a survey in the field (issue 14, "Monitoring"): how many were
 * invited, opened, began (partial), completed, opted out and bounced, in total, by day, and by
 * frame characteristic; and the respondents against the frame for each characteristic, with the
 * difference in percentage points, so non-response bias shows while the survey is running.
 *
 * Counts only: no frame id, address or answer leaves. Per characteristic the frame counts every
 * member (invited or not); `respondentPercent` is the level's share of the complete responses, and
 * `differencePp` that share minus the level's share of the frame (positive: over-represented).
 * For an anonymous survey there is no frame: the responses are counted by practice and by day.
 */
import type { AttributeBreakdown, MonitoringDay, SurveyMonitoring } from '../../contract/surveys.js';
import type { DataContext } from '../access/data-context.js';
import { notFound } from '../problem.js';

/** The characteristics the frame comparison shows, in this order (those present in the frame). */
export const MONITORED_ATTRIBUTES = [
  'sex',
  'age_group',
  'region',
  'rural',
  'specialist',
  'list_size_group',
] as const;

const day = (value: Date | string | null): string | null =>
  value === null ? null : new Date(value).toISOString().slice(0, 10);

/** A percentage with one decimal. */
const percent = (part: number, whole: number): number => Math.round((1000 * part) / whole) / 10;

type Counter = Omit<MonitoringDay, 'date'>;
const emptyDay = (): Counter => ({ invited: 0, opened: 0, started: 0, complete: 0, optedOut: 0, bounced: 0 });

export async function surveyMonitoring(
  ctx: DataContext,
  surveyId: string,
  wave: string | null
): Promise<SurveyMonitoring> {
  const survey = await ctx.db
    .selectFrom('surveys')
    .select(['id', 'kind'])
    .where('id', '=', surveyId)
    .executeTakeFirst();
  if (!survey) throw notFound();

  const days = new Map<string, Counter>();
  const bump = (date: string | null, key: keyof Counter) => {
    if (date === null) return;
    const counter = days.get(date) ?? emptyDay();
    counter[key] += 1;
    days.set(date, counter);
  };

  const emails = await ctx.db
    .selectFrom('survey_emails as e')
    .innerJoin('survey_invitations as i', 'i.id', 'e.invitation_id')
    .select((eb) => [
      eb.fn
        .countAll<number>()
        .filterWhere((w) =>
          w.and([w('e.sent_at', 'is', null), w('e.gave_up_at', 'is', null), w('e.cancelled_at', 'is', null)])
        )
        .as('queued'),
      eb.fn.countAll<number>().filterWhere('e.sent_at', 'is not', null).as('sent'),
      eb.fn
        .countAll<number>()
        .filterWhere((w) =>
          w.and([
            w('e.sent_at', 'is', null),
            w('e.gave_up_at', 'is', null),
            w('e.cancelled_at', 'is', null),
            w('e.last_error', 'is not', null),
          ])
        )
        .as('failed'),
      eb.fn.countAll<number>().filterWhere('e.gave_up_at', 'is not', null).as('gave_up'),
    ])
    .where('e.survey_id', '=', surveyId)
    .$if(wave !== null, (q) => q.where('i.wave', '=', wave!))
    .executeTakeFirstOrThrow();

  const result: SurveyMonitoring = {
    surveyId,
    kind: survey.kind,
    wave,
    totals: { invited: 0, sent: 0, opened: 0, partial: 0, complete: 0, optedOut: 0, bounced: 0 },
    byDay: [],
    byAttribute: [],
    byPractice: [],
    emails: {
      queued: Number(emails.queued),
      sent: Number(emails.sent),
      failedTemporarily: Number(emails.failed),
      gaveUp: Number(emails.gave_up),
    },
  };

  if (survey.kind === 'anonymous') {
    const responses = await ctx.db
      .selectFrom('survey_responses as r')
      .innerJoin('survey_practice_links as l', 'l.id', 'r.practice_link_id')
      .innerJoin('practices as p', 'p.id', 'l.practice_id')
      .select(['p.name', 'r.status', 'r.submitted_at', 'r.started_at'])
      .where('r.survey_id', '=', surveyId)
      .$if(wave !== null, (q) => q.where('r.wave', '=', wave!))
      .execute();
    const byPractice = new Map<string, { partial: number; complete: number }>();
    for (const r of responses) {
      const counts = byPractice.get(r.name) ?? { partial: 0, complete: 0 };
      counts[r.status] += 1;
      byPractice.set(r.name, counts);
      result.totals[r.status] += 1;
      bump(day(r.started_at), 'started');
      bump(day(r.submitted_at), 'complete');
    }
    result.byPractice = [...byPractice.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([practiceName, counts]) => ({ practiceName, ...counts }));
  } else {
    const frame = await ctx.db
      .selectFrom('survey_frame_members')
      .select(['id', 'attributes'])
      .where('survey_id', '=', surveyId)
      .execute();
    const invitations = await ctx.db
      .selectFrom('survey_invitations as i')
      .innerJoin('survey_frame_members as m', 'm.id', 'i.frame_member_id')
      .leftJoin('survey_responses as r', 'r.invitation_id', 'i.id')
      .select([
        'i.frame_member_id',
        'i.sent_at',
        'i.opened_at',
        'm.opted_out_at',
        'm.bounced_at',
        'r.status as response_status',
        'r.started_at',
        'r.submitted_at',
      ])
      .where('i.survey_id', '=', surveyId)
      .$if(wave !== null, (q) => q.where('i.wave', '=', wave!))
      .execute();

    type Level = Counter & { frame: number; partial: number };
    const levels = new Map<string, Map<string, Level>>();
    const levelOf = (attribute: string, value: string): Level => {
      const byValue = levels.get(attribute) ?? new Map<string, Level>();
      levels.set(attribute, byValue);
      const level = byValue.get(value) ?? { ...emptyDay(), frame: 0, partial: 0 };
      byValue.set(value, level);
      return level;
    };
    const attributesOf = new Map(frame.map((m) => [m.id, m.attributes]));
    const present = MONITORED_ATTRIBUTES.filter((a) => frame.some((m) => m.attributes[a] !== undefined));
    for (const member of frame) {
      for (const attribute of present)
        levelOf(attribute, member.attributes[attribute] ?? 'unknown').frame += 1;
    }
    for (const i of invitations) {
      const flags = {
        invited: true,
        opened: i.opened_at !== null,
        partial: i.response_status === 'partial',
        complete: i.response_status === 'complete',
        optedOut: i.opted_out_at !== null,
        bounced: i.bounced_at !== null,
      };
      const totals = result.totals;
      totals.invited += 1;
      if (i.sent_at !== null) totals.sent += 1;
      for (const key of ['opened', 'partial', 'complete', 'optedOut', 'bounced'] as const) {
        if (flags[key]) totals[key] += 1;
      }
      const attributes = attributesOf.get(i.frame_member_id) ?? {};
      for (const attribute of present) {
        const level = levelOf(attribute, attributes[attribute] ?? 'unknown');
        level.invited += 1;
        for (const key of ['opened', 'partial', 'complete', 'optedOut', 'bounced'] as const) {
          if (flags[key]) level[key] += 1;
        }
      }
      bump(day(i.sent_at), 'invited');
      bump(day(i.opened_at), 'opened');
      bump(day(i.started_at), 'started');
      bump(day(i.submitted_at), 'complete');
      bump(day(i.opted_out_at), 'optedOut');
      bump(day(i.bounced_at), 'bounced');
    }
    const frameTotal = frame.length;
    const completeTotal = result.totals.complete;
    result.byAttribute = present.map((attribute): AttributeBreakdown => ({
      attribute,
      levels: [...(levels.get(attribute) ?? new Map<string, Level>()).entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([level, c]) => {
          const framePercent = percent(c.frame, frameTotal);
          const respondentPercent = completeTotal > 0 ? percent(c.complete, completeTotal) : null;
          return {
            level,
            frame: c.frame,
            invited: c.invited,
            opened: c.opened,
            partial: c.partial,
            complete: c.complete,
            optedOut: c.optedOut,
            bounced: c.bounced,
            framePercent,
            respondentPercent,
            // From the unrounded shares, then rounded: the difference is not a difference of roundings.
            differencePp:
              completeTotal > 0
                ? Math.round(1000 * (c.complete / completeTotal - c.frame / frameTotal)) / 10
                : null,
            responseRate: c.invited > 0 ? percent(c.complete, c.invited) : null,
          };
        }),
    }));
  }
  result.byDay = [...days.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([date, c]) => ({ date, ...c }));
  await ctx.recordRead({ action: 'read', dataCategory: 'survey monitoring', patientIds: [null] });
  return result;
}
