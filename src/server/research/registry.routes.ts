/**
 * The researcher page's registry analysis, HTTP only: runs the same analysis as
 * `npm run registry:analyze` on the configured data folder (a synthetic twin, or a real extract
 * inside a secure server), one run at a time, with progress, and serves the report. The runs are
 * kept by registry.commands.ts; everything that leaves is aggregated and small-cell suppressed by
 * the registry layer.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  RegistryFunnels,
  RegistryReportQuery,
  RegistryRunStarted,
  RegistryStatus,
} from '../../contract/research.js';
import { commonErrors } from '../schemas.js';
import { RegistryRuns, type RegistryConfig } from './registry.commands.js';

export type { RegistryConfig };

/** The report is our own static HTML with inline CSS and SVG: no scripts may run in it at all. */
const REPORT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox";

const RESEARCHER = { roles: ['researcher'] } as const;

const registryRoutes: FastifyPluginAsyncTypebox<{ registry: RegistryConfig }> = async (app, options) => {
  const runs = new RegistryRuns(options.registry, (message) =>
    app.log.error({ err: { message } }, 'registry analysis failed')
  );

  app.get(
    '/api/research/registry',
    { config: { access: RESEARCHER }, schema: { response: { 200: RegistryStatus, ...commonErrors } } },
    async () => runs.status()
  );

  app.post(
    '/api/research/registry/runs',
    {
      config: { access: RESEARCHER },
      schema: { response: { 202: RegistryRunStarted, 409: commonErrors[400], ...commonErrors } },
    },
    async (request, reply) => {
      const started = await runs.start(request.data);
      reply.code(202);
      return started;
    }
  );

  app.get(
    '/api/research/registry/funnels',
    { config: { access: RESEARCHER }, schema: { response: { 200: RegistryFunnels, ...commonErrors } } },
    async () => runs.funnels()
  );

  app.get(
    '/api/research/registry/report',
    { config: { access: RESEARCHER }, schema: { querystring: RegistryReportQuery } },
    async (request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', REPORT_CSP)
        .header('cache-control', 'no-store')
        .send(runs.reportHtml(request.query.lang ?? 'en'))
  );
};

export default registryRoutes;
