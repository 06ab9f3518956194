/** What the admin reads about background jobs: counts per queue and the latest failures. */
import type { JobsOverview } from '../../contract/jobs.js';
import type { JobQueue } from './job-queue.js';

export async function jobsOverview(queue: JobQueue | null): Promise<JobsOverview> {
  if (!queue) return { running: false, queues: [], failures: [] };
  const { queues, failures } = await queue.overview();
  return {
    running: true,
    queues: queues.map((q) => ({
      queue: q.queue,
      queued: q.created,
      retry: q.retry,
      running: q.active,
      completed: q.completed,
      failed: q.failed,
    })),
    failures,
  };
}
