/**
 * The admin's audit verdict: the web type is the server's response schema, every failure the
 * server can report is read from the very sentences the domain code writes, and each verdict
 * renders in Norwegian and English with the right Alert colour and no missing words.
 */
import i18next from 'i18next';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import type { Static } from 'typebox';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { AuditVerification as AuditVerificationSchema } from '../../../contract/admin.js';
import {
  signCheckpoint,
  verifyCheckpoints,
  type StoredCheckpoint,
} from '../../../domain/audit/checkpoint.js';
import { GENESIS_HASH } from '../../../domain/audit/hash-chain.js';
import type { AuditVerification } from '../../api/client.js';
import en from '../../i18n/locales/en.json' with { type: 'json' };
import nb from '../../i18n/locales/nb.json' with { type: 'json' };
import { AuditVerdictAlert } from './AuditVerdictAlert.js';
import { auditVerdict, checkpointFailureFrom, verdictSeverity } from './audit-verdict.js';

describe('the web type of GET /api/admin/audit/verify', () => {
  // The web no longer writes this type by hand: it is the contract's, which the server validates
  // its response with. (Before, this test compared two texts that could drift apart.)
  it('is the contract type the server validates its response with', () => {
    expectTypeOf<AuditVerification>().toEqualTypeOf<Static<typeof AuditVerificationSchema>>();
    expect(Object.keys(AuditVerificationSchema.properties).length).toBeGreaterThanOrEqual(5);
  });
});

// Sentences as the domain code writes them (checkpoint.ts), from real checkpoints and rows.
const key = Buffer.alloc(32, 7);
const hashOf = (seq: number) => seq.toString(16).padStart(64, '0');
const rows = (n: number) => new Map(Array.from({ length: n }, (_, i) => [i + 1, hashOf(i + 1)]));
const at = (minute: number) => `2026-12-04T0${minute}:00:00.000Z`;
const stored = (line: number, seq: number, extra: { headHash?: string; rowCount?: number } = {}) => ({
  line,
  checkpoint: signCheckpoint(key, {
    seq,
    headHash: extra.headHash ?? (seq === 0 ? GENESIS_HASH : hashOf(seq)),
    rowCount: extra.rowCount ?? seq,
    at: at(line),
  }),
});
function reasonFor(checkpoints: StoredCheckpoint[], table: Map<number, string>): string {
  const result = verifyCheckpoints(key, checkpoints, table, table.size);
  if (result.ok) throw new Error('expected the checkpoints to fail');
  return result.reason;
}

describe('reading which checkpoint failed, and why', () => {
  it('rows cut off the end', () => {
    const reason = reasonFor([stored(1, 2), stored(2, 5)], rows(3));
    expect(checkpointFailureFrom(reason)).toEqual({
      kind: 'rowsMissing',
      line: 2,
      at: at(2),
      seq: 5,
      tableRows: 3,
    });
  });

  it('the chain rewritten', () => {
    const table = rows(5);
    table.set(4, 'f'.repeat(64));
    expect(checkpointFailureFrom(reasonFor([stored(1, 4)], table))).toEqual({
      kind: 'rewritten',
      line: 1,
      at: at(1),
      seq: 4,
    });
  });

  it('out of order', () => {
    expect(checkpointFailureFrom(reasonFor([stored(1, 5), stored(2, 3)], rows(5)))).toEqual({
      kind: 'outOfOrder',
      line: 2,
      at: at(2),
      seq: 3,
      previousLine: 1,
      previousSeq: 5,
    });
  });

  it('a signature that is not the key’s (forged line, or another key)', () => {
    const forged = stored(3, 2);
    forged.checkpoint = { ...forged.checkpoint, signature: '0'.repeat(64) };
    expect(checkpointFailureFrom(reasonFor([stored(1, 1), forged], rows(2)))).toEqual({
      kind: 'signature',
      line: 3,
      at: at(3),
    });
  });

  it('a checkpoint that contradicts itself', () => {
    expect(checkpointFailureFrom(reasonFor([stored(1, 2, { rowCount: 1 })], rows(2)))).toMatchObject({
      kind: 'inconsistent',
      line: 1,
    });
    expect(checkpointFailureFrom(reasonFor([stored(1, 0, { headHash: hashOf(9) })], rows(0)))).toMatchObject({
      kind: 'inconsistent',
      line: 1,
    });
  });

  it('lines that are not checkpoints, and a broken chain, in the words of audit-chain.ts', () => {
    const source = readFileSync('src/server/audit/audit-chain.ts', 'utf8');
    expect(source).toContain('`chain broken at seq ${chain.brokenAtSeq}: ${chain.reason}`');
    expect(source).toContain("`checkpoint store altered: line(s) ${unreadable.slice(0, 10).join(', ')}");
    expect(checkpointFailureFrom('checkpoint store altered: line(s) 2, 7 are not checkpoints')).toEqual({
      kind: 'unreadable',
      lines: '2, 7',
    });
  });

  it('nothing it does not recognise', () => {
    expect(checkpointFailureFrom('something new')).toBeNull();
  });
});

const verification = (over: Partial<AuditVerification>): AuditVerification => ({
  ok: true,
  eventCount: 120,
  brokenAtSeq: null,
  checkpoints: 3,
  problem: null,
  ...over,
});
const rowsMissing = reasonFor([stored(1, 2), stored(2, 5)], rows(3));
const cases: [string, AuditVerification, string, string][] = [
  ['intact', verification({}), 'success', 'intact'],
  ['no checkpoints', verification({ checkpoints: 0 }), 'warning', 'noCheckpoints'],
  [
    'chain broken',
    verification({
      ok: false,
      eventCount: 40,
      brokenAtSeq: 40,
      checkpoints: 0,
      problem: 'chain broken at seq 40: event content does not match its hash',
    }),
    'danger',
    'chainBroken',
  ],
  [
    'checkpoint failed',
    verification({ ok: false, eventCount: 3, checkpoints: 2, problem: rowsMissing }),
    'danger',
    'checkpointFailed',
  ],
  ['not recognised', verification({ ok: false, problem: 'something new' }), 'danger', 'notIntact'],
];

describe('the verdict', () => {
  it.each(cases)('%s', (_name, result, severity, kind) => {
    const verdict = auditVerdict(result);
    expect(verdict.kind).toBe(kind);
    expect(verdictSeverity(verdict)).toBe(severity);
  });
});

describe('the verdict on the page', () => {
  const i18n = i18next.createInstance();
  beforeAll(async () => {
    await i18n.use(initReactI18next).init({
      resources: { nb: { translation: nb }, en: { translation: en } },
      lng: 'nb',
      fallbackLng: 'nb',
      interpolation: { escapeValue: false },
    });
  });
  const render = async (language: 'nb' | 'en', result: AuditVerification) => {
    await i18n.changeLanguage(language);
    return renderToStaticMarkup(
      createElement(I18nextProvider, { i18n }, createElement(AuditVerdictAlert, { result }))
    );
  };

  it.each(cases)('%s: every word is there in both languages, in the right colour', async (...args) => {
    const [, result, severity, kind] = args;
    for (const language of ['nb', 'en'] as const) {
      const html = await render(language, result);
      expect(html).toContain(`data-color="${severity}"`);
      expect(html).toContain(`data-verdict="${kind}"`);
      expect(html).not.toMatch(/admin\.auditVerdict|\{\{/);
      expect(html).toContain(language === 'nb' ? 'Hva du bør gjøre:' : 'What to do:');
      if (result.problem) expect(html).toContain(result.problem);
    }
  });

  it('says the chain is whole and how many checkpoints agree', async () => {
    const html = await render('nb', verification({}));
    expect(html).toContain('Revisjonsloggen er intakt.');
    expect(html).toContain('alle 120 hendelsene');
    expect(html).toContain('3 signerte sjekkpunkter');
  });

  it('names the checkpoint, its time in Norway, and the rows cut off the end', async () => {
    const result = verification({ ok: false, eventCount: 3, checkpoints: 2, problem: rowsMissing });
    const nbHtml = await render('nb', result);
    expect(nbHtml).toContain('Revisjonsloggen er ikke intakt.');
    // Taken 02:00 UTC, 03:00 in Oslo in December.
    expect(nbHtml).toMatch(/Sjekkpunktet på linje 2 \(tatt [^)]*03:00\)/);
    expect(nbHtml).toContain('hadde 5 hendelser, men nå har den bare 3');
    expect(await render('en', result)).toContain('events were deleted from the end of the log');
  });

  it('names the broken line of the chain', async () => {
    const html = await render('en', cases[2]![1]);
    expect(html).toContain('The chain is broken at event no. 40');
    expect(html).toContain('The checkpoints were not checked');
  });
});
