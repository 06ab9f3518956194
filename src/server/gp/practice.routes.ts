/**
 * The practice overview: colleagues, who is absent and who covers, and the absent colleagues'
 * patients this GP covers for (practice.queries.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PracticeOverview } from '../../contract/gp.js';
import { commonErrors } from '../schemas.js';
import { loadPracticeOverview } from './practice.queries.js';
import { GP_ONLY } from './responsible-patients.js';

const practiceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/gp/practice',
    {
      config: { access: GP_ONLY },
      schema: { response: { 200: PracticeOverview, ...commonErrors } },
    },
    async (request) => loadPracticeOverview(request.data)
  );
};

export default practiceRoutes;
