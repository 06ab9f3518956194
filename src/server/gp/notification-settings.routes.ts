/**
 * Where urgent-case notifications go (issue 11 §1): the GP's own e-mail and mobile number, the
 * practice's shared e-mail and its response standard, and a test message to check that mail
 * arrives. Any GP of the practice may change the practice's settings (they share the duty to act
 * on an urgent case); a GP of another practice may not (403). An admin manages accounts and has no
 * practice, so these stay with the practice's GPs.
 *
 * Every change is in the audit log with who made it and which setting changed; the addresses
 * themselves are not copied into the log (they are contact details, and the log is kept forever).
 * The test message goes through the same outbox and channel as an urgent notice and carries no
 * health content; it is recorded in `notifications` with purpose 'test'.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import {
  EMAIL_MAX,
  EMAIL_OR_EMPTY_PATTERN,
  EMAIL_REASON,
  PHONE_OR_EMPTY_PATTERN,
  PHONE_REASON,
} from '../../domain/safety/notification-settings.js';
import {
  responseStandardProblems,
  TIME_PATTERN,
  type ResponseStandard,
} from '../../domain/safety/response-standard.js';
import { auditedTransaction } from '../audit/audit-log.js';
import { badRequest, forbidden, HttpProblem, validationProblem } from '../problem.js';
import { commonErrors, Nullable, Uuid } from '../schemas.js';

/** Test messages one GP may ask for within TEST_WINDOW_MS (they go to addresses typed in by hand). */
export const TEST_MAX = 5;
const TEST_WINDOW_MS = 10 * 60_000;

const GP_ONLY = { roles: ['gp'] } as const;

const Email = Type.String({ maxLength: EMAIL_MAX, pattern: EMAIL_OR_EMPTY_PATTERN });
const Phone = Type.String({ maxLength: 16, pattern: PHONE_OR_EMPTY_PATTERN });
const Time = Type.String({ maxLength: 5, pattern: TIME_PATTERN });

const ResponseStandardSchema = Type.Object(
  { sameDayCutoff: Time, sameDayBy: Time, nextDayBy: Time },
  { additionalProperties: false }
);

const TestMessage = Type.Object({
  id: Uuid,
  to: Type.String(),
  target: Type.Enum(['own', 'practice'] as const),
  state: Type.Enum(['sent', 'sending', 'failed'] as const),
  at: Type.String(),
  error: Nullable(Type.String()),
});

const OwnSettings = Type.Object({
  /** '' when none is set. */
  email: Type.String(),
  phone: Type.String(),
  practiceId: Nullable(Uuid),
  /** This GP's latest test messages, newest first. */
  recentTests: Type.Array(TestMessage),
});

const PracticeSettings = Type.Object({
  practiceId: Uuid,
  practiceName: Type.String(),
  /** '' when none is set: urgent mail then goes only to the GPs. */
  urgentEmail: Type.String(),
  responseStandard: ResponseStandardSchema,
  /** GPs of the practice with neither e-mail nor phone: an urgent case reaches them nowhere. */
  gpsWithoutAddress: Type.Array(Type.String()),
});

const PracticeParams = Type.Object({ practiceId: Uuid }, { additionalProperties: false });

/** What a field's pattern means, in words: "has an invalid format" says too little here. */
const PATTERN_REASONS: Record<string, string> = {
  email: EMAIL_REASON,
  urgentEmail: EMAIL_REASON,
  phone: PHONE_REASON,
  'responseStandard.sameDayCutoff': 'must be a time of day as HH:MM (24-hour)',
  'responseStandard.sameDayBy': 'must be a time of day as HH:MM (24-hour)',
  'responseStandard.nextDayBy': 'must be a time of day as HH:MM (24-hour)',
};

/**
 * The routes below validate with `attachValidation`, so a refused body is answered here: the same
 * problem document as everywhere, with each pattern's meaning spelled out for its field.
 */
function refuseInvalid(request: FastifyRequest): void {
  if (!request.validationError) return;
  const problem = validationProblem(request.validationError as unknown as FastifyError);
  throw badRequest(
    (problem.errors ?? []).map((e) =>
      e.reason === 'has an invalid format' && PATTERN_REASONS[e.field]
        ? { field: e.field, reason: PATTERN_REASONS[e.field]! }
        : e
    )
  );
}

/** What changed in one address, in words for the audit log (never the address itself). */
function addressChange(label: string, before: string | null, after: string | null): string | null {
  if ((before ?? '') === (after ?? '')) return null;
  if (!after) return `${label} cleared`;
  return before ? `${label} changed` : `${label} set`;
}

function standardText(s: ResponseStandard): string {
  return `${s.sameDayCutoff}/${s.sameDayBy}/${s.nextDayBy}`;
}

const notificationSettingsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  async function ownSettings(userId: string) {
    const user = await app.db
      .selectFrom('users')
      .select(['notify_email', 'notify_phone', 'practice_id'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    const tests = await app.db
      .selectFrom('notifications')
      .select(['id', 'recipient', 'recipient_kind', 'sent_at', 'gave_up_at', 'created_at', 'last_error'])
      .where('purpose', '=', 'test')
      .where('recipient_user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .limit(3)
      .execute();
    return {
      email: user.notify_email ?? '',
      phone: user.notify_phone ?? '',
      practiceId: user.practice_id,
      recentTests: tests.map((n) => ({
        id: n.id,
        to: n.recipient,
        target: n.recipient_kind === 'practice_address' ? ('practice' as const) : ('own' as const),
        state: n.sent_at ? ('sent' as const) : n.gave_up_at ? ('failed' as const) : ('sending' as const),
        at: new Date(n.sent_at ?? n.gave_up_at ?? n.created_at).toISOString(),
        error: n.last_error,
      })),
    };
  }

  /** The actor's own practice, or 403: a GP of another practice may neither read nor change it. */
  function assertOwnPractice(request: FastifyRequest, practiceId: string): void {
    if (request.actor?.practiceId !== practiceId) {
      throw forbidden('You can see and change the notification settings of your own practice only.');
    }
  }

  async function practiceSettings(practiceId: string) {
    const practice = await app.db
      .selectFrom('practices')
      .select(['id', 'name', 'urgent_email', 'response_standard'])
      .where('id', '=', practiceId)
      .executeTakeFirstOrThrow();
    const unreachable = await app.db
      .selectFrom('users')
      .select('display_name')
      .where('practice_id', '=', practiceId)
      .where('role', '=', 'gp')
      .where('disabled_at', 'is', null)
      .where('notify_email', 'is', null)
      .where('notify_phone', 'is', null)
      .orderBy('display_name')
      .execute();
    const s = practice.response_standard;
    return {
      practiceId: practice.id,
      practiceName: practice.name,
      urgentEmail: practice.urgent_email ?? '',
      responseStandard: { sameDayCutoff: s.sameDayCutoff, sameDayBy: s.sameDayBy, nextDayBy: s.nextDayBy },
      gpsWithoutAddress: unreachable.map((u) => u.display_name),
    };
  }

  app.get(
    '/api/gp/notification-settings',
    {
      config: { access: GP_ONLY },
      schema: { response: { 200: OwnSettings, ...commonErrors } },
    },
    async (request) => ownSettings(request.actor!.userId)
  );

  app.put(
    '/api/gp/notification-settings',
    {
      config: { access: GP_ONLY },
      attachValidation: true,
      schema: {
        body: Type.Object({ email: Email, phone: Phone }, { additionalProperties: false }),
        response: { 200: OwnSettings, ...commonErrors },
      },
    },
    async (request) => {
      refuseInvalid(request);
      const userId = request.actor!.userId;
      const email = request.body.email || null;
      const phone = request.body.phone || null;
      await auditedTransaction(request, app.now(), async (trx, audit) => {
        const before = await trx
          .selectFrom('users')
          .select(['notify_email', 'notify_phone'])
          .where('id', '=', userId)
          .forUpdate()
          .executeTakeFirstOrThrow();
        await trx
          .updateTable('users')
          .set({ notify_email: email, notify_phone: phone })
          .where('id', '=', userId)
          .execute();
        const changes = [
          addressChange('e-mail', before.notify_email, email),
          addressChange('phone', before.notify_phone, phone),
        ].filter(Boolean);
        audit({
          action: 'update',
          dataCategory: `urgent-case notification settings (own): ${changes.join(', ') || 'no change'}`,
          patientIds: [null],
        });
      });
      return ownSettings(userId);
    }
  );

  app.get(
    '/api/gp/practices/:practiceId/notification-settings',
    {
      config: { access: GP_ONLY },
      schema: { params: PracticeParams, response: { 200: PracticeSettings, ...commonErrors } },
    },
    async (request) => {
      assertOwnPractice(request, request.params.practiceId);
      return practiceSettings(request.params.practiceId);
    }
  );

  app.put(
    '/api/gp/practices/:practiceId/notification-settings',
    {
      config: { access: GP_ONLY },
      attachValidation: true,
      schema: {
        params: PracticeParams,
        body: Type.Object(
          { urgentEmail: Email, responseStandard: ResponseStandardSchema },
          { additionalProperties: false }
        ),
        response: { 200: PracticeSettings, ...commonErrors },
      },
    },
    async (request) => {
      refuseInvalid(request);
      const { practiceId } = request.params;
      assertOwnPractice(request, practiceId);
      const standard = request.body.responseStandard;
      const problems = responseStandardProblems(standard).map((p) => ({
        field: `responseStandard.${p.field}`,
        reason: p.reason,
      }));
      if (problems.length > 0) throw badRequest(problems);
      const urgentEmail = request.body.urgentEmail || null;
      const next: ResponseStandard = {
        sameDayCutoff: standard.sameDayCutoff,
        sameDayBy: standard.sameDayBy,
        nextDayBy: standard.nextDayBy,
      };
      await auditedTransaction(request, app.now(), async (trx, audit) => {
        const before = await trx
          .selectFrom('practices')
          .select(['urgent_email', 'response_standard'])
          .where('id', '=', practiceId)
          .forUpdate()
          .executeTakeFirstOrThrow();
        await trx
          .updateTable('practices')
          .set({ urgent_email: urgentEmail, response_standard: JSON.stringify(next) })
          .where('id', '=', practiceId)
          .execute();
        // The standard is the practice's rule, not a personal detail: its new value is logged.
        const changes = [
          addressChange('shared e-mail', before.urgent_email, urgentEmail),
          standardText(before.response_standard) === standardText(next)
            ? null
            : `response standard now ${standardText(next)} (cutoff/same day by/next day by)`,
        ].filter(Boolean);
        audit({
          action: 'update',
          dataCategory: `urgent-case notification settings (practice): ${changes.join(', ') || 'no change'}`,
          patientIds: [null],
        });
      });
      return practiceSettings(practiceId);
    }
  );

  app.post(
    '/api/gp/notification-settings/test-email',
    {
      config: { access: GP_ONLY },
      attachValidation: true,
      schema: {
        body: Type.Object(
          {
            email: Type.String({ minLength: 1, maxLength: EMAIL_MAX, pattern: EMAIL_OR_EMPTY_PATTERN }),
            /** Which address is being checked: the GP's own, or the practice's shared one. */
            target: Type.Enum(['own', 'practice'] as const),
          },
          { additionalProperties: false }
        ),
        response: { 202: Type.Object({ id: Uuid }), ...commonErrors },
      },
    },
    async (request, reply) => {
      refuseInvalid(request);
      const actor = request.actor!;
      const now = app.now();
      // Counted in the outbox, so the limit holds across servers and restarts.
      const recent = await app.db
        .selectFrom('notifications')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('purpose', '=', 'test')
        .where('recipient_user_id', '=', actor.userId)
        .where('created_at', '>', new Date(now.getTime() - TEST_WINDOW_MS))
        .executeTakeFirstOrThrow();
      if (Number(recent.n) >= TEST_MAX) {
        throw new HttpProblem(
          429,
          'Too Many Requests',
          `At most ${TEST_MAX} test messages in ${TEST_WINDOW_MS / 60_000} minutes; try again later.`
        );
      }
      const id = await auditedTransaction(request, now, async (trx, audit) => {
        const row = await trx
          .insertInto('notifications')
          .values({
            case_id: null,
            purpose: 'test',
            channel: 'email',
            recipient: request.body.email,
            recipient_user_id: actor.userId,
            recipient_kind: request.body.target === 'practice' ? 'practice_address' : 'gp',
            created_at: now,
            next_attempt_at: now,
            sent_at: null,
            gave_up_at: null,
            last_error: null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        audit({
          action: 'create',
          dataCategory: `urgent-case notification test message (${request.body.target === 'practice' ? 'practice' : 'own'} address)`,
          patientIds: [null],
        });
        return row.id;
      });
      app.notifier.kick();
      reply.code(202);
      return { id };
    }
  );
};

export default notificationSettingsRoutes;
