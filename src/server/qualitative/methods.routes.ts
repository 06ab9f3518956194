/**
 * The framework method and reflexive thematic analysis (issue 15), HTTP only: schema from
 * contract/qualitative-methods.ts, the access rule (study members; the commands refuse a reader's
 * changes), one call into the feature module, the reply.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { StudyParams } from '../../contract/qualitative.js';
import {
  CellQuery,
  CellQuotes,
  CreateMethodBody,
  FrameworkView,
  MethodList,
  MethodParams,
  MethodSummary,
  SaveFrameworkBody,
  SaveThematicBody,
  ThematicView,
} from '../../contract/qualitative-methods.js';
import { STUDY_MEMBER } from '../access/rules.js';
import { commonErrors } from '../schemas.js';
import { createMethodAnalysis, saveFramework, saveThematic } from './methods.commands.js';
import { frameworkCell, getFramework, getThematic, listMethodAnalyses } from './methods.queries.js';

const errors = { ...commonErrors, 409: commonErrors[400] };
const BASE = '/api/research/qualitative/studies/:studyId';

const methodsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    `${BASE}/methods`,
    { config: STUDY_MEMBER, schema: { params: StudyParams, response: { 200: MethodList, ...errors } } },
    async (request) => listMethodAnalyses(request.data)
  );

  for (const [path, method] of [
    ['framework', 'framework'],
    ['thematic', 'reflexive_ta'],
  ] as const)
    app.post(
      `${BASE}/${path}`,
      {
        config: STUDY_MEMBER,
        schema: { params: StudyParams, body: CreateMethodBody, response: { 201: MethodSummary, ...errors } },
      },
      async (request, reply) =>
        reply.code(201).send(await createMethodAnalysis(request.data, method, request.body))
    );

  app.get(
    `${BASE}/framework/:analysisId`,
    { config: STUDY_MEMBER, schema: { params: MethodParams, response: { 200: FrameworkView, ...errors } } },
    async (request) => getFramework(request.data, request.params.analysisId)
  );

  app.put(
    `${BASE}/framework/:analysisId`,
    {
      bodyLimit: 8 * 1024 * 1024,
      config: STUDY_MEMBER,
      schema: { params: MethodParams, body: SaveFrameworkBody, response: { 200: MethodSummary, ...errors } },
    },
    async (request) => saveFramework(request.data, request.params.analysisId, request.body)
  );

  app.get(
    `${BASE}/framework/:analysisId/cell`,
    {
      config: STUDY_MEMBER,
      schema: { params: MethodParams, querystring: CellQuery, response: { 200: CellQuotes, ...errors } },
    },
    async (request) =>
      frameworkCell(request.data, request.params.analysisId, request.query.case, request.query.theme)
  );

  app.get(
    `${BASE}/thematic/:analysisId`,
    { config: STUDY_MEMBER, schema: { params: MethodParams, response: { 200: ThematicView, ...errors } } },
    async (request) => getThematic(request.data, request.params.analysisId)
  );

  app.put(
    `${BASE}/thematic/:analysisId`,
    {
      bodyLimit: 8 * 1024 * 1024,
      config: STUDY_MEMBER,
      schema: { params: MethodParams, body: SaveThematicBody, response: { 200: MethodSummary, ...errors } },
    },
    async (request) => saveThematic(request.data, request.params.analysisId, request.body)
  );
};

export default methodsRoutes;
