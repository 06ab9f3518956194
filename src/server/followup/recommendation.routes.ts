/**
 * Recommending the program, in one step, recorded: the GP picks a guidance level, sees the
 * suitability check, and gets an invitation for the patient; the follow-up plan is created at
 * once. Then the patient redeems the invitation at home and sets their own password.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  mayIssueFirstLoginCode,
  mayStartRecovery,
  redeemOutcome,
  type PatientAccountState,
} from '../../domain/access/patient-account.js';
import {
  checklistProblems,
  CONTRAINDICATIONS,
  GUIDANCE_LEVELS,
  mayBeUnder18,
  planFollowUps,
  suitability,
} from '../../domain/followup/plan.js';
import { LISTED_GP } from '../access/rules.js';
import { auditedTransaction, recordAccess, withAuditedTransaction } from '../audit/audit-log.js';
import { hashPassword, passwordProblems } from '../auth/passwords.js';
import { cookieSameSite, createSession, csrfTokenFor, SESSION_COOKIE } from '../auth/sessions.js';
import { badRequest, HttpProblem } from '../problem.js';
import { commonErrors, Nullable, Uuid } from '../schemas.js';
import { hashInvitationCode, loadPatientAccountState, replaceInvitation } from './invitation-codes.js';

const SuitabilitySchema = Type.Object({
  level: Type.Enum(['ok', 'no_baseline', 'needs_decision'] as const),
  reasons: Type.Array(Type.Enum(['severe', 'item9_positive'] as const)),
  /** PHQ-9 15-19: see the patient more often (does not block). */
  advice: Type.Array(Type.Enum(['see_more_often'] as const)),
  /** The checklist to ask, and the items the record already shows (the birth year). */
  checklist: Type.Array(Type.Enum(CONTRAINDICATIONS)),
  knownPresent: Type.Array(Type.Enum(CONTRAINDICATIONS)),
  latestPhq9: Nullable(
    Type.Object({
      total: Type.Integer(),
      severity: Type.String(),
      item9: Type.Integer(),
      answeredAt: Type.String(),
    })
  ),
});

const InvitationSchema = Type.Object({
  code: Type.String(),
  expiresAt: Type.String(),
  /** The page where the patient types the code. The code itself is never put in a URL. */
  path: Type.String(),
});

/** A code was asked for a patient who already logs in (or whose account is closed). */
function hasCredentialsForGp(state: PatientAccountState): HttpProblem {
  return new HttpProblem(
    409,
    'Conflict',
    state === 'disabled'
      ? 'This account is closed by an administrator.'
      : 'The patient already has an account and logs in with it. If they have lost access, reset their access instead.'
  );
}

const recommendationRoutes: FastifyPluginAsyncTypebox<{ loginRateLimit: number }> = async (app, options) => {
  async function latestPhq9(patientId: string) {
    const row = await app.db
      .selectFrom('questionnaire_responses')
      .select(['total_score', 'severity', 'item9_score', 'answered_at'])
      .where('patient_id', '=', patientId)
      .where('instrument', '=', 'phq9')
      .orderBy('answered_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row
      ? {
          total: row.total_score,
          severity: row.severity,
          item9: row.item9_score ?? 0,
          answeredAt: new Date(row.answered_at).toISOString(),
        }
      : null;
  }

  app.get(
    '/api/patients/:patientId/recommendation/check',
    {
      config: { access: LISTED_GP },
      schema: {
        params: Type.Object({ patientId: Uuid }),
        response: { 200: SuitabilitySchema, ...commonErrors },
      },
    },
    async (request) => {
      const latest = await latestPhq9(request.params.patientId);
      const check = suitability(latest ? { total: latest.total, item9: latest.item9 } : null);
      const { birth_year: birthYear } = await app.db
        .selectFrom('patients')
        .select('birth_year')
        .where('id', '=', request.params.patientId)
        .executeTakeFirstOrThrow();
      await recordAccess(request, {
        action: 'read',
        dataCategory: 'suitability check (latest PHQ-9)',
        patientIds: [request.params.patientId],
      });
      return {
        level: check.level,
        reasons: check.level === 'needs_decision' ? check.reasons : [],
        advice: check.advice,
        checklist: [...CONTRAINDICATIONS],
        knownPresent: mayBeUnder18(birthYear, app.now()) ? ['under_18' as const] : [],
        latestPhq9: latest,
      };
    }
  );

  app.post(
    '/api/patients/:patientId/recommendation',
    {
      config: { access: LISTED_GP },
      schema: {
        params: Type.Object({ patientId: Uuid }),
        body: Type.Object(
          {
            guidanceLevel: Type.Enum(GUIDANCE_LEVELS),
            /** Required when the suitability check asks for a decision: why self-help is still right. */
            decisionNote: Type.Optional(Type.String({ maxLength: 1000 })),
            /** The checklist, asked: each contraindication present, with the reason to go ahead. */
            contraindications: Type.Array(
              Type.Object(
                {
                  item: Type.Enum(CONTRAINDICATIONS),
                  reasonToProceed: Type.String({ maxLength: 1000 }),
                },
                { additionalProperties: false }
              ),
              { maxItems: CONTRAINDICATIONS.length }
            ),
          },
          { additionalProperties: false }
        ),
        response: {
          201: Type.Object({
            recommendedAt: Type.String(),
            guidanceLevel: Type.String(),
            followUps: Type.Array(
              Type.Object({
                id: Uuid,
                plannedAt: Type.String(),
                durationMinutes: Type.Integer(),
                moduleId: Nullable(Type.String()),
              })
            ),
            /** Null when the patient already logs in: they find the program in their account. */
            invitation: Nullable(InvitationSchema),
          }),
          409: commonErrors[400],
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      const { patientId } = request.params;
      const { guidanceLevel } = request.body;
      const decisionNote = request.body.decisionNote?.trim() || null;
      const now = app.now();
      const latest = await latestPhq9(patientId);
      const check = suitability(latest ? { total: latest.total, item9: latest.item9 } : null);
      const { birth_year: birthYear } = await app.db
        .selectFrom('patients')
        .select('birth_year')
        .where('id', '=', patientId)
        .executeTakeFirstOrThrow();
      const problems = checklistProblems(request.body.contraindications, { birthYear, now });
      if (check.level === 'needs_decision' && !decisionNote) {
        problems.unshift({
          field: 'decisionNote',
          reason: `is required: the latest PHQ-9 shows ${check.reasons.join(' and ')}; record why the program is still the right step`,
        });
      }
      if (problems.length > 0) throw badRequest(problems);
      const result = await auditedTransaction(request, now, async (trx, audit) => {
        const existing = await trx
          .selectFrom('program_enrolments')
          .select(['status'])
          .where('patient_id', '=', patientId)
          .executeTakeFirst();
        if (existing && existing.status !== 'stopped') {
          throw new HttpProblem(
            409,
            'Conflict',
            `The program is already ${existing.status} for this patient.`
          );
        }
        const values = {
          status: 'recommended' as const,
          recommended_by: request.actor!.userId,
          recommended_at: now,
          modules_completed: 0,
          finished_at: null,
          started_at: null,
          guidance_level: guidanceLevel,
          baseline_phq9: latest?.total ?? null,
          baseline_item9: latest?.item9 ?? null,
          suitability_reasons: JSON.stringify(check.level === 'needs_decision' ? check.reasons : []),
          suitability_decision: decisionNote,
          contraindications: JSON.stringify(
            request.body.contraindications.map((c) => ({
              item: c.item,
              reasonToProceed: c.reasonToProceed.trim(),
            }))
          ),
        };
        if (existing)
          await trx
            .updateTable('program_enrolments')
            .set(values)
            .where('patient_id', '=', patientId)
            .execute();
        else
          await trx
            .insertInto('program_enrolments')
            .values({ patient_id: patientId, ...values })
            .execute();
        await trx
          .updateTable('follow_ups')
          .set({ status: 'cancelled' })
          .where('patient_id', '=', patientId)
          .where('status', '=', 'planned')
          .execute();
        const plan = planFollowUps(guidanceLevel, now);
        const followUps = await trx
          .insertInto('follow_ups')
          .values(
            plan.map((p) => ({
              patient_id: patientId,
              gp_user_id: request.actor!.userId,
              module_id: p.moduleId,
              planned_at: p.plannedAt,
              duration_minutes: p.durationMinutes,
              kind: p.kind,
              created_at: now,
            }))
          )
          .returning(['id', 'planned_at', 'duration_minutes', 'module_id'])
          .execute();
        const account = await loadPatientAccountState(trx, patientId);
        const invitation = mayIssueFirstLoginCode(account.state)
          ? await replaceInvitation(trx, app.secrets.csrfKey, patientId, request.actor!.userId, now)
          : null;
        audit({
          action: 'create',
          dataCategory: 'program recommendation and follow-up plan',
          patientIds: [patientId],
        });
        return { followUps, invitation };
      });
      reply.code(201);
      return {
        recommendedAt: now.toISOString(),
        guidanceLevel,
        followUps: result.followUps.map((f) => ({
          id: f.id,
          plannedAt: new Date(f.planned_at).toISOString(),
          durationMinutes: f.duration_minutes,
          moduleId: f.module_id,
        })),
        invitation: result.invitation
          ? {
              code: result.invitation.code,
              expiresAt: result.invitation.expiresAt.toISOString(),
              path: '/invitasjon',
            }
          : null,
      };
    }
  );

  app.post(
    '/api/patients/:patientId/invitations',
    {
      config: { access: LISTED_GP },
      schema: {
        params: Type.Object({ patientId: Uuid }),
        response: { 201: InvitationSchema, 409: commonErrors[400], ...commonErrors },
      },
    },
    async (request, reply) => {
      const { patientId } = request.params;
      const now = app.now();
      const { code, expiresAt } = await auditedTransaction(request, now, async (trx, audit) => {
        const enrolment = await trx
          .selectFrom('program_enrolments')
          .select('status')
          .where('patient_id', '=', patientId)
          .executeTakeFirst();
        if (!enrolment) throw new HttpProblem(409, 'Conflict', 'Recommend the program first.');
        const account = await loadPatientAccountState(trx, patientId);
        if (!mayIssueFirstLoginCode(account.state)) throw hasCredentialsForGp(account.state);
        const issued = await replaceInvitation(
          trx,
          app.secrets.csrfKey,
          patientId,
          request.actor!.userId,
          now,
          // After a recovery the next code is still a recovery code: it sets a password again.
          account.state === 'awaiting_password' ? 'recovery' : 'first_login'
        );
        audit({ action: 'create', dataCategory: 'invitation', patientIds: [patientId] });
        return issued;
      });
      reply.code(201);
      return { code, expiresAt: expiresAt.toISOString(), path: '/invitasjon' };
    }
  );

  app.post(
    '/api/patients/:patientId/account-recovery',
    {
      config: { access: LISTED_GP },
      schema: {
        params: Type.Object({ patientId: Uuid }),
        response: { 201: InvitationSchema, 409: commonErrors[400], ...commonErrors },
      },
    },
    async (request, reply) => {
      const { patientId } = request.params;
      const now = app.now();
      const { code, expiresAt } = await auditedTransaction(request, now, async (trx, audit) => {
        const account = await loadPatientAccountState(trx, patientId);
        if (!mayStartRecovery(account.state) || !account.userId) {
          throw new HttpProblem(
            409,
            'Conflict',
            account.state === 'none'
              ? 'The patient has no account yet: give them an invitation code instead.'
              : 'This account is closed by an administrator and cannot be recovered here.'
          );
        }
        // Whoever holds the old password or a session is shut out before the new code exists.
        await trx
          .updateTable('sessions')
          .set({ revoked_at: now })
          .where('user_id', '=', account.userId)
          .where('revoked_at', 'is', null)
          .execute();
        await trx
          .updateTable('users')
          .set({ password_hash: null })
          .where('id', '=', account.userId)
          .execute();
        const issued = await replaceInvitation(
          trx,
          app.secrets.csrfKey,
          patientId,
          request.actor!.userId,
          now,
          'recovery'
        );
        audit({
          action: 'update',
          dataCategory: 'account recovery: sessions ended, password cleared, recovery code issued',
          patientIds: [patientId],
        });
        return issued;
      });
      reply.code(201);
      return { code, expiresAt: expiresAt.toISOString(), path: '/invitasjon' };
    }
  );

  app.post(
    '/api/invitations/redeem',
    {
      config: {
        access: { public: true },
        rateLimit: { max: options.loginRateLimit, timeWindow: '1 minute' },
      },
      schema: {
        body: Type.Object(
          {
            code: Type.String({ minLength: 6, maxLength: 20 }),
            /** Used only when the patient has no account yet. */
            username: Type.Optional(
              Type.String({ minLength: 3, maxLength: 64, pattern: '^[a-zA-Z0-9._-]+$' })
            ),
            password: Type.String({ minLength: 1, maxLength: 128 }),
          },
          { additionalProperties: false }
        ),
        response: {
          200: Type.Object({ username: Type.String(), csrfToken: Type.String() }),
          409: commonErrors[400],
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      const now = app.now();
      const problems = passwordProblems(request.body.password).map((reason) => ({
        field: 'password',
        reason,
      }));
      if (problems.length > 0) throw badRequest(problems);
      const codeHash = hashInvitationCode(app.secrets.csrfKey, request.body.code);
      const invalid = () =>
        new HttpProblem(
          400,
          'Bad Request',
          'The code is not valid. Check it, or ask your GP for a new one.',
          [{ field: 'code', reason: 'is not valid or has expired' }]
        );
      const passwordHash = await hashPassword(request.body.password);
      const user = await withAuditedTransaction(app.db, app.secrets.auditKey, now, async (trx, record) => {
        const invitation = await trx
          .selectFrom('invitations')
          .select(['id', 'patient_id', 'expires_at', 'used_at', 'revoked_at', 'purpose'])
          .where('code_hash', '=', codeHash)
          .forUpdate()
          .executeTakeFirst();
        if (
          !invitation ||
          invitation.used_at ||
          invitation.revoked_at ||
          new Date(invitation.expires_at).getTime() <= now.getTime()
        )
          throw invalid();
        const patient = await trx
          .selectFrom('patients')
          .select(['id', 'user_id', 'display_name'])
          .where('id', '=', invitation.patient_id)
          .executeTakeFirstOrThrow();
        const account = await loadPatientAccountState(trx, patient.id);
        const outcome = redeemOutcome(account.state);
        if (outcome === 'refuse_has_credentials' || outcome === 'refuse_disabled') {
          // The code stays as it is: it can never change an account that has a password.
          throw new HttpProblem(
            409,
            'Conflict',
            outcome === 'refuse_has_credentials'
              ? 'You already have an account. Log in with your username and password. If you have lost your password, ask your GP to reset your access.'
              : 'This account is closed. Contact your GP’s office.',
            [{ field: 'code', reason: 'belongs to an account that already has a password' }]
          );
        }
        let userId = patient.user_id;
        let username: string;
        if (outcome === 'set_password' && userId) {
          // The SQL repeats the rule, so a race with a password set meanwhile cannot overwrite it.
          const updated = await trx
            .updateTable('users')
            .set({ password_hash: passwordHash })
            .where('id', '=', userId)
            .where('password_hash', 'is', null)
            .returning('username')
            .executeTakeFirst();
          if (!updated)
            throw new HttpProblem(409, 'Conflict', 'The account changed meanwhile. Try to log in.');
          username = updated.username;
          await trx
            .updateTable('sessions')
            .set({ revoked_at: now })
            .where('user_id', '=', userId)
            .where('revoked_at', 'is', null)
            .execute();
        } else {
          if (!request.body.username)
            throw badRequest([{ field: 'username', reason: 'is required: choose a username' }]);
          username = request.body.username.toLowerCase();
          const taken = await trx
            .selectFrom('users')
            .select('id')
            .where('username', '=', username)
            .executeTakeFirst();
          if (taken)
            throw new HttpProblem(409, 'Conflict', 'That username is taken. Choose another.', [
              { field: 'username', reason: 'is already in use' },
            ]);
          const created = await trx
            .insertInto('users')
            .values({
              username,
              display_name: patient.display_name,
              role: 'patient',
              password_hash: passwordHash,
              practice_id: null,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          userId = created.id;
          await trx.updateTable('patients').set({ user_id: userId }).where('id', '=', patient.id).execute();
        }
        await trx.updateTable('invitations').set({ used_at: now }).where('id', '=', invitation.id).execute();
        record([
          {
            actorUserId: userId,
            actorRole: 'patient',
            actorName: patient.display_name,
            actorPracticeId: null,
            patientId: patient.id,
            action: 'update',
            dataCategory:
              invitation.purpose === 'recovery'
                ? 'recovery code used, new password set'
                : 'invitation used, password set',
            accessBasis: 'invitation',
            outcome: 'allowed',
            requestId: request.id,
          },
        ]);
        return { id: userId, username };
      });
      const { token, tokenHash } = await createSession(app.db, { id: user.id, role: 'patient' }, now);
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        secure: true,
        sameSite: cookieSameSite('patient'),
      });
      return { username: user.username, csrfToken: csrfTokenFor(app.secrets.csrfKey, tokenHash) };
    }
  );
};

export default recommendationRoutes;
