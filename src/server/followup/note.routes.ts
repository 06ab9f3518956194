/**
 * The GP's structured note of a follow-up: a live text with fee codes, and "follow-up done".
 * HTTP only: note.commands.ts stores it and writes the text.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NoteBody, NoteWritten, PatientFollowUpParams } from '../../contract/followup.js';
import { TREATING_GP } from '../access/rules.js';
import { commonErrors } from '../schemas.js';
import { writeNote } from './note.commands.js';

const noteRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/patients/:patientId/follow-ups/:followUpId/note',
    {
      config: { access: TREATING_GP },
      schema: {
        params: PatientFollowUpParams,
        body: NoteBody,
        response: { 201: NoteWritten, 409: commonErrors[400], ...commonErrors },
      },
    },
    async (request, reply) => {
      const note = await writeNote(
        request.data,
        request.params.patientId,
        request.params.followUpId,
        request.body
      );
      reply.code(201);
      return note;
    }
  );
};

export default noteRoutes;
