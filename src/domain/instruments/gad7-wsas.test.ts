import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gad7Severity, scoreGad7, validateGad7Items } from './gad7.js';
import {
  scoreWsas,
  validateWsasAnswers,
  WORK_STATUSES,
  workItemMayBeNotApplicable,
  wsasBand,
} from './wsas.js';

describe('GAD-7 (Spitzer 2006)', () => {
  it.each([
    [0, 'minimal'],
    [4, 'minimal'],
    [5, 'mild'],
    [9, 'mild'],
    [10, 'moderate'],
    [14, 'moderate'],
    [15, 'severe'],
    [21, 'severe'],
  ] as const)('a total of %i is %s', (total, band) => expect(gad7Severity(total)).toBe(band));

  it('totals the seven items', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 7, maxLength: 7 }), (items) => {
        expect(scoreGad7(items).total).toBe(items.reduce((a, b) => a + b, 0));
      })
    );
  });

  it('names bad answers', () => {
    expect(validateGad7Items([0, 0, 0, 0, 0, 0]).map((p) => p.field)).toEqual(['items']);
    expect(validateGad7Items([0, 0, 0, 4, 0, 0, 0]).map((p) => p.field)).toEqual(['items[3]']);
  });
});

describe('WSAS (Mundt 2002)', () => {
  it.each([
    [0, 'subclinical'],
    [9, 'subclinical'],
    [10, 'significant'],
    [20, 'significant'],
    [21, 'severe'],
    [40, 'severe'],
  ] as const)('a total of %i is %s', (total, band) => expect(wsasBand(total)).toBe(band));

  it('sums five items 0-8', () => {
    expect(scoreWsas({ items: [8, 8, 8, 8, 8], workStatus: 'full_sick_leave' }).total).toBe(40);
    expect(scoreWsas({ items: [0, 1, 2, 3, 4], workStatus: 'working' }).total).toBe(10);
  });

  it('replaces a not-applicable work item by the mean of the other four (NHS Data Dictionary)', () => {
    expect(scoreWsas({ items: [null, 4, 4, 4, 4], workStatus: 'not_working' })).toEqual({
      total: 20,
      band: 'significant',
      workNotApplicable: true,
    });
    expect(scoreWsas({ items: [null, 1, 0, 0, 0], workStatus: 'not_working' }).total).toBe(1); // 1.25 rounds to 1
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 4, maxLength: 4 }), (rest) => {
        const total = scoreWsas({ items: [null, ...rest], workStatus: 'not_working' }).total;
        expect(total).toBeGreaterThanOrEqual(0);
        expect(total).toBeLessThanOrEqual(40);
      })
    );
  });

  it('allows "not applicable" only for work, and needs a work status', () => {
    expect(
      validateWsasAnswers({ items: [1, null, 1, 1, 1], workStatus: 'working' }).map((p) => p.field)
    ).toEqual(['items[1]']);
    expect(
      validateWsasAnswers({ items: [1, 1, 1, 1, 1], workStatus: 'holiday' }).map((p) => p.field)
    ).toEqual(['workStatus']);
    expect(
      validateWsasAnswers({ items: [1, 1, 1, 1, 9], workStatus: 'working' }).map((p) => p.field)
    ).toEqual(['items[4]']);
  });

  it('refuses "not applicable" for work while on sick leave or a benefit (it would hide the impairment)', () => {
    for (const workStatus of [
      'working',
      'partly_sick_leave',
      'full_sick_leave',
      'other_benefit',
      'studying',
    ]) {
      expect(validateWsasAnswers({ items: [null, 1, 1, 1, 1], workStatus }), workStatus).toEqual([
        {
          field: 'items[0]',
          reason: `cannot be "not applicable" with work status ${workStatus}: rate how much the problems affect work`,
        },
      ]);
    }
    expect(validateWsasAnswers({ items: [null, 1, 1, 1, 1], workStatus: 'not_working' })).toEqual([]);
    for (const status of WORK_STATUSES)
      expect(workItemMayBeNotApplicable(status)).toBe(status === 'not_working');
  });
});
