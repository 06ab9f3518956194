/**
 * User administration, HTTP only. An admin manages accounts and checks the audit chain, but no
 * admin route returns clinical data. Patients get their accounts through their GP's invitation,
 * not here. Reads in admin.queries.ts, changes in admin.commands.ts.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AdminUser,
  AdminUserList,
  AuditVerification,
  CreateUserBody,
  PracticeList,
  UserIdParams,
} from '../../contract/admin.js';
import { commonErrors } from '../schemas.js';
import { createUser, setUserDisabled } from './admin.commands.js';
import { listPractices, listUsers, verifyAuditChain } from './admin.queries.js';

const ADMIN = { roles: ['admin'] } as const;

const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/admin/users',
    { config: { access: ADMIN }, schema: { response: { 200: AdminUserList, ...commonErrors } } },
    async (request) => listUsers(request.data)
  );

  app.get(
    '/api/admin/practices',
    { config: { access: ADMIN }, schema: { response: { 200: PracticeList, ...commonErrors } } },
    async (request) => listPractices(request.data)
  );

  app.post(
    '/api/admin/users',
    {
      config: { access: ADMIN },
      schema: { body: CreateUserBody, response: { 201: AdminUser, 409: commonErrors[400], ...commonErrors } },
    },
    async (request, reply) => {
      const user = await createUser(request.data, request.body);
      reply.code(201);
      return user;
    }
  );

  for (const change of ['disable', 'enable'] as const) {
    app.post(
      `/api/admin/users/:userId/${change}`,
      {
        config: { access: ADMIN },
        schema: { params: UserIdParams, response: { 200: AdminUser, ...commonErrors } },
      },
      async (request) => setUserDisabled(request.data, request.params.userId, change)
    );
  }

  app.get(
    '/api/admin/audit/verify',
    { config: { access: ADMIN }, schema: { response: { 200: AuditVerification, ...commonErrors } } },
    async (request) =>
      verifyAuditChain(request.data, { auditKey: app.secrets.auditKey, anchors: app.auditAnchors })
  );
};

export default adminRoutes;
