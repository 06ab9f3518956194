/**
 * The content fingerprint (a pure SHA-256, checked against node:crypto and the FIPS 180-2 test
 * vectors) and the version rule: once fielded, changed content needs a new version.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type { Questionnaire } from 'fhir/r4.js';
import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  compareVersions,
  contentFingerprint,
  decideVersion,
  nextVersion,
  sha256Bytes,
  sha256Hex,
  type StoredVersion,
} from './version.js';

const nodeSha = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

describe('sha256', () => {
  it('gives the published test vectors (FIPS 180-2 appendix B)', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'
    );
    expect(sha256Hex('a'.repeat(1_000_000))).toBe(
      'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0'
    );
  });

  it('agrees with node:crypto at every padding boundary and on non-ASCII text', () => {
    // 55 bytes is the longest message with its length in the same 64-byte block; 56-64 need two.
    for (const n of [0, 1, 54, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
      expect(sha256Bytes(bytes), `${n} bytes`).toBe(nodeSha(bytes));
    }
    expect(sha256Hex('Hvordan blir pasienter møtt? Æ Ø Å – 😊')).toBe(
      nodeSha('Hvordan blir pasienter møtt? Æ Ø Å – 😊')
    );
  });

  it('property: agrees with node:crypto on any bytes and any string', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => sha256Bytes(bytes) === nodeSha(bytes))
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (s) => sha256Hex(s) === nodeSha(s))
    );
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth, drops undefined and keeps array order (hand-written expected text)', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 'x', c: null }, 2], e: undefined, ø: true })).toBe(
      '{"a":[{"c":null,"d":"x"},2],"b":1,"ø":true}'
    );
    expect(canonicalJson([undefined, 'x'])).toBe('[null,"x"]');
  });

  it('property: the same value with keys in any order gives the same text, equal to JSON.parse round trip', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const reversed = (v: unknown): unknown =>
          Array.isArray(v)
            ? v.map(reversed)
            : v !== null && typeof v === 'object'
              ? Object.fromEntries(
                  Object.entries(v)
                    .reverse()
                    .map(([k, x]) => [k, reversed(x)])
                )
              : v;
        expect(canonicalJson(reversed(value))).toBe(canonicalJson(value));
        expect(canonicalJson(JSON.parse(canonicalJson(value)))).toBe(canonicalJson(value));
      })
    );
  });
});

describe('contentFingerprint', () => {
  const base: Questionnaire = {
    resourceType: 'Questionnaire',
    id: 'a',
    url: 'https://gp-dep.example/fhir/Questionnaire/x',
    version: '1.0.0',
    status: 'draft',
    date: '2026-01-01',
    language: 'nb',
    title: 'Skjema',
    item: [{ linkId: 'q1', type: 'string', text: 'Hva?' }],
  };

  it('ignores administrative elements and key order, and sees every content change', () => {
    const fp = contentFingerprint(base);
    expect(fp).toMatch(/^[0-9a-f]{64}$/);
    expect(
      contentFingerprint({
        ...base,
        id: 'b',
        version: '2.0.0',
        status: 'active',
        date: '2026-06-01',
        meta: { versionId: '7' },
        publisher: 'NORCE',
      })
    ).toBe(fp);
    const reordered = JSON.parse(
      JSON.stringify({ item: base.item, title: base.title, ...base })
    ) as Questionnaire;
    expect(contentFingerprint(reordered)).toBe(fp);
    expect(contentFingerprint({ ...base, title: 'Skjema 2' })).not.toBe(fp);
    expect(
      contentFingerprint({ ...base, item: [{ linkId: 'q1', type: 'string', text: 'Hva nå?' }] })
    ).not.toBe(fp);
    expect(
      contentFingerprint({ ...base, item: [{ linkId: 'q1', type: 'string', text: 'Hva?', required: true }] })
    ).not.toBe(fp);
    // Hand-derived: the fingerprint is SHA-256 of the canonical JSON without the administrative elements.
    expect(fp).toBe(
      nodeSha(
        '{"item":[{"linkId":"q1","text":"Hva?","type":"string"}],"language":"nb","resourceType":"Questionnaire",' +
          '"title":"Skjema","url":"https://gp-dep.example/fhir/Questionnaire/x"}'
      )
    );
  });
});

describe('the version rule', () => {
  const v1: StoredVersion = { version: '1.0.0', fingerprint: 'f1', fielded: true };
  const v2draft: StoredVersion = { version: '1.1.0', fingerprint: 'f2', fielded: false };

  it('same version and content: unchanged, fielded or not', () => {
    expect(decideVersion([v1], { version: '1.0.0', fingerprint: 'f1' })).toEqual({
      allowed: true,
      action: 'unchanged',
      version: '1.0.0',
    });
    expect(decideVersion([v1, v2draft], { version: '1.1.0', fingerprint: 'f2' }).allowed).toBe(true);
  });

  it('a draft (never fielded) may change in place', () => {
    expect(decideVersion([v1, v2draft], { version: '1.1.0', fingerprint: 'f3' })).toEqual({
      allowed: true,
      action: 'replace-draft',
      version: '1.1.0',
    });
  });

  it('a fielded version may not change: a new version is required, with a suggestion', () => {
    const decision = decideVersion([v1], { version: '1.0.0', fingerprint: 'changed' });
    expect(decision).toEqual({
      allowed: false,
      reason: 'fielded-version-changed',
      version: '1.0.0',
      suggestedVersion: '1.1.0',
      message:
        'version "1.0.0" has been fielded and its content has changed: save it as a new version (e.g. "1.1.0"), so the answers already given keep the questions they answered',
    });
    // With 1.1.0 already taken (a draft), the suggestion skips it.
    const again = decideVersion([v1, v2draft], { version: '1.0.0', fingerprint: 'changed' });
    expect(again.allowed === false && again.suggestedVersion).toBe('1.2.0');
  });

  it('a new version must come after the stored ones; identical content is allowed and named', () => {
    expect(decideVersion([v1], { version: '1.0.1', fingerprint: 'f9' })).toEqual({
      allowed: true,
      action: 'create',
      version: '1.0.1',
    });
    expect(decideVersion([v1], { version: '2.0.0', fingerprint: 'f1' })).toEqual({
      allowed: true,
      action: 'create',
      version: '2.0.0',
      sameContentAs: '1.0.0',
    });
    const back = decideVersion([v1, v2draft], { version: '0.9.0', fingerprint: 'f9' });
    expect(back).toMatchObject({ allowed: false, reason: 'version-not-later', suggestedVersion: '1.2.0' });
    expect(back.allowed === false && back.message).toMatch(/comes before the stored version "1.0.0"/);
    // Versions that are not dotted numbers are not ordered, only kept distinct.
    expect(
      decideVersion([{ version: 'spring', fingerprint: 'a', fielded: true }], {
        version: 'autumn',
        fingerprint: 'b',
      })
    ).toMatchObject({ allowed: true, action: 'create' });
    expect(decideVersion([], { version: '1.0.0', fingerprint: 'x' })).toMatchObject({ action: 'create' });
  });

  it('suggests a version after every dotted one, whatever non-numeric versions sit between', () => {
    // fast-check's counterexample: stored 2.0.0, x, 1 (in that order). "x" cannot be ordered, so
    // the latest is 2.0.0, not the "1" stored last; the suggestion after 2.0.0 is 2.1.0, where
    // it used to be "2" (equal to 2.0.0).
    const stored = [
      { version: '2.0.0', fingerprint: 'a', fielded: false },
      { version: 'x', fingerprint: 'a', fielded: false },
      { version: '1', fingerprint: 'a', fielded: false },
    ];
    expect(decideVersion(stored, { version: '1.0.0', fingerprint: 'a' })).toMatchObject({
      allowed: false,
      reason: 'version-not-later',
      suggestedVersion: '2.1.0',
    });
    // With no dotted version at all, the last stored one is the base.
    expect(
      decideVersion([{ version: 'x', fingerprint: 'a', fielded: true }], { version: 'x', fingerprint: 'b' })
    ).toMatchObject({ allowed: false, suggestedVersion: 'x-2' });
  });

  it('property: a fielded version never accepts other content, whatever else is stored', () => {
    const stored = fc.array(
      fc.record({
        version: fc.constantFrom('1', '1.0.0', '1.1.0', '2.0.0', 'x'),
        fingerprint: fc.constantFrom('a', 'b', 'c'),
        fielded: fc.boolean(),
      }),
      { maxLength: 5 }
    );
    fc.assert(
      fc.property(
        stored,
        fc.constantFrom('1', '1.0.0', '1.1.0', '2.0.0', 'x', '3.0.0'),
        fc.constantFrom('a', 'b', 'd'),
        (list, version, fingerprint) => {
          // One row per version, as a store keeps them.
          const unique = list.filter((s, i) => list.findIndex((t) => t.version === s.version) === i);
          const decision = decideVersion(unique, { version, fingerprint });
          const existing = unique.find((s) => s.version === version);
          if (existing?.fielded && existing.fingerprint !== fingerprint) expect(decision.allowed).toBe(false);
          if (existing?.fingerprint === fingerprint) expect(decision).toMatchObject({ action: 'unchanged' });
          if (!decision.allowed) {
            expect(unique.map((s) => s.version)).not.toContain(decision.suggestedVersion);
            for (const s of unique)
              expect(compareVersions(decision.suggestedVersion, s.version) ?? 1).toBeGreaterThan(0);
          }
        }
      )
    );
  });

  it('orders and suggests versions', () => {
    expect(compareVersions('1.10.0', '1.9.2')).toBe(1);
    expect(compareVersions('1.0', '1.0.0')).toBe(0);
    expect(compareVersions('2', '10')).toBe(-1);
    expect(compareVersions('1.0.0-beta', '1.0.0')).toBeUndefined();
    expect(nextVersion('1.0.0')).toBe('1.1.0');
    expect(nextVersion('3')).toBe('4');
    expect(nextVersion('2.4')).toBe('2.5');
    expect(nextVersion('spring')).toBe('spring-2');
    expect(nextVersion('spring', ['spring-2'])).toBe('spring-3');
    expect(nextVersion('1.0.0', ['1.1.0', '1.2.0'])).toBe('1.3.0');
  });
});
