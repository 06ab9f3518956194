/**
 * The GP's worklist: follow-ups today and this week, then what needs attention, most urgent
 * first, each item saying why. Each patient shown is an audit event (worklist.queries.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Worklist } from '../../contract/gp.js';
import { commonErrors } from '../schemas.js';
import { GP_ONLY } from './responsible-patients.js';
import { loadWorklist } from './worklist.queries.js';

const worklistRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/gp/worklist',
    {
      config: { access: GP_ONLY },
      schema: { response: { 200: Worklist, ...commonErrors } },
    },
    async (request) => loadWorklist(request.data)
  );
};

export default worklistRoutes;
