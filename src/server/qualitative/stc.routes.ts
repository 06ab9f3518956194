/**
 * Systematic text condensation and the user group (issue 15), HTTP only: schema from
 * contract/qualitative-stc.ts, the access rule, one call into the feature module, the reply.
 *
 * Who may do what: members read analyses and traces; the lead and coders create and save them
 * (a reader gets 403 from the command); the lead adds user-group members and shares a synthesis;
 * the user group reads what is shared and comments, and nothing else in the study.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SynthesisExportQuery } from '../../contract/qualitative-coding.js';
import { StudyParams } from '../../contract/qualitative.js';
import {
  AddUserGroupMemberBody,
  CommentBody,
  CreateStcBody,
  SaveStcBody,
  SentenceTrace,
  ShareBody,
  ShareList,
  ShareParams,
  ShareView,
  StcAnalysisView,
  StcList,
  StcParams,
  StcSummary,
  TraceQuery,
  UserGroupComment,
  UserGroupMember,
  UserGroupStudies,
} from '../../contract/qualitative-stc.js';
import {
  STUDY_LEAD,
  STUDY_MEMBER,
  STUDY_MEMBER_EXPORT,
  STUDY_SHARES,
  STUDY_USER_GROUP,
  USER_GROUP,
} from '../access/rules.js';
import { commonErrors } from '../schemas.js';
import { createStc, saveStc } from './stc.commands.js';
import { getStc, listStc, traceStc } from './stc.queries.js';
import { addUserGroupMember, commentOnShare, shareSynthesis } from './user-group.commands.js';
import { listShares, myUserGroupStudies, viewShare } from './user-group.queries.js';
import { sendWord } from './send-word.js';
import { synthesisWord } from './word-export.queries.js';

const errors = { ...commonErrors, 409: commonErrors[400] };
const BASE = '/api/research/qualitative/studies';

const stcRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    `${BASE}/:studyId/stc`,
    { config: STUDY_MEMBER, schema: { params: StudyParams, response: { 200: StcList, ...errors } } },
    async (request) => listStc(request.data)
  );

  app.post(
    `${BASE}/:studyId/stc`,
    {
      config: STUDY_MEMBER,
      schema: { params: StudyParams, body: CreateStcBody, response: { 201: StcSummary, ...errors } },
    },
    async (request, reply) => reply.code(201).send(await createStc(request.data, request.body))
  );

  app.get(
    `${BASE}/:studyId/stc/:analysisId`,
    { config: STUDY_MEMBER, schema: { params: StcParams, response: { 200: StcAnalysisView, ...errors } } },
    async (request) => getStc(request.data, request.params.analysisId)
  );

  app.put(
    `${BASE}/:studyId/stc/:analysisId`,
    {
      // 20,000 meaning units and their condensates stay well under this
      bodyLimit: 8 * 1024 * 1024,
      config: STUDY_MEMBER,
      schema: { params: StcParams, body: SaveStcBody, response: { 200: StcSummary, ...errors } },
    },
    async (request) => saveStc(request.data, request.params.analysisId, request.body)
  );

  app.get(
    `${BASE}/:studyId/stc/:analysisId/trace`,
    {
      config: STUDY_MEMBER,
      schema: { params: StcParams, querystring: TraceQuery, response: { 200: SentenceTrace, ...errors } },
    },
    async (request) =>
      traceStc(
        request.data,
        request.params.analysisId,
        request.query.paragraph,
        Number(request.query.sentence)
      )
  );

  // The synthesis with its golden quotations as a Word document (binary: no response schema).
  app.get(
    `${BASE}/:studyId/stc/:analysisId/synthesis.docx`,
    { config: STUDY_MEMBER_EXPORT, schema: { params: StcParams, querystring: SynthesisExportQuery } },
    async (request, reply) =>
      sendWord(reply, await synthesisWord(request.data, request.params.analysisId, request.query.lang))
  );

  app.post(
    `${BASE}/:studyId/stc/:analysisId/shares`,
    {
      config: STUDY_LEAD,
      schema: { params: StcParams, body: ShareBody, response: { 201: ShareView, ...errors } },
    },
    async (request, reply) =>
      reply.code(201).send(await shareSynthesis(request.data, request.params.analysisId, request.body))
  );

  app.post(
    `${BASE}/:studyId/user-group`,
    {
      config: STUDY_LEAD,
      schema: {
        params: StudyParams,
        body: AddUserGroupMemberBody,
        response: { 200: UserGroupMember, ...errors },
      },
    },
    async (request) => addUserGroupMember(request.data, request.body)
  );

  app.get(
    `${BASE}/:studyId/shares`,
    { config: STUDY_SHARES, schema: { params: StudyParams, response: { 200: ShareList, ...errors } } },
    async (request) => listShares(request.data)
  );

  app.get(
    `${BASE}/:studyId/shares/:shareId`,
    { config: STUDY_SHARES, schema: { params: ShareParams, response: { 200: ShareView, ...errors } } },
    async (request) => viewShare(request.data, request.params.shareId)
  );

  app.post(
    `${BASE}/:studyId/shares/:shareId/comments`,
    {
      config: STUDY_USER_GROUP,
      schema: { params: ShareParams, body: CommentBody, response: { 201: UserGroupComment, ...errors } },
    },
    async (request, reply) =>
      reply.code(201).send(await commentOnShare(request.data, request.params.shareId, request.body))
  );

  app.get(
    '/api/user-group/studies',
    { config: { access: USER_GROUP }, schema: { response: { 200: UserGroupStudies, ...errors } } },
    async (request) => myUserGroupStudies(request.data)
  );
};

export default stcRoutes;
