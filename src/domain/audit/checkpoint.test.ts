import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkpointKey,
  parseCheckpointLine,
  signCheckpoint,
  signRestoreRecord,
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

describe('restore records: the log rolled back to a backup, on the record', () => {
  // Before the restore: rows 1..3 checkpointed at 2 and 3. The backup held rows 1..2; after the
  // restore the table has 1..2 and then new rows numbered 3 and 4 with other hashes.
  const afterRestore = new Map([
    [1, 'aa'],
    [2, 'bb'],
    [3, 'c2'],
    [4, 'd2'],
  ]);
  const restoreTo2 = signRestoreRecord(key, {
    seq: 2,
    headHash: 'bb',
    at: '2026-12-04T11:00:00.000Z',
    follows: at3.signature,
  });
  const at4 = signCheckpoint(key, { seq: 4, headHash: 'd2', rowCount: 4, at: '2026-12-04T11:05:00.000Z' });

  it('accepts checkpoints past the restore point as before the restore, and new ones after it', () => {
    expect(verifyCheckpoints(key, lines(at2, at3, restoreTo2, at4), afterRestore, 4)).toEqual({
      ok: true,
      checkpoints: 4,
      restores: 1,
      beforeRestore: 1,
    });
    // Without the record the same lines fail: line 2's row 3 was rewritten, as a cut would be.
    expect(verifyCheckpoints(key, lines(at2, at3, at4), afterRestore, 4)).toMatchObject({
      ok: false,
      line: 2,
      reason: expect.stringContaining('the row at seq 3 was rewritten'),
    });
  });

  it('still checks the rows up to the restore point, and the record itself', () => {
    const rewritten = new Map([...afterRestore, [2, 'b2']]);
    expect(verifyCheckpoints(key, lines(at2, at3, restoreTo2, at4), rewritten, 4)).toMatchObject({
      ok: false,
      line: 1,
      reason: expect.stringContaining('the row at seq 2 was rewritten'),
    });
    // A restore record naming a head the table does not have (the wrong backup, or a cut).
    const cut = new Map([[1, 'aa']]);
    const first = signRestoreRecord(key, { seq: 2, headHash: 'bb', at: restoreTo2.at, follows: '' });
    expect(verifyCheckpoints(key, lines(first), cut, 1)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('rows after seq 1 missing'),
    });
  });

  it('refuses a forged record, one copied to another place, and one passed off as a checkpoint', () => {
    const otherKey = signRestoreRecord(randomBytes(32), { ...restoreTo2, follows: at3.signature });
    const forged = { ...restoreTo2, signature: otherKey.signature };
    expect(verifyCheckpoints(key, lines(at2, at3, forged), afterRestore, 4)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('signature is not valid'),
    });
    // The record replayed later (to excuse a cut after row 2) no longer follows its line.
    expect(
      verifyCheckpoints(key, lines(at2, at3, restoreTo2, at4, restoreTo2), afterRestore, 4)
    ).toMatchObject({
      ok: false,
      line: 5,
      reason: expect.stringContaining('does not follow the line it was written after'),
    });
    const { kind: _kind, follows: _follows, ...asCheckpoint } = restoreTo2;
    expect(verifyCheckpoints(key, lines(at2, asCheckpoint), afterRestore, 4)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('signature is not valid'),
    });
  });

  it('orders checkpoints again from the restore point', () => {
    const at1 = signCheckpoint(key, { seq: 1, headHash: 'aa', rowCount: 1, at: at4.at });
    expect(verifyCheckpoints(key, lines(at3, restoreTo2, at1), afterRestore, 4)).toMatchObject({
      ok: false,
      line: 3,
      reason: expect.stringContaining('the log went backwards: head seq 1 after line 2'),
    });
  });

  it('reads a restore record back, and nothing else with a kind', () => {
    expect(parseCheckpointLine(JSON.stringify(restoreTo2))).toEqual(restoreTo2);
    expect(parseCheckpointLine(JSON.stringify({ ...restoreTo2, kind: 'truncate' }))).toBeNull();
    expect(parseCheckpointLine(JSON.stringify({ ...restoreTo2, follows: 3 }))).toBeNull();
  });
});
