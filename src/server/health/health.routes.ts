/**
 * Health for load balancers and orchestrators (issue 18), public like /api/health and without any
 * data: GET /api/health/live answers while the process runs; GET /api/health/ready answers 200
 * when this instance should get traffic, else 503 naming the check that failed (readiness.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { HttpProblem, sendProblem } from '../problem.js';
import { ProblemSchema } from '../schemas.js';
import type { Readiness } from './readiness.js';

const Ok = Type.Object({ status: Type.Literal('ok') });

const healthRoutes: FastifyPluginAsyncTypebox<{ readiness: Readiness }> = async (app, options) => {
  app.get(
    '/api/health/live',
    { config: { access: { public: true } }, schema: { response: { 200: Ok } } },
    async () => ({ status: 'ok' as const })
  );

  app.get(
    '/api/health/ready',
    { config: { access: { public: true } }, schema: { response: { 200: Ok, 503: ProblemSchema } } },
    async (request, reply) => {
      const report = await options.readiness.check();
      if (report.ready) return { status: 'ok' as const };
      const failed = Object.entries(report.checks).filter(([, c]) => !c.ok);
      const problem = new HttpProblem(
        503,
        'Service Unavailable',
        `Not ready: ${failed.map(([name, c]) => `${name} ${c.detail ?? 'failed'}`).join('; ')}.`,
        failed.map(([name, c]) => ({ field: name, reason: c.detail ?? 'failed' }))
      );
      return sendProblem(reply, request, problem);
    }
  );
};

export default healthRoutes;
