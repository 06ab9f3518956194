import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PHQ9_DIFFICULTY_OPTIONS,
  PHQ9_FREQUENCY_OPTIONS,
  PHQ9_ITEMS,
  PHQ9_VERSION,
  phq9Severity,
  scorePhq9,
  validatePhq9Answers,
  type Phq9ItemScore,
} from './phq9.js';

const itemScore = fc.constantFrom<Phq9ItemScore>(0, 1, 2, 3);
const nineItems = fc.array(itemScore, { minLength: 9, maxLength: 9 });

describe('PHQ-9 severity bands (Kroenke 2001)', () => {
  it.each([
    [0, 'minimal'],
    [4, 'minimal'],
    [5, 'mild'],
    [9, 'mild'],
    [10, 'moderate'],
    [14, 'moderate'],
    [15, 'moderately_severe'],
    [19, 'moderately_severe'],
    [20, 'severe'],
    [27, 'severe'],
  ] as const)('a total of %i is %s', (total, band) => {
    expect(phq9Severity(total)).toBe(band);
  });

  it('refuses totals outside 0-27 and fractions', () => {
    for (const bad of [-1, 28, 3.5, Number.NaN]) expect(() => phq9Severity(bad)).toThrow(RangeError);
  });

  it('is monotone: a higher total never gives a lower band', () => {
    const order = ['minimal', 'mild', 'moderate', 'moderately_severe', 'severe'];
    for (let total = 1; total <= 27; total += 1) {
      expect(order.indexOf(phq9Severity(total))).toBeGreaterThanOrEqual(
        order.indexOf(phq9Severity(total - 1))
      );
    }
  });
});

describe('PHQ-9 scoring', () => {
  it.each([
    ['all "not at all"', [0, 0, 0, 0, 0, 0, 0, 0, 0], null, 0, false],
    ['all "nearly every day"', [3, 3, 3, 3, 3, 3, 3, 3, 3], 3, 27, true],
    ['only item 9 positive', [0, 0, 0, 0, 0, 0, 0, 0, 1], 0, 1, true],
    ['core items only (1 and 2)', [3, 3, 0, 0, 0, 0, 0, 0, 0], 2, 6, false],
    ['a moderate mixed pattern', [2, 2, 1, 2, 1, 2, 2, 2, 0], 2, 14, false],
    ['items 1-8 at maximum, item 9 zero', [3, 3, 3, 3, 3, 3, 3, 3, 0], 3, 24, false],
  ] as const)('%s', (_name, items, difficulty, total, item9) => {
    const score = scorePhq9({ items: [...items], difficulty });
    expect(score.total).toBe(total);
    expect(score.item9Positive).toBe(item9);
    expect(score.severity).toBe(phq9Severity(total));
  });

  it('total is the sum of the nine items, within 0-27, and item 9 alone decides the alert', () => {
    fc.assert(
      fc.property(nineItems, itemScore, (items, difficulty) => {
        const score = scorePhq9({ items, difficulty });
        expect(score.total).toBe(items.reduce<number>((a, b) => a + b, 0));
        expect(score.total).toBeGreaterThanOrEqual(0);
        expect(score.total).toBeLessThanOrEqual(27);
        expect(score.item9Positive).toBe(items[8]! > 0);
        expect(score.item9Score).toBe(items[8]);
      })
    );
  });

  it('does not score the difficulty item', () => {
    fc.assert(
      fc.property(nineItems, itemScore, itemScore, (items, d1, d2) => {
        expect(scorePhq9({ items, difficulty: d1 }).total).toBe(scorePhq9({ items, difficulty: d2 }).total);
      })
    );
  });
});

describe('PHQ-9 validation', () => {
  it('accepts every complete answer set', () => {
    fc.assert(
      fc.property(nineItems, itemScore, (items, difficulty) => {
        expect(validatePhq9Answers({ items, difficulty })).toEqual([]);
      })
    );
  });

  it.each([
    [{ items: [4, 0, 0, 0, 0, 0, 0, 0, 0], difficulty: 1 }, 'items[0]'],
    [{ items: [0, 0, 0, 0, 0, 0, 0, 0], difficulty: 0 }, 'items'],
    [{ items: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], difficulty: 0 }, 'items'],
    [{ items: [0, 0, 0, 0, 0, 0, 0, 0, '1'], difficulty: 1 }, 'items[8]'],
    [{ items: [1, 0, 0, 0, 0, 0, 0, 0, 0], difficulty: null }, 'difficulty'],
    [{ items: [1, 0, 0, 0, 0, 0, 0, 0, 0] }, 'difficulty'],
    [{ items: 'nine answers' }, 'items'],
  ])('names the field of %j', (answers, field) => {
    expect(validatePhq9Answers(answers).map((p) => p.field)).toContain(field);
  });

  it('lets the difficulty item be left out when every item is 0, as the form asks it only then', () => {
    expect(validatePhq9Answers({ items: [0, 0, 0, 0, 0, 0, 0, 0, 0], difficulty: null })).toEqual([]);
  });
});

describe('PHQ-9 instrument text', () => {
  it('has nine items with the published LOINC codes, item 9 = 44260-8', () => {
    expect(PHQ9_ITEMS.map((i) => i.loinc)).toEqual([
      '44250-9',
      '44255-8',
      '44259-0',
      '44254-1',
      '44251-7',
      '44258-2',
      '44252-5',
      '44253-3',
      '44260-8',
    ]);
    expect(PHQ9_FREQUENCY_OPTIONS.map((o) => o.loinc)).toEqual([
      'LA6568-5',
      'LA6569-3',
      'LA6570-1',
      'LA6571-9',
    ]);
    expect(PHQ9_DIFFICULTY_OPTIONS.map((o) => o.loinc)).toEqual([
      'LA6572-7',
      'LA6573-5',
      'LA6575-0',
      'LA6574-3',
    ]);
  });

  it('pins the item texts to the version: changing a text needs a version bump and clinical sign-off', () => {
    const texts = JSON.stringify([PHQ9_ITEMS, PHQ9_FREQUENCY_OPTIONS, PHQ9_DIFFICULTY_OPTIONS]);
    const digest = createHash('sha256').update(texts).digest('hex').slice(0, 16);
    expect({ version: PHQ9_VERSION, digest }).toMatchInlineSnapshot(`
      {
        "digest": "2f8122f5bf28e413",
        "version": "2026.1",
      }
    `);
  });
});
