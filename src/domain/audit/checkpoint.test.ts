import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkpointKey, signCheckpoint, verifyCheckpoints } from './checkpoint.js';

const key = randomBytes(32);
const rows = new Map([
  [1, 'aa'],
  [2, 'bb'],
  [3, 'cc'],
]);

describe('audit checkpoints', () => {
  it('uses a key of its own, derived from the audit key', () => {
    expect(checkpointKey(key).equals(key)).toBe(false);
    expect(checkpointKey(key).equals(checkpointKey(key))).toBe(true);
  });

  it('accepts checkpoints that match the rows', () => {
    const c = [
      signCheckpoint(key, { seq: 2, headHash: 'bb', rowCount: 2, at: '2026-12-04T10:00:00Z' }),
      signCheckpoint(key, { seq: 3, headHash: 'cc', rowCount: 3, at: '2026-12-04T10:01:00Z' }),
    ];
    expect(verifyCheckpoints(key, c, rows, 3)).toEqual({ ok: true, checkpoints: 2 });
  });

  it('catches a cut tail, a rewritten row, a forged or a reordered checkpoint', () => {
    const at3 = signCheckpoint(key, { seq: 3, headHash: 'cc', rowCount: 3, at: '2026-12-04T10:01:00Z' });
    const cut = new Map([...rows].filter(([seq]) => seq < 3));
    expect(verifyCheckpoints(key, [at3], cut, 2)).toMatchObject({ ok: false, reason: /rows missing/ });
    expect(verifyCheckpoints(key, [at3], new Map([...rows, [3, 'zz']]), 3)).toMatchObject({
      ok: false,
      reason: /another hash/,
    });
    const forged = { ...at3, seq: 2, headHash: 'bb' };
    expect(verifyCheckpoints(key, [forged], rows, 3)).toMatchObject({ ok: false, reason: /signature/ });
    const otherKey = signCheckpoint(randomBytes(32), { seq: 3, headHash: 'cc', rowCount: 3, at: 'x' });
    expect(verifyCheckpoints(key, [otherKey], rows, 3)).toMatchObject({ ok: false, reason: /signature/ });
    const at2 = signCheckpoint(key, { seq: 2, headHash: 'bb', rowCount: 2, at: '2026-12-04T10:00:00Z' });
    expect(verifyCheckpoints(key, [at3, at2], rows, 3)).toMatchObject({ ok: false, reason: /out of order/ });
  });
});
