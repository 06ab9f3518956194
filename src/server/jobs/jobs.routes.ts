/**
 * The admin's view of the job queue (issue 18), HTTP only. The queue itself is started by serve.ts
 * (or a test) and set on `app.jobQueue`; a server without one answers `running: false`.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import fp from 'fastify-plugin';
import { JobsOverview } from '../../contract/jobs.js';
import { commonErrors } from '../schemas.js';
import type { JobQueue } from './job-queue.js';
import { jobsOverview } from './jobs.queries.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The running job queue, or null (app.inject tests, until serve.ts starts it). */
    jobQueue: JobQueue | null;
  }
}

const jobsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.decorate('jobQueue', null);
  app.get(
    '/api/admin/jobs',
    {
      config: { access: { roles: ['admin'] } },
      schema: { response: { 200: JobsOverview, ...commonErrors } },
    },
    async () => jobsOverview(app.jobQueue)
  );
};

export default fp(jobsRoutes, { name: 'jobs', dependencies: ['access'] });
