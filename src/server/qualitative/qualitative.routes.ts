/**
 * The qualitative workspace's routes (issue 15), HTTP only: schema from contract/qualitative.ts,
 * the access rule (a study's routes: members only, else 404; identity keys, imports and
 * de-identification: the lead only), one call into the feature module, the reply.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AddMemberBody,
  ConsentParams,
  ConsentRecorded,
  CreateEventBody,
  CreateStudyBody,
  DecideBody,
  DecisionsRecorded,
  EventSummary,
  IdentityKey,
  ImportSourceBody,
  ParticipantCreated,
  ParticipantParams,
  RecordConsentBody,
  RegisterParticipantBody,
  SearchQuery,
  SearchResult,
  SourceParams,
  SourceReview,
  SourceSummary,
  SourceText,
  StudyDetail,
  StudyList,
  StudyMember,
  StudyParams,
  StudySummary,
  WithdrawalRecord,
} from '../../contract/qualitative.js';
import { RESEARCHER, STUDY_LEAD, STUDY_LEAD_EXPORT, STUDY_MEMBER } from '../access/rules.js';
import { commonErrors } from '../schemas.js';
import { applyReview, decideProposals, importSource } from './sources.commands.js';
import { getReview, readSource, searchStudy } from './sources.queries.js';
import {
  addMember,
  createEvent,
  createStudy,
  destroyIdentityKey,
  recordConsent,
  registerParticipant,
} from './studies.commands.js';
import { getStudy, listStudies, readConsentForm, readIdentityKey } from './studies.queries.js';
import { withdrawParticipant } from './withdrawal.commands.js';

const errors = { ...commonErrors, 409: commonErrors[400], 413: commonErrors[400] };
const BASE = '/api/research/qualitative/studies';

const qualitativeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    BASE,
    { config: { access: RESEARCHER }, schema: { response: { 200: StudyList, ...errors } } },
    async (request) => listStudies(request.data)
  );

  app.post(
    BASE,
    {
      config: { access: RESEARCHER },
      schema: { body: CreateStudyBody, response: { 201: StudySummary, ...errors } },
    },
    async (request, reply) => reply.code(201).send(await createStudy(request.data, request.body))
  );

  app.get(
    `${BASE}/:studyId`,
    { config: STUDY_MEMBER, schema: { params: StudyParams, response: { 200: StudyDetail, ...errors } } },
    async (request) => getStudy(request.data)
  );

  app.post(
    `${BASE}/:studyId/members`,
    {
      config: STUDY_LEAD,
      schema: { params: StudyParams, body: AddMemberBody, response: { 200: StudyMember, ...errors } },
    },
    async (request) => addMember(request.data, request.body)
  );

  app.post(
    `${BASE}/:studyId/participants`,
    {
      config: STUDY_LEAD,
      schema: {
        params: StudyParams,
        body: RegisterParticipantBody,
        response: { 201: ParticipantCreated, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await registerParticipant(request.data, request.body))
  );

  app.post(
    `${BASE}/:studyId/participants/:participantId/consents`,
    {
      // a scanned signed form
      bodyLimit: 12 * 1024 * 1024,
      config: STUDY_LEAD,
      schema: {
        params: ParticipantParams,
        body: RecordConsentBody,
        response: { 201: ConsentRecorded, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await recordConsent(request.data, request.params.participantId, request.body))
  );

  // The uploaded signed form (binary: no response schema), for the lead.
  app.get(
    `${BASE}/:studyId/participants/:participantId/consents/:consentId/form`,
    { config: STUDY_LEAD_EXPORT, schema: { params: ConsentParams } },
    async (request, reply) => {
      const form = await readConsentForm(
        request.data,
        request.params.participantId,
        request.params.consentId
      );
      return reply
        .type(form.contentType)
        .header('content-disposition', `attachment; filename="${form.fileName}"`)
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
        .send(Buffer.from(form.bytes));
    }
  );

  app.post(
    `${BASE}/:studyId/participants/:participantId/withdraw`,
    {
      config: STUDY_LEAD,
      schema: { params: ParticipantParams, response: { 200: WithdrawalRecord, ...errors } },
    },
    async (request) => withdrawParticipant(request.data, request.params.participantId)
  );

  app.get(
    `${BASE}/:studyId/participants/:participantId/identity-key`,
    {
      config: STUDY_LEAD,
      schema: { params: ParticipantParams, response: { 200: IdentityKey, ...errors } },
    },
    async (request) => readIdentityKey(request.data, request.params.participantId)
  );

  app.delete(
    `${BASE}/:studyId/participants/:participantId/identity-key`,
    {
      config: STUDY_LEAD,
      schema: { params: ParticipantParams, response: { 200: IdentityKey, ...errors } },
    },
    async (request) => destroyIdentityKey(request.data, request.params.participantId)
  );

  app.post(
    `${BASE}/:studyId/events`,
    {
      config: STUDY_LEAD,
      schema: { params: StudyParams, body: CreateEventBody, response: { 201: EventSummary, ...errors } },
    },
    async (request, reply) => reply.code(201).send(await createEvent(request.data, request.body))
  );

  app.post(
    `${BASE}/:studyId/sources`,
    {
      // a transcript is ~150 KB; a .docx with pictures can be larger
      bodyLimit: 12 * 1024 * 1024,
      config: STUDY_LEAD,
      schema: { params: StudyParams, body: ImportSourceBody, response: { 201: SourceSummary, ...errors } },
    },
    async (request, reply) => reply.code(201).send(await importSource(request.data, request.body))
  );

  app.get(
    `${BASE}/:studyId/sources/:sourceId`,
    { config: STUDY_MEMBER, schema: { params: SourceParams, response: { 200: SourceText, ...errors } } },
    async (request) => readSource(request.data, request.params.sourceId)
  );

  app.get(
    `${BASE}/:studyId/sources/:sourceId/review`,
    { config: STUDY_LEAD, schema: { params: SourceParams, response: { 200: SourceReview, ...errors } } },
    async (request) => getReview(request.data, request.params.sourceId)
  );

  app.post(
    `${BASE}/:studyId/sources/:sourceId/decisions`,
    {
      bodyLimit: 1024 * 1024,
      config: STUDY_LEAD,
      schema: {
        params: SourceParams,
        body: DecideBody,
        response: { 200: DecisionsRecorded, ...errors },
      },
    },
    async (request) => decideProposals(request.data, request.params.sourceId, request.body)
  );

  app.post(
    `${BASE}/:studyId/sources/:sourceId/apply`,
    { config: STUDY_LEAD, schema: { params: SourceParams, response: { 200: SourceReview, ...errors } } },
    async (request) => applyReview(request.data, request.params.sourceId)
  );

  app.get(
    `${BASE}/:studyId/search`,
    {
      config: STUDY_MEMBER,
      schema: { params: StudyParams, querystring: SearchQuery, response: { 200: SearchResult, ...errors } },
    },
    async (request) =>
      searchStudy(
        request.data,
        request.query.q,
        request.query.limit === undefined ? undefined : Math.min(Number(request.query.limit), 200)
      )
  );
};

export default qualitativeRoutes;
