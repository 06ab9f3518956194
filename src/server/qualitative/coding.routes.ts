/**
 * The codebook, coding, agreement and memos (issue 15), HTTP only: schema from
 * contract/qualitative-coding.ts, the access rule (study members; the commands refuse a reader's
 * changes and a coder's look at others' codings), one call into the feature module, the reply.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { SourceParams, StudyParams } from '../../contract/qualitative.js';
import {
  AgreementQuery,
  AgreementView,
  Codebook,
  CodeParams,
  CodeView,
  CodingList,
  CodingParams,
  CodingsQuery,
  CodingView,
  CreateCodeBody,
  CreateCodingBody,
  CreateMemoBody,
  MemoList,
  MemoParams,
  MemosQuery,
  MemoView,
  MergeCodeBody,
  MergeCodeResult,
  SplitCodeBody,
  SplitCodeResult,
  UpdateCodeBody,
  UpdateMemoBody,
  WordExportQuery,
} from '../../contract/qualitative-coding.js';
import { STUDY_MEMBER, STUDY_MEMBER_EXPORT } from '../access/rules.js';
import { commonErrors } from '../schemas.js';
import {
  createCode,
  createCoding,
  createMemo,
  deleteCoding,
  deleteMemo,
  mergeCode,
  splitCodeCommand,
  updateCode,
  updateMemo,
} from './coding.commands.js';
import { agreement, getCodebook, listCodings, listMemos } from './coding.queries.js';
import { sendWord } from './send-word.js';
import { quotationsWord } from './word-export.queries.js';

const errors = { ...commonErrors, 409: commonErrors[400] };
const BASE = '/api/research/qualitative/studies/:studyId';
const coderIds = (q: { coders: string }) => q.coders.split(',');

const codingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    `${BASE}/codes`,
    { config: STUDY_MEMBER, schema: { params: StudyParams, response: { 200: Codebook, ...errors } } },
    async (request) => getCodebook(request.data)
  );

  app.post(
    `${BASE}/codes`,
    {
      config: STUDY_MEMBER,
      schema: { params: StudyParams, body: CreateCodeBody, response: { 201: CodeView, ...errors } },
    },
    async (request, reply) => reply.code(201).send(await createCode(request.data, request.body))
  );

  app.patch(
    `${BASE}/codes/:codeId`,
    {
      config: STUDY_MEMBER,
      schema: { params: CodeParams, body: UpdateCodeBody, response: { 200: CodeView, ...errors } },
    },
    async (request) => updateCode(request.data, request.params.codeId, request.body)
  );

  app.post(
    `${BASE}/codes/:codeId/merge`,
    {
      config: STUDY_MEMBER,
      schema: { params: CodeParams, body: MergeCodeBody, response: { 200: MergeCodeResult, ...errors } },
    },
    async (request) => mergeCode(request.data, request.params.codeId, request.body)
  );

  app.post(
    `${BASE}/codes/:codeId/split`,
    {
      bodyLimit: 1024 * 1024,
      config: STUDY_MEMBER,
      schema: { params: CodeParams, body: SplitCodeBody, response: { 201: SplitCodeResult, ...errors } },
    },
    async (request, reply) =>
      reply.code(201).send(await splitCodeCommand(request.data, request.params.codeId, request.body))
  );

  app.get(
    `${BASE}/sources/:sourceId/codings`,
    {
      config: STUDY_MEMBER,
      schema: { params: SourceParams, querystring: CodingsQuery, response: { 200: CodingList, ...errors } },
    },
    async (request) => listCodings(request.data, request.params.sourceId, request.query.coder)
  );

  app.post(
    `${BASE}/sources/:sourceId/codings`,
    {
      config: STUDY_MEMBER,
      schema: { params: SourceParams, body: CreateCodingBody, response: { 201: CodingView, ...errors } },
    },
    async (request, reply) =>
      reply.code(201).send(await createCoding(request.data, request.params.sourceId, request.body))
  );

  app.delete(
    `${BASE}/sources/:sourceId/codings/:codingId`,
    { config: STUDY_MEMBER, schema: { params: CodingParams, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      await deleteCoding(request.data, request.params.sourceId, request.params.codingId);
      return reply.code(204).send(null);
    }
  );

  app.get(
    `${BASE}/sources/:sourceId/agreement`,
    {
      config: STUDY_MEMBER,
      schema: {
        params: SourceParams,
        querystring: AgreementQuery,
        response: { 200: AgreementView, ...errors },
      },
    },
    async (request) => agreement(request.data, request.params.sourceId, coderIds(request.query))
  );

  app.get(
    `${BASE}/agreement`,
    {
      config: STUDY_MEMBER,
      schema: {
        params: StudyParams,
        querystring: AgreementQuery,
        response: { 200: AgreementView, ...errors },
      },
    },
    async (request) => agreement(request.data, null, coderIds(request.query))
  );

  app.get(
    `${BASE}/memos`,
    {
      config: STUDY_MEMBER,
      schema: { params: StudyParams, querystring: MemosQuery, response: { 200: MemoList, ...errors } },
    },
    async (request) => listMemos(request.data, request.query)
  );

  app.post(
    `${BASE}/memos`,
    {
      config: STUDY_MEMBER,
      schema: { params: StudyParams, body: CreateMemoBody, response: { 201: MemoView, ...errors } },
    },
    async (request, reply) => reply.code(201).send(await createMemo(request.data, request.body))
  );

  app.patch(
    `${BASE}/memos/:memoId`,
    {
      config: STUDY_MEMBER,
      schema: { params: MemoParams, body: UpdateMemoBody, response: { 200: MemoView, ...errors } },
    },
    async (request) => updateMemo(request.data, request.params.memoId, request.body)
  );

  app.delete(
    `${BASE}/memos/:memoId`,
    { config: STUDY_MEMBER, schema: { params: MemoParams, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      await deleteMemo(request.data, request.params.memoId);
      return reply.code(204).send(null);
    }
  );

  // Quotations by code as a Word document for a paper (binary: no response schema).
  app.get(
    `${BASE}/quotations.docx`,
    { config: STUDY_MEMBER_EXPORT, schema: { params: StudyParams, querystring: WordExportQuery } },
    async (request, reply) => {
      const file = await quotationsWord(request.data, request.query);
      return sendWord(reply, file);
    }
  );
};

export default codingRoutes;
