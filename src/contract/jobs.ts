/**
 * The API contract of the admin's view of background jobs (issue 18): per-queue counts and the
 * latest failures with their reasons. Job payloads hold ids only, so nothing here is health data.
 */
import { Type, type Static } from 'typebox';
import { Nullable } from './common.js';

export const JobQueueCounts = Type.Object({
  queue: Type.String(),
  /** Waiting to run. */
  queued: Type.Integer(),
  /** Failed at least once and waiting for the next try (with backoff). */
  retry: Type.Integer(),
  /** Held by an instance now. */
  running: Type.Integer(),
  /** Finished (kept about 12 hours, then archived). */
  completed: Type.Integer(),
  /** Given up after the last try. */
  failed: Type.Integer(),
});
export type JobQueueCounts = Static<typeof JobQueueCounts>;

export const JobFailure = Type.Object({
  id: Type.String(),
  queue: Type.String(),
  /** failed: given up; retry: will be tried again. */
  state: Type.Union([Type.Literal('failed'), Type.Literal('retry')]),
  error: Type.String(),
  attempts: Type.Integer(),
  at: Nullable(Type.String()),
});
export type JobFailure = Static<typeof JobFailure>;

/** GET /api/admin/jobs */
export const JobsOverview = Type.Object({
  /** False when this server runs no job queue (then the lists are empty). */
  running: Type.Boolean(),
  queues: Type.Array(JobQueueCounts),
  failures: Type.Array(JobFailure),
});
export type JobsOverview = Static<typeof JobsOverview>;
