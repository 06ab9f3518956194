/**
 * The patient's in-app reminders (the specific text is built in the app, after login). Reading in
 * reminders.queries.ts, marking read in reminders.commands.ts; the job that creates them is
 * reminder-job.ts.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PatientIdParams } from '../../contract/common.js';
import { ReminderList, ReminderParams } from '../../contract/reminders.js';
import { PATIENT_SELF } from '../access/rules.js';
import { commonErrors } from '../schemas.js';
import { markReminderRead } from './reminders.commands.js';
import { listReminders } from './reminders.queries.js';

const remindersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/patients/:patientId/reminders',
    {
      config: { access: PATIENT_SELF },
      schema: { params: PatientIdParams, response: { 200: ReminderList, ...commonErrors } },
    },
    async (request) => listReminders(request.data, request.params.patientId)
  );

  app.post(
    '/api/patients/:patientId/reminders/:reminderId/read',
    {
      config: { access: PATIENT_SELF },
      schema: { params: ReminderParams, response: { 204: Type.Null(), ...commonErrors } },
    },
    async (request, reply) => {
      await markReminderRead(request.data, request.params);
      return reply.code(204).send(null);
    }
  );
};

export default remindersRoutes;
