/**
 * The researcher's overview of the platform, HTTP only (research.queries.ts): counts only, with
 * small cells (1-4) suppressed. No route a researcher can reach returns person-level data.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ResearchOverview } from '../../contract/research.js';
import { commonErrors } from '../schemas.js';
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
};

export default researchRoutes;
