/**
 * The GP's patient list: only patients on the GP's own list today, with program status, the
 * latest PHQ-9 and any open item-9 alert (urgent first). Each patient shown is one audit event
 * (gp.queries.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { GpPatientList } from '../../contract/gp.js';
import { commonErrors } from '../schemas.js';
import { listGpPatients } from './gp.queries.js';
import { GP_ONLY } from './responsible-patients.js';

const gpRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/gp/patients',
    {
      config: { access: GP_ONLY },
      schema: { response: { 200: GpPatientList, ...commonErrors } },
    },
    async (request) => listGpPatients(request.data)
  );
};

export default gpRoutes;
