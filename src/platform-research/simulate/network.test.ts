import { describe, expect, it } from 'vitest';
import { personNumberProblem } from '../../domain/identifiers/norwegian-ids.js';
import { furthestStage } from '../../domain/outcomes/implementation.js';
import { outcomeFromSeries } from '../../domain/outcomes/talking-therapies.js';
import { SIMULATION_TRUTH, simulateNetwork, simulationTruth } from './network.js';

const end = new Date('2026-12-01T00:00:00Z');

describe('simulateNetwork', () => {
  it('is deterministic for a seed, sizes and end date, and another seed differs', () => {
    const a = simulateNetwork({ seed: 4, gps: 10, patients: 200, end });
    const b = simulateNetwork({ seed: 4, gps: 10, patients: 200, end });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const c = simulateNetwork({ seed: 5, gps: 10, patients: 200, end });
    expect(c.patients[0]!.id).not.toBe(a.patients[0]!.id);
  });

  it('puts several GPs in a practice, every GP with patients, unique valid synthetic national ids', () => {
    const n = simulateNetwork({ seed: 1, gps: 40, patients: 600, end });
    expect(n.gps).toHaveLength(40);
    expect(n.practices.length).toBeLessThan(40);
    expect(new Set(n.patients.map((p) => p.gpId)).size).toBe(40);
    const ids = n.patients.map((p) => p.nationalId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => personNumberProblem(id) !== null)).toEqual([]);
  });

  it('writes histories in time order, before the end date, with the status the history implies', () => {
    const n = simulateNetwork({ seed: 2, gps: 20, patients: 800, end });
    for (const p of n.patients) {
      const c = p.course;
      if (!c) continue;
      for (const m of c.measurements) expect(m.answeredAt.getTime()).toBeLessThan(end.getTime());
      expect(c.startedAt === null).toBe(c.status === 'recommended');
      expect(c.status === 'finished').toBe(c.modules.filter((m) => m.completedAt).length === 5);
      if (c.startedAt) expect(c.startedAt.getTime()).toBeGreaterThan(c.recommendedAt.getTime());
      expect(p.userId !== null).toBe(c.invitation.usedAt !== null);
      const stage = furthestStage({
        recommendedAt: c.recommendedAt,
        invitationUsedAt: c.invitation.usedAt,
        startedAt: c.startedAt,
        module1DoneAt: c.modules[0]?.completedAt ?? null,
        firstFollowUpHeldAt: c.followUps.find((f) => f.heldAt)?.heldAt ?? null,
        finishedAt: c.finishedAt,
      });
      expect(stage).toBeDefined();
      for (const m of c.measurements) {
        const max = m.instrument === 'phq9' ? 27 : m.instrument === 'gad7' ? 21 : 40;
        expect(m.total).toBeLessThanOrEqual(max);
        expect(m.total).toBe(m.items.reduce((s, v) => s + v, 0));
      }
    }
  });

  it("plants recovery exactly as the domain's rule reads it from the scores", () => {
    const n = simulateNetwork({ seed: 3, gps: 20, patients: 1000, end });
    let checked = 0;
    for (const p of n.patients) {
      const c = p.course;
      if (!c || c.status !== 'finished') continue;
      const series = (instrument: 'phq9' | 'gad7') =>
        c.measurements
          .filter((m) => m.instrument === instrument)
          .map((m) => ({ at: m.answeredAt, score: m.total }));
      const outcome = outcomeFromSeries({ phq9: series('phq9'), gad7: series('gad7') })!;
      expect(outcome.recovery).toBe(c.planted.recovery);
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('writes the truth: the planted parameters and one effect per GP, with counts that add up', () => {
    const n = simulateNetwork({ seed: 9, gps: 30, patients: 900, end });
    const truth = simulationTruth(n);
    expect(truth.parameters).toEqual(SIMULATION_TRUTH);
    expect(truth.gpEffects).toHaveLength(30);
    expect(truth.gpEffects.reduce((s, g) => s + g.listed, 0)).toBe(900);
    const c = truth.counts;
    expect(c.finished + c.stopped + c.active + (c.recommended - c.started)).toBe(c.recommended);
    // Low education starts less often than high (the planted inequity), over a big enough network.
    const big = simulateNetwork({ seed: 10, gps: 100, patients: 6000, end });
    const rate = (group: string) => {
      const courses = big.patients.filter((p) => p.course && p.education.answer === group);
      return courses.filter((p) => p.course!.startedAt).length / courses.length;
    };
    expect(rate('low')).toBeLessThan(rate('high') - 0.1);
  });
});
