import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkpointKey,
  parseCheckpointLine,
  signCheckpoint,
  verifyCheckpoints,
  type AuditCheckpoint,
} from './checkpoint.js';

const key = randomBytes(32);
const rows = new Map([
  [1, 'aa'],
  [2, 'bb'],
  [3, 'cc'],
]);
const at2 = signCheckpoint(key, { seq: 2, headHash: 'bb', rowCount: 2, at: '2026-12-04T10:00:00.000Z' });
const at3 = signCheckpoint(key, { seq: 3, headHash: 'cc', rowCount: 3, at: '2026-12-04T10:01:00.000Z' });
const lines = (...cs: AuditCheckpoint[]) => cs.map((checkpoint, i) => ({ line: i + 1, checkpoint }));

describe('audit checkpoints', () => {
  it('uses a key of its own, derived from the audit key', () => {
    expect(checkpointKey(key).equals(key)).toBe(false);
    expect(checkpointKey(key).equals(checkpointKey(key))).toBe(true);
    expect(checkpointKey(randomBytes(32)).equals(checkpointKey(key))).toBe(false);
  });

  it('accepts checkpoints that match the rows, an empty log and repeated heads included', () => {
    const empty = signCheckpoint(key, {
      seq: 0,
      headHash: 'genesis',
      rowCount: 0,
      at: '2026-12-04T09:00:00Z',
    });
    expect(verifyCheckpoints(key, lines(empty, at2, at2, at3), rows, 3)).toEqual({
      ok: true,
      checkpoints: 4,
    });
    expect(verifyCheckpoints(key, [], rows, 3)).toEqual({ ok: true, checkpoints: 0 });
  });

  it('names the cut when rows after a checkpoint are gone', () => {
    const cut = new Map([...rows].filter(([seq]) => seq < 3));
    expect(verifyCheckpoints(key, lines(at2, at3), cut, 2)).toEqual({
      ok: false,
      checkpoints: 2,
      line: 2,
      checkpointAt: at3.at,
      reason:
        'checkpoint on line 2 (taken 2026-12-04T10:01:00.000Z): rows after seq 2 missing: it says head 3 had hash cc and 3 rows; the table has 2',
    });
    expect(verifyCheckpoints(key, lines(at3), new Map(), 0)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('rows after seq 0 missing'),
    });
  });

  it('catches a row rewritten under its checkpoint', () => {
    expect(verifyCheckpoints(key, lines(at3), new Map([...rows, [3, 'zz']]), 3)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('the row at seq 3 was rewritten: it had hash cc, the table now has zz'),
    });
  });

  it('refuses a forged or altered checkpoint, and one signed with another key', () => {
    const altered = { ...at3, seq: 2, headHash: 'bb', rowCount: 2 };
    expect(verifyCheckpoints(key, lines(at2, altered), rows, 3)).toMatchObject({
      ok: false,
      line: 2,
      reason: expect.stringMatching(/line 2 .*signature is not valid/),
    });
    const otherKey = signCheckpoint(randomBytes(32), { seq: 3, headHash: 'cc', rowCount: 3, at: at3.at });
    expect(verifyCheckpoints(key, lines(otherKey), rows, 3)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('signature is not valid'),
    });
    const unsigned = { ...at3, signature: '' };
    expect(verifyCheckpoints(key, lines(unsigned), rows, 3)).toMatchObject({ ok: false });
  });

  it('refuses checkpoints that go backwards or disagree with themselves', () => {
    expect(verifyCheckpoints(key, lines(at3, at2), rows, 3)).toMatchObject({
      ok: false,
      line: 2,
      reason: expect.stringContaining('the log went backwards: head seq 2 after line 1'),
    });
    const inconsistent = signCheckpoint(key, { seq: 3, headHash: 'cc', rowCount: 2, at: at3.at });
    expect(verifyCheckpoints(key, lines(inconsistent), rows, 3)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('head seq 3 but 2 rows'),
    });
    const badGenesis = signCheckpoint(key, { seq: 0, headHash: 'cc', rowCount: 0, at: at3.at });
    expect(verifyCheckpoints(key, lines(badGenesis), rows, 3)).toMatchObject({ ok: false });
  });

  it('reads only lines shaped like a checkpoint', () => {
    expect(parseCheckpointLine(JSON.stringify(at3))).toEqual(at3);
    for (const bad of [
      '',
      'not json',
      '[1,2]',
      'null',
      '{"seq": 1, "oops": true}',
      JSON.stringify({ ...at3, seq: -1 }),
      JSON.stringify({ ...at3, seq: 1.5 }),
      JSON.stringify({ ...at3, rowCount: '3' }),
      JSON.stringify({ ...at3, at: 'yesterday' }),
      JSON.stringify({ ...at3, signature: 7 }),
    ]) {
      expect(parseCheckpointLine(bad), bad).toBeNull();
    }
  });
});
