/**
 * Earlier depression contacts before a planted episode (issue 13, item 6): a share of the new
 * episodes belong to people with recurrent depression who had a P76 contact some years before.
 * They are planted as simple contacts (KPR contact type 3, a telephone or e-contact with a P76
 * diagnosis), which never start an episode themselves but break the washout when any contact does
 * (the default, washoutAnyContact), so the washout length changes the cohort: every one lies more
 * than RECURRENT_MIN_DAYS before its episode's index, so a washout up to that length still finds
 * exactly the planted episodes (truth.json), and a longer one drops those within its reach.
 */

/** Share of planted episodes with an earlier P76 contact (ASSUMPTION: recurrence is common, about half of depressive episodes recur; a quarter had a GP contact in the 3 years before). */
export const RECURRENT_SHARE = 0.25;
/** Days before the index of the earlier contact: uniform from RECURRENT_MIN_DAYS to RECURRENT_MAX_DAYS. */
export const RECURRENT_MIN_DAYS = 400;
export const RECURRENT_MAX_DAYS = 1095;

/** SQL: the days before index of an episode's earlier contact, or NULL (draws from `rnd`). */
export function priorContactDaysSql(epNum: string, salt: (name: string) => string): string {
  return `CASE WHEN rnd(${epNum}, ${salt('rec')}) < ${RECURRENT_SHARE}
    THEN ${RECURRENT_MIN_DAYS} + floor(rnd(${epNum}, ${salt('rec_d')}) * ${RECURRENT_MAX_DAYS - RECURRENT_MIN_DAYS + 1})::INTEGER END`;
}
