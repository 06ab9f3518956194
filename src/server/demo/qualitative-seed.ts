/**
 * The demo's qualitative study (issue 15, "Demo data"), seeded through the server's own commands
 * so that it is made exactly as a researcher would make it: the lead (`forsker`) creates the study,
 * adds a coder (`forsker.koder`) and the user group (`brukergruppe`), registers the demo material's
 * participants with their consents, records the events, imports every demo transcript
 * (src/qualitative/demo: focus groups, a case interview, a key-user interview), accepts every
 * de-identification proposal and opens the transcripts for coding. A codebook in progress
 * (src/qualitative/demo/codebook.ts) and two coders' codings of focus group 1, which agree in part,
 * are made by the lead and the coder in their own names. An STC analysis of the focus
 * groups is taken through step 3, with one theme on to a synthesis paragraph, which the lead has
 * shared with the user group.
 *
 * One transaction for all of it; idempotent (a study with the demo title is left alone). The
 * phrases of the STC analysis are found in the de-identified texts; one that is not found is
 * left out with a log line, never placed at a wrong offset.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Actor } from '../../domain/access/policy.js';
import type { StcAnalysis } from '../../domain/qualitative/stc.js';
import { DEMO_CODEBOOK, DEMO_CODINGS } from '../../qualitative/demo/codebook.js';
import { loadDemoSources } from '../../qualitative/demo/load.js';
import type { DemoParticipant } from '../../qualitative/demo/manifest.js';
import {
  DEMO_SHARE_MESSAGE,
  DEMO_STC_CONDENSATES,
  DEMO_STC_GROUPS,
  DEMO_STC_IMPRESSIONS,
  DEMO_STC_SYNTHESIS,
  DEMO_STC_TITLE,
  DEMO_STC_UNITS,
} from '../../qualitative/demo/stc-analysis.js';
import { withAuditedTransaction } from '../audit/audit-log.js';
import { hashPassword } from '../auth/passwords.js';
import { createCode, createCoding } from '../qualitative/coding.commands.js';
import { applyReview, decideProposals, importSource } from '../qualitative/sources.commands.js';
import { getReview } from '../qualitative/sources.queries.js';
import { createStc, saveStc } from '../qualitative/stc.commands.js';
import {
  addMember,
  createEvent,
  createStudy,
  recordConsent,
  registerParticipant,
} from '../qualitative/studies.commands.js';
import { addUserGroupMember, shareSynthesis } from '../qualitative/user-group.commands.js';
import { seedContext } from './seed-context.js';

export const DEMO_QUAL_STUDY_TITLE = 'Hvordan møtes pasienter med depresjon i allmennpraksis? (demo)';

/** Demo accounts the study needs besides `forsker`, all with the demo password. */
export const DEMO_QUAL_USERS = [
  { username: 'forsker.koder', display_name: 'Per Koder (forsker, demo)', role: 'researcher' as const },
  {
    username: 'brukergruppe',
    display_name: 'Mette Bruker (brukergruppen, demo)',
    role: 'user_group' as const,
  },
];

const KIND: Record<DemoParticipant['role'], 'gp' | 'patient' | 'other'> = {
  gp: 'gp',
  helper: 'other',
  nav: 'other',
  case: 'patient',
  'key-user': 'patient',
};
const EVENT_KIND = { 'focus-group': 'focus_group', 'case-study': 'case', interview: 'interview' } as const;
const DAY = 86_400_000;

export interface QualitativeSeedResult {
  studyId: string;
  sources: number;
  meaningUnits: number;
  codes: number;
  codings: number;
}

export async function seedDemoQualitativeStudy(
  db: Kysely<Database>,
  options: { now: Date; auditKey: Buffer; password: string; log?: (line: string) => void }
): Promise<QualitativeSeedResult | null> {
  const log = options.log ?? (() => {});
  const lead = await db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('username', '=', 'forsker')
    .where('role', '=', 'researcher')
    .executeTakeFirst();
  if (!lead) return null;
  const existing = await db
    .selectFrom('qual_studies')
    .select('id')
    .where('title', '=', DEMO_QUAL_STUDY_TITLE)
    .executeTakeFirst();
  if (existing) return null;
  const sources = await loadDemoSources();
  const passwordHash = await hashPassword(options.password);
  const { now } = options;

  return withAuditedTransaction(db, options.auditKey, now, async (trx, record) => {
    const users = await demoUsers(trx, passwordHash);
    const leadActor: Actor = {
      userId: lead.id,
      role: 'researcher',
      displayName: lead.display_name,
      practiceId: null,
    };
    const study = await createStudy(seedContext(trx, record, leadActor, now), {
      title: DEMO_QUAL_STUDY_TITLE,
    });
    const ctx = seedContext(trx, record, leadActor, now, { studyId: study.id, role: 'lead' });
    await addMember(ctx, { userId: users['forsker.koder']!, role: 'coder' });
    await addUserGroupMember(ctx, { userId: users.brukergruppe! });

    // Participants (once each, however many sources they speak in) with a recorded consent that
    // does not keep the original: it is deleted when de-identification is done.
    const participantIds = new Map<string, string>();
    for (const p of sources.flatMap((s) => s.manifest.participants)) {
      if (participantIds.has(p.pseudonym)) continue;
      const created = await registerParticipant(ctx, {
        pseudonym: p.pseudonym,
        kind: KIND[p.role],
        identityKey: p.firstName,
      });
      await recordConsent(ctx, created.id, {
        letterVersion: 'v1',
        givenAt: new Date(now.getTime() - 60 * DAY).toISOString(),
        how: 'recorded',
        keepOriginal: false,
      });
      participantIds.set(p.pseudonym, created.id);
    }

    const sourceIds = new Map<string, string>();
    const eventIds = new Map<string, string>();
    for (const [i, source] of sources.entries()) {
      const { manifest } = source;
      const eventKey = `${manifest.event.kind} ${manifest.event.number}`;
      if (!eventIds.has(eventKey)) {
        const event = await createEvent(ctx, {
          kind: EVENT_KIND[manifest.event.kind],
          number: manifest.event.number,
          heldOn: new Date(now.getTime() - (50 - 7 * i) * DAY).toISOString().slice(0, 10),
        });
        eventIds.set(eventKey, event.id);
      }
      const imported = await importSource(ctx, {
        title: manifest.file,
        language: manifest.language,
        eventId: eventIds.get(eventKey)!,
        participantIds: manifest.participants.map((p) => participantIds.get(p.pseudonym)!),
        fileName: manifest.file,
        content: Buffer.from(source.raw, 'utf8').toString('base64'),
      });
      const review = await getReview(ctx, imported.id);
      await decideProposals(ctx, imported.id, {
        decisions: review.proposals.map((p) => ({ proposalId: p.id, action: 'accept' as const })),
      });
      await applyReview(ctx, imported.id);
      sourceIds.set(manifest.id, imported.id);
    }

    // The codebook in progress, and two coders' coding of focus group 1 that agrees in part:
    // `forsker` (the lead also codes) and `forsker.koder`, each in their own name.
    const codeIds = new Map<string, string>();
    for (const code of DEMO_CODEBOOK) {
      const created = await createCode(ctx, {
        name: code.name,
        parentId: code.parentId === null ? null : codeIds.get(code.parentId)!,
        definition: code.definition ?? '',
        inclusion: code.inclusion ?? '',
        exclusion: code.exclusion ?? '',
        example: code.example ?? '',
      });
      codeIds.set(code.id, created.id);
    }
    const coderActor: Actor = {
      userId: users['forsker.koder']!,
      role: 'researcher',
      displayName: DEMO_QUAL_USERS[0]!.display_name,
      practiceId: null,
    };
    const coderContexts = {
      'coder-a': ctx,
      'coder-b': seedContext(trx, record, coderActor, now, { studyId: study.id, role: 'coder' }),
    } as const;
    const fg1 = sourceIds.get('fg1')!;
    const fg1Text = (
      await trx.selectFrom('qual_sources').select('text').where('id', '=', fg1).executeTakeFirstOrThrow()
    ).text!;
    let codings = 0;
    for (const [coder, passages] of Object.entries(DEMO_CODINGS) as Array<
      [keyof typeof coderContexts, (typeof DEMO_CODINGS)['coder-a']]
    >) {
      for (const [index, passage] of passages.entries()) {
        const start = fg1Text.indexOf(passage.quote);
        // a passage that names someone reads differently once de-identified: left out, said so
        // (by its place in the list, never its words: the log holds no transcript text)
        if (start < 0) {
          log(
            `Demo coding ${coder} #${index + 1} (code ${passage.codeId}) is not in the de-identified fg1; left out.`
          );
          continue;
        }
        await createCoding(coderContexts[coder], fg1, {
          codeId: codeIds.get(passage.codeId)!,
          start,
          end: start + passage.quote.length,
        });
        codings += 1;
      }
    }

    const analysis = await stcAnalysis(trx, sourceIds, log);
    const stc = await createStc(ctx, { title: DEMO_STC_TITLE });
    await saveStc(ctx, stc.id, { revision: stc.revision, title: DEMO_STC_TITLE, document: analysis });
    await shareSynthesis(ctx, stc.id, { message: DEMO_SHARE_MESSAGE });
    log(
      `Seeded the demo qualitative study: ${sources.length} transcripts, ${codeIds.size} codes, ${codings} codings by two coders, an STC analysis with ${analysis.meaningUnits.length} meaning units, shared with the user group.`
    );
    return {
      studyId: study.id,
      sources: sources.length,
      meaningUnits: analysis.meaningUnits.length,
      codes: codeIds.size,
      codings,
    };
  });
}

/** The demo accounts the study needs, made if missing; their ids by username. */
async function demoUsers(trx: Transaction<Database>, passwordHash: string): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const user of DEMO_QUAL_USERS) {
    const found = await trx
      .selectFrom('users')
      .select('id')
      .where('username', '=', user.username)
      .executeTakeFirst();
    ids[user.username] =
      found?.id ??
      (
        await trx
          .insertInto('users')
          .values({ ...user, password_hash: passwordHash, practice_id: null })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
  }
  return ids;
}

/** The demo analysis with each meaning unit's phrase found in its de-identified transcript. */
async function stcAnalysis(
  trx: Transaction<Database>,
  sourceIds: ReadonlyMap<string, string>,
  log: (line: string) => void
): Promise<StcAnalysis> {
  const rows = await trx
    .selectFrom('qual_sources')
    .select(['id', 'text'])
    .where('id', 'in', [...sourceIds.values()])
    .execute();
  const texts = new Map(rows.map((r) => [r.id, r.text ?? '']));
  const meaningUnits = DEMO_STC_UNITS.flatMap((u) => {
    const sourceId = sourceIds.get(u.source);
    const start = sourceId ? (texts.get(sourceId) ?? '').indexOf(u.phrase) : -1;
    if (!sourceId || start < 0) {
      log(`Demo STC: "${u.phrase}" is not in ${u.source}; left out.`);
      return [];
    }
    return [{ id: u.id, sourceId, start, end: start + u.phrase.length, groupId: u.groupId }];
  });
  const found = new Set(meaningUnits.map((u) => u.id));
  return {
    impressions: Object.entries(DEMO_STC_IMPRESSIONS).flatMap(([source, themes]) => {
      const sourceId = sourceIds.get(source);
      return sourceId ? [{ sourceId, themes }] : [];
    }),
    groups: DEMO_STC_GROUPS.map((g) => ({ ...g })),
    meaningUnits,
    condensates: DEMO_STC_CONDENSATES.map((c) => {
      const units = c.meaningUnitIds.filter((id) => found.has(id));
      return {
        ...c,
        meaningUnitIds: units,
        goldenQuoteId: found.has(c.goldenQuoteId) ? c.goldenQuoteId : null,
      };
    }),
    synthesis: DEMO_STC_SYNTHESIS.map((p) => ({ ...p, sentences: p.sentences.map((s) => ({ ...s })) })),
  };
}
