/**
 * The GP's caseload: their patients in the program and their own figures (caseload.queries.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Caseload } from '../../contract/gp.js';
import { commonErrors } from '../schemas.js';
import { loadCaseload } from './caseload.queries.js';
import { GP_ONLY } from './responsible-patients.js';

const caseloadRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/gp/caseload',
    {
      config: { access: GP_ONLY },
      schema: { response: { 200: Caseload, ...commonErrors } },
    },
    async (request) => loadCaseload(request.data)
  );
};

export default caseloadRoutes;
