/**
 * Importing a REFI-QDA project made by another tool into a study (issue 15), HTTP only: schema from
 * contract/qualitative-exchange.ts, the access rule (the study's lead; a member who is not gets
 * 403, anyone else 404), one call into refi-import.commands.ts, the reply.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { StudyParams } from '../../contract/qualitative.js';
import {
  REFI_IMPORT_BODY_LIMIT,
  RefiImportBody,
  RefiImportResult,
} from '../../contract/qualitative-exchange.js';
import { STUDY_LEAD } from '../access/rules.js';
import { commonErrors } from '../schemas.js';
import { importRefiProject } from './refi-import.commands.js';

const errors = { ...commonErrors, 413: commonErrors[400] };

const refiImportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/research/qualitative/studies/:studyId/refi-import',
    {
      // a project with its transcripts, base64 (the archive's uncompressed size is bounded too)
      bodyLimit: REFI_IMPORT_BODY_LIMIT,
      config: STUDY_LEAD,
      schema: { params: StudyParams, body: RefiImportBody, response: { 201: RefiImportResult, ...errors } },
    },
    async (request, reply) => reply.code(201).send(await importRefiProject(request.data, request.body))
  );
};

export default refiImportRoutes;
