/**
 * The patient's timeline: recommendation, start, answers, modules, talks, decisions. HTTP only:
 * timeline.queries.ts reads it.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PatientIdParams } from '../../contract/common.js';
import { Timeline } from '../../contract/followup.js';
import { PATIENT_OR_TREATING_GP } from '../access/rules.js';
import { commonErrors } from '../schemas.js';
import { loadTimeline } from './timeline.queries.js';

const timelineRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/patients/:patientId/timeline',
    {
      config: { access: PATIENT_OR_TREATING_GP },
      schema: { params: PatientIdParams, response: { 200: Timeline, ...commonErrors } },
    },
    async (request) => ({ items: await loadTimeline(request.data, request.params.patientId) })
  );
};

export default timelineRoutes;
