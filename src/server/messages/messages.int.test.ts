/**
 * Guidance between visits (issue 17) through the real API: who reaches a patient's threads (the
 * patient, their GP, a guide while assigned; a foreign GP or an unassigned guide gets 404), read
 * receipts, validation naming the field, feedback on a shared exercise, guide assignment, and the
 * notifications, whose words carry nothing of the message (checked on what the channel was given).
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/test-app.js';
import type { NotificationChannel, OutboundNotice } from '../notify/channels.js';

let t: TestApp;
const sent: (OutboundNotice & { kind: string })[] = [];
const channel = (kind: 'email' | 'sms'): NotificationChannel => ({
  kind,
  async send(notice) {
    sent.push({ ...notice, kind });
    return { providerId: null };
  },
});

beforeEach(async () => {
  sent.length = 0;
  t = await createTestApp({
    notificationChannels: [channel('email'), channel('sms')],
    publicUrl: 'https://gpdep.test',
  });
});
afterEach(async () => t?.close());

const SUBJECT = 'Søvnen min etter modul 2';
const BODY = 'Jeg har sovet dårlig hele uka og lurer på om jeg skal fortsette med aktivitetsplanen.';
const threads = (patient: 'pA1' | 'pA2') => `/api/patients/${t.fixture.patientIds[patient]}/threads`;

async function patientStarts(patient: 'pA1' | 'pA2' = 'pA2') {
  const session = await t.login(patient);
  const res = await t.call(session, 'POST', threads(patient), { body: { subject: SUBJECT, body: BODY } });
  expect(res.statusCode, res.body).toBe(201);
  return { session, thread: res.json<{ id: string; messages: { id: string }[] }>() };
}

describe('who reaches a thread', () => {
  it('lets the patient, their GP and the assigned guide read it; a foreign GP and an unassigned guide get 404', async () => {
    await patientStarts('pA2');
    for (const who of ['pA2', 'gp1', 'guide1'] as const) {
      const res = await t.call(await t.login(who), 'GET', threads('pA2'));
      expect(res.statusCode, who).toBe(200);
      expect(res.json().threads[0].subject, who).toBe(SUBJECT);
    }
    for (const who of ['gp2', 'gp3', 'guide2', 'pA1', 'researcher', 'admin'] as const) {
      const res = await t.call(await t.login(who), 'GET', threads('pA2'));
      expect(res.statusCode, who).toBe(404);
      expect(res.body, who).not.toContain(SUBJECT);
    }
  });

  it('audits each read with its basis, the guide as assigned_guide', async () => {
    await patientStarts('pA2');
    await t.call(await t.login('guide1'), 'GET', threads('pA2'));
    await t.call(await t.login('gp1'), 'GET', threads('pA2'));
    const reads = await t.db
      .selectFrom('audit_events')
      .select(['actor_user_id', 'access_basis'])
      .where('data_category', '=', 'message threads')
      .where('patient_id', '=', t.fixture.patientIds.pA2)
      .execute();
    expect(reads).toEqual(
      expect.arrayContaining([
        { actor_user_id: t.fixture.userIds.guide1, access_basis: 'assigned_guide' },
        { actor_user_id: t.fixture.userIds.gp1, access_basis: 'gp_list' },
      ])
    );
  });

  it('takes the thread away from a guide the moment the GP ends the assignment', async () => {
    const { thread } = await patientStarts('pA2');
    const gp = await t.login('gp1');
    const guide = await t.login('guide1');
    const guides = await t.call(gp, 'GET', `/api/patients/${t.fixture.patientIds.pA2}/guides`);
    const assignment = guides.json().assignments[0];
    expect(assignment.guideName).toBe('Test guide1');
    const ended = await t.call(
      gp,
      'POST',
      `/api/patients/${t.fixture.patientIds.pA2}/guides/${assignment.id}/end`
    );
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json().endsAt).toBe(t.clock.now.toISOString());
    expect((await t.call(guide, 'GET', threads('pA2'))).statusCode).toBe(404);
    const reply = await t.call(guide, 'POST', `${threads('pA2')}/${thread.id}/messages`, {
      body: { body: 'Hei' },
    });
    expect(reply.statusCode).toBe(404);
    expect((await t.call(guide, 'GET', '/api/guide/patients')).json().items).toEqual([]);
  });

  it('lets the GP assign a guide of the practice only, and then the guide reaches the patient', async () => {
    await patientStarts('pA1');
    const gp = await t.login('gp1');
    const guide2 = await t.login('guide2');
    expect((await t.call(guide2, 'GET', threads('pA1'))).statusCode).toBe(404);
    const wrong = await t.call(gp, 'POST', `/api/patients/${t.fixture.patientIds.pA1}/guides`, {
      body: { guideUserId: t.fixture.userIds.gp2 },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors).toEqual([
      { field: 'guideUserId', reason: "is not a guide at the patient's practice" },
    ]);
    const assigned = await t.call(gp, 'POST', `/api/patients/${t.fixture.patientIds.pA1}/guides`, {
      body: { guideUserId: t.fixture.userIds.guide2 },
    });
    expect(assigned.statusCode, assigned.body).toBe(201);
    expect((await t.call(guide2, 'GET', threads('pA1'))).statusCode).toBe(200);
    const list = (await t.call(guide2, 'GET', '/api/guide/patients')).json();
    expect(list.items).toEqual([
      expect.objectContaining({ patientId: t.fixture.patientIds.pA1, unansweredThreads: 1 }),
    ]);
    // A guide cannot assign, nor do GP-only acts such as the follow-up plan.
    const byGuide = await t.call(guide2, 'POST', `/api/patients/${t.fixture.patientIds.pA1}/guides`, {
      body: { guideUserId: t.fixture.userIds.guide1 },
    });
    expect(byGuide.statusCode).toBe(404);
    expect(
      (await t.call(guide2, 'GET', `/api/patients/${t.fixture.patientIds.pA1}/follow-ups`)).statusCode
    ).toBe(404);
    expect((await t.call(guide2, 'GET', `/api/patients/${t.fixture.patientIds.pA1}`)).statusCode).toBe(404);
  });
});

describe('read receipts and answers', () => {
  it('shows the patient when the care team read their message, and the answer', async () => {
    const { session: patient, thread } = await patientStarts('pA2');
    const gp = await t.login('gp1');
    const before = (await t.call(gp, 'GET', threads('pA2'))).json().threads[0];
    expect(before.unanswered).toBe(true);
    expect(before.unreadForMe).toBe(1);
    // Reading the list marks nothing read.
    expect(
      (await t.call(patient, 'GET', threads('pA2'))).json().threads[0].messages[0].readByOtherSideAt
    ).toBeNull();

    t.clock.now = new Date(t.clock.now.getTime() + 10 * 60_000);
    const read = await t.call(gp, 'POST', `${threads('pA2')}/${thread.id}/read`);
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json().unreadForMe).toBe(0);
    const readAt = t.clock.now.toISOString();
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    const answer = await t.call(gp, 'POST', `${threads('pA2')}/${thread.id}/messages`, {
      body: { body: 'Takk for meldingen. Vi snakker om søvnen på neste time.' },
    });
    expect(answer.statusCode, answer.body).toBe(201);
    expect(answer.json().unanswered).toBe(false);

    const seen = (await t.call(patient, 'GET', threads('pA2'))).json().threads[0];
    expect(seen.messages.map((m: { authorRole: string }) => m.authorRole)).toEqual(['patient', 'gp']);
    expect(seen.messages[0]).toMatchObject({ mine: true, readByOtherSideAt: readAt });
    expect(seen.messages[1]).toMatchObject({ mine: false, readByOtherSideAt: null, authorName: 'Test gp1' });
    expect(seen.unreadForMe).toBe(1);
    await t.call(patient, 'POST', `${threads('pA2')}/${thread.id}/read`);
    const gpView = (await t.call(gp, 'GET', threads('pA2'))).json().threads[0];
    expect(gpView.messages[1].readByOtherSideAt).toBe(t.clock.now.toISOString());
  });

  it("answers 404 for a thread of another patient's, even to the GP of both", async () => {
    const { thread } = await patientStarts('pA2');
    const gp = await t.login('gp1');
    const res = await t.call(gp, 'POST', `${threads('pA1')}/${thread.id}/messages`, {
      body: { body: 'Hei' },
    });
    expect(res.statusCode).toBe(404);
    expect((await t.call(gp, 'POST', `${threads('pA1')}/${randomUUID()}/read`)).statusCode).toBe(404);
  });
});

describe('validation', () => {
  it('names the field of an empty, blank, too long or unsafe text', async () => {
    const patient = await t.login('pA1');
    const cases: [unknown, string][] = [
      [{ subject: '', body: 'x' }, 'subject'],
      [{ subject: 'Hei', body: '   ' }, 'body'],
      [{ subject: 'x'.repeat(121), body: 'x' }, 'subject'],
      [{ subject: 'Hei', body: 'x'.repeat(4001) }, 'body'],
      [{ subject: 'Hei', body: 'a\u0000b' }, 'body'],
      [{ subject: 'Hei' }, 'body'],
      [{ subject: 'Hei', body: 'x', extra: 1 }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const res = await t.call(patient, 'POST', threads('pA1'), { body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(
        res.json().errors.map((e: { field: string }) => e.field),
        JSON.stringify(body)
      ).toContain(field);
    }
    expect(await t.db.selectFrom('message_threads').selectAll().execute()).toEqual([]);
  });
});

describe('notifications', () => {
  it('tells the other side there is a message, with no subject, text or name, to the addresses they set', async () => {
    await t.db
      .updateTable('users')
      .set({ notify_email: 'gp1@practice-a.test', notify_phone: '+4790000001' })
      .where('id', '=', t.fixture.userIds.gp1)
      .execute();
    await t.db
      .updateTable('users')
      .set({ notify_email: 'guide1@practice-a.test' })
      .where('id', '=', t.fixture.userIds.guide1)
      .execute();
    await t.db
      .updateTable('users')
      .set({ notify_email: 'pa2@example.test' })
      .where('id', '=', t.fixture.userIds.pA2)
      .execute();
    const { thread } = await patientStarts('pA2');
    await t.app.notifier.drain();
    expect(sent.map((s) => `${s.kind} ${s.to}`).sort()).toEqual([
      'email gp1@practice-a.test',
      'email guide1@practice-a.test',
      'sms +4790000001',
    ]);
    const gp = await t.login('gp1');
    await t.call(gp, 'POST', `${threads('pA2')}/${thread.id}/messages`, {
      body: { body: 'Et svar med helseinnhold: søvn.' },
    });
    await t.app.notifier.drain();
    expect(sent.map((s) => s.to)).toContain('pa2@example.test');
    for (const notice of sent) {
      expect(notice.subject).toBe('Du har en ny melding i GP-DEP');
      expect(notice.text).toContain('Du har en ny melding i GP-DEP');
      expect(notice.text).toContain('https://gpdep.test');
      for (const secret of [SUBJECT, 'sover', 'søvn', 'Søvn', t.fixture.patientNames.pA2, 'Test gp1']) {
        expect(`${notice.subject} ${notice.text}`).not.toContain(secret);
      }
    }
    // The stored rows hold the purpose and the address, never the subject or the text.
    const rows = await t.db
      .selectFrom('notifications')
      .selectAll()
      .where('purpose', '=', 'message_new')
      .execute();
    expect(rows).toHaveLength(4);
    expect(JSON.stringify(rows)).not.toContain('øvn');
  });

  it('sends nothing to someone with no address set', async () => {
    await patientStarts('pA2');
    await t.app.notifier.drain();
    expect(sent).toEqual([]);
    expect(await t.db.selectFrom('notifications').selectAll().execute()).toEqual([]);
  });
});

describe('feedback on a shared exercise', () => {
  async function sharedEntry(shared = true): Promise<string> {
    const id = randomUUID();
    await t.db
      .insertInto('workbook_entries')
      .values({
        id,
        patient_id: t.fixture.patientIds.pA2,
        module_id: 'm3',
        exercise_id: 'thought-record',
        answers: JSON.stringify({}),
        revision: 1,
        shared_with_gp: shared,
        created_at: t.clock.now,
        updated_at: t.clock.now,
      })
      .execute();
    return id;
  }
  const base = () => `/api/patients/${t.fixture.patientIds.pA2}`;

  it('lets the GP and the guide comment on a shared entry, offers suggested replies, and records when the patient opened it', async () => {
    const entryId = await sharedEntry();
    const gp = await t.login('gp1');
    const forGp = (await t.call(gp, 'GET', `${base()}/exercise-feedback?lang=nb`)).json();
    expect(forGp.entries.map((e: { entryId: string }) => e.entryId)).toEqual([entryId]);
    const replies = forGp.suggestedReplies.find((r: { moduleId: string }) => r.moduleId === 'm3').replies;
    expect(replies.length).toBeGreaterThanOrEqual(2);
    expect(replies.length).toBeLessThanOrEqual(3);
    // Nothing was sent by offering a reply.
    expect(await t.db.selectFrom('exercise_feedback').selectAll().execute()).toEqual([]);
    const posted = await t.call(gp, 'POST', `${base()}/workbook/${entryId}/feedback`, {
      body: { body: `${replies[0]} Godt jobbet.` },
    });
    expect(posted.statusCode, posted.body).toBe(201);
    const byGuide = await t.call(await t.login('guide1'), 'POST', `${base()}/workbook/${entryId}/feedback`, {
      body: { body: 'Fint at du prøvde.' },
    });
    expect(byGuide.statusCode).toBe(201);

    const patient = await t.login('pA2');
    const mine = (await t.call(patient, 'GET', `${base()}/exercise-feedback`)).json();
    expect(mine.suggestedReplies).toEqual([]);
    expect(
      mine.entries[0].feedback.map((f: { authorRole: string; openedAt: null }) => [f.authorRole, f.openedAt])
    ).toEqual([
      ['gp', null],
      ['guide', null],
    ]);
    const opened = await t.call(patient, 'POST', `${base()}/exercise-feedback/${posted.json().id}/opened`);
    expect(opened.statusCode).toBe(200);
    expect(opened.json().openedAt).toBe(t.clock.now.toISOString());
    // Only the patient opens their feedback.
    expect(
      (await t.call(gp, 'POST', `${base()}/exercise-feedback/${byGuide.json().id}/opened`)).statusCode
    ).toBe(404);
  });

  it('refuses feedback on an entry that is not shared, and from the patient', async () => {
    const entryId = await sharedEntry(false);
    const gp = await t.login('gp1');
    expect(
      (await t.call(gp, 'POST', `${base()}/workbook/${entryId}/feedback`, { body: { body: 'Hei' } }))
        .statusCode
    ).toBe(404);
    const patient = await t.login('pA2');
    expect(
      (await t.call(patient, 'POST', `${base()}/workbook/${entryId}/feedback`, { body: { body: 'Hei' } }))
        .statusCode
    ).toBe(404);
    const empty = await t.call(gp, 'POST', `${base()}/workbook/${await sharedEntry()}/feedback`, {
      body: { body: '' },
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors[0].field).toBe('body');
  });
});

describe('the worklist and the card', () => {
  it('lists an unanswered thread with its age, and drops it once the GP answers', async () => {
    const { thread } = await patientStarts('pA2');
    t.clock.now = new Date(t.clock.now.getTime() + 2 * 86_400_000 + 60_000);
    const gp = await t.login('gp1');
    const items = (await t.call(gp, 'GET', '/api/gp/worklist')).json().attention;
    const unanswered = items.filter((i: { reason: string }) => i.reason === 'unanswered_message');
    expect(unanswered).toEqual([
      expect.objectContaining({
        patientId: t.fixture.patientIds.pA2,
        detail: { threadId: thread.id, days: 2 },
      }),
    ]);
    await t.call(gp, 'POST', `${threads('pA2')}/${thread.id}/messages`, { body: { body: 'Svar.' } });
    const after = (await t.call(gp, 'GET', '/api/gp/worklist')).json().attention;
    expect(after.filter((i: { reason: string }) => i.reason === 'unanswered_message')).toEqual([]);
    // The guide answering counts too: the thread waits for the care team, not one person.
    const again = await t.call(await t.login('pA2'), 'POST', `${threads('pA2')}/${thread.id}/messages`, {
      body: { body: 'Takk!' },
    });
    expect(again.json().unanswered).toBe(true);
    await t.call(await t.login('guide1'), 'POST', `${threads('pA2')}/${thread.id}/messages`, {
      body: { body: 'Bra.' },
    });
    const last = (await t.call(gp, 'GET', '/api/gp/worklist')).json().attention;
    expect(last.filter((i: { reason: string }) => i.reason === 'unanswered_message')).toEqual([]);
  });
});
