/**
 * The researcher's routes on the platform's own data, HTTP only:
 *   GET  /api/research/overview          counts only, small cells (1-4) suppressed (research.queries.ts)
 *   POST /api/research/platform-extract  the pseudonymised person-level research extract as a zip of
 *                                        Parquet files (platform-extract.commands.ts), after a fresh
 *                                        re-authentication (step-up `export`), audited as an export
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ResearchOverview } from '../../contract/research.js';
import { commonErrors } from '../schemas.js';
import { RESEARCHER } from '../access/rules.js';
import { platformExtractZip } from './platform-extract.commands.js';
import { platformOverview } from './research.queries.js';

const researchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/research/overview',
    {
      config: { access: { roles: ['researcher'] } },
      schema: { response: { 200: ResearchOverview, ...commonErrors } },
    },
    async (request) => platformOverview(request.data)
  );

  app.post(
    '/api/research/platform-extract',
    {
      // Person-level data leaving the platform: a fresh re-authentication first (domain/access/step-up.ts).
      config: { access: { ...RESEARCHER, stepUp: 'export' } },
    },
    async (request, reply) => {
      const extract = await platformExtractZip(request.data);
      return reply
        .type('application/zip')
        .header('content-disposition', `attachment; filename="${extract.fileName}"`)
        .header('cache-control', 'no-store')
        .send(Buffer.from(extract.zip));
    }
  );
};

export default researchRoutes;
