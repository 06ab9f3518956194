/**
 * Breaking the glass (issue 16), HTTP only: the work is in emergency-access.commands.ts. The route
 * declares the step-up action `break_glass`, so the access layer asks for a fresh
 * re-authentication before it runs (domain/access/step-up.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { EmergencyAccessBody, EmergencyAccessGranted } from '../../contract/gp.js';
import { commonErrors } from '../schemas.js';
import { breakTheGlass } from './emergency-access.commands.js';

const emergencyAccessRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/gp/emergency-access',
    {
      config: { access: { roles: ['gp'], stepUp: 'break_glass' } },
      schema: { body: EmergencyAccessBody, response: { 201: EmergencyAccessGranted, ...commonErrors } },
    },
    async (request, reply) => {
      const granted = await breakTheGlass(request.data, request.body);
      reply.code(201);
      return granted;
    }
  );
};

export default emergencyAccessRoutes;
