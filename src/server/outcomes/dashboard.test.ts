import { describe, expect, it } from 'vitest';
import {
  buildComparison,
  buildDashboard,
  suppressedFunnel,
  suppressedShares,
  type OutcomePatientRow,
} from './dashboard.js';

const NOW = new Date('2026-12-01T12:00:00Z');

function row(over: Partial<OutcomePatientRow> = {}): OutcomePatientRow {
  return {
    listGpUserId: 'gp-a',
    practiceId: 'p1',
    sex: 'female',
    birthYear: 1980,
    education: null,
    workStatus: null,
    recommendedBy: null,
    invitationUsed: false,
    started: false,
    module1Done: false,
    firstFollowUpHeld: false,
    finished: false,
    phq9: null,
    gad7: null,
    ...over,
  };
}

/** Recommended by `gp`, reached `stage` (0 = recommended … 5 = finished). */
function course(gp: string, stage: number, over: Partial<OutcomePatientRow> = {}): OutcomePatientRow {
  return row({
    listGpUserId: gp,
    recommendedBy: gp,
    invitationUsed: stage >= 1,
    started: stage >= 2,
    module1Done: stage >= 3,
    firstFollowUpHeld: stage >= 4,
    finished: stage >= 5,
    ...over,
  });
}

describe('suppression as in the registry report', () => {
  it('hides a funnel count of 1-4 and any count whose drop from the last one shown is 1-4', () => {
    expect(suppressedFunnel([40, 38, 30, 30, 3, 0])).toEqual([40, null, 30, 30, null, 0]);
    expect(suppressedFunnel([0, 0, 0, 0, 0, 0])).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('hides a share whose count or complement is 1-4, and "none of" a group under 50', () => {
    expect(suppressedShares([{ count: 3, denominator: 100 }])[0]?.share).toBeNull();
    expect(suppressedShares([{ count: 97, denominator: 100 }])[0]?.share).toBeNull();
    expect(suppressedShares([{ count: 0, denominator: 20 }])[0]?.share).toBeNull();
    expect(suppressedShares([{ count: 0, denominator: 60 }])[0]).toEqual({
      count: 0,
      denominator: 60,
      share: 0,
    });
    expect(suppressedShares([{ count: 40, denominator: 100 }])[0]).toEqual({
      count: 40,
      denominator: 100,
      share: 0.4,
    });
  });
});

describe('a dashboard', () => {
  // gp-a: 20 recommended; 15 started … 10 finished, of whom 10 have PHQ-9 pairs.
  const rows: OutcomePatientRow[] = [
    ...Array.from({ length: 5 }, () => course('gp-a', 1)),
    ...Array.from({ length: 5 }, (_, i) =>
      course('gp-a', 5, { phq9: { first: 15, last: 9 }, sex: i % 2 ? 'male' : 'female' })
    ),
    ...Array.from({ length: 5 }, () => course('gp-a', 5, { phq9: { first: 15, last: 10 } })),
    ...Array.from({ length: 5 }, () => course('gp-a', 4)),
    ...Array.from({ length: 12 }, () => course('gp-b', 5, { phq9: { first: 12, last: 12 } })),
    // On gp-a's list, never recommended: counts for equity of recommendation only.
    ...Array.from({ length: 30 }, () => row({ listGpUserId: 'gp-a' })),
  ];

  it('counts the funnel cumulatively with shares of the stage before', () => {
    const dash = buildDashboard(rows, { gpUserId: 'gp-a' }, 'own', NOW);
    expect(dash.funnel.map((f) => f.count)).toEqual([20, 20, 15, 15, 15, 10]);
    expect(dash.funnel[2]).toMatchObject({ stage: 'started', shareOfPrevious: 0.75 });
  });

  it('gives the outcome rates with NHS Talking Therapies denominators (a fall of 6 reliable, of 5 not)', () => {
    const dash = buildDashboard(rows, { gpUserId: 'gp-a' }, 'own', NOW);
    expect(dash.outcomes).toMatchObject({ finished: 10, withPairedScores: 10, casesAtStart: 10 });
    const rate = (k: string) => dash.outcomes.rates.find((r) => r.outcome === k);
    expect(rate('reliable_improvement')).toEqual({
      outcome: 'reliable_improvement',
      count: 5,
      denominator: 10,
      share: 0.5,
    });
    expect(rate('recovery')?.count).toBe(5);
    expect(rate('reliable_recovery')?.count).toBe(5);
    // None of 10 deteriorated: a zero in a group under 50 is not published.
    expect(rate('reliable_deterioration')?.share).toBeNull();
  });

  it('shows equity of recommendation over every listed patient, and suppresses small groups', () => {
    const dash = buildDashboard(rows, { gpUserId: 'gp-a' }, 'own', NOW);
    const sex = dash.equity.find((e) => e.dimension === 'sex' && e.step === 'recommended')!;
    expect(sex.groups.find((g) => g.group === 'male')?.count).toBeNull(); // 2 men
    const edu = dash.equity.find((e) => e.dimension === 'education' && e.step === 'recommended')!;
    expect(edu.groups.every((g) => g.denominator === 0)).toBe(true);
    expect(edu.concentrationIndex).toBeNull();
  });

  it('computes the concentration index over education when every group is published', () => {
    const eduRows = [
      ...Array.from({ length: 60 }, (_, i) => row({ education: 'low', recommendedBy: i < 10 ? 'x' : null })),
      ...Array.from({ length: 60 }, (_, i) =>
        row({ education: 'medium', recommendedBy: i < 20 ? 'x' : null })
      ),
      ...Array.from({ length: 60 }, (_, i) => row({ education: 'high', recommendedBy: i < 30 ? 'x' : null })),
    ];
    const dash = buildDashboard(eduRows, 'all', 'platform', NOW);
    const ci = dash.equity.find(
      (e) => e.dimension === 'education' && e.step === 'recommended'
    )!.concentrationIndex!;
    expect(ci.estimate).toBeGreaterThan(0); // more among the better educated
    expect(ci.lo).toBeLessThan(ci.estimate);
    expect(ci.hi).toBeGreaterThan(ci.estimate);
  });

  it('draws every GP as an anonymous point and gives a GP only their own figure', () => {
    const comparison = buildComparison(rows, 'gp-a');
    const finished = comparison.find((c) => c.indicator === 'finished')!;
    expect(finished.own).toMatchObject({ count: 10, denominator: 20, share: 0.5 });
    expect(finished.plot?.points).toHaveLength(2);
    expect(JSON.stringify(comparison)).not.toContain('gp-b');
    expect(buildComparison(rows, null).every((c) => c.own === null)).toBe(true);
  });
});

describe('a GP whose own figure is hidden', () => {
  it('gets no flag either, since where it lies would hint at it', () => {
    const rows = [
      ...Array.from({ length: 3 }, () => course('gp-small', 5, { phq9: { first: 15, last: 5 } })),
      ...Array.from({ length: 20 }, () => course('gp-big', 2)),
    ];
    const finished = buildComparison(rows, 'gp-small').find((c) => c.indicator === 'finished')!;
    expect(finished.own).toEqual({
      count: null,
      denominator: null,
      share: null,
      flag95: null,
      flag998: null,
    });
  });
});
