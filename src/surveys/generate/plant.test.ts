import { describe, expect, it } from 'vitest';
import { FIXTURE_GP_QUESTIONNAIRE } from './fixture-questionnaire.js';
import { ageGroup, frameFromRegistry, isRural, listSizeGroup, syntheticFrame } from './frame.js';
import { ASSOCIATION_ITEM, plantSurvey, solveIntercept } from './plant.js';

const code = (answers: Record<string, readonly unknown[]>, linkId: string) =>
  (answers[linkId]?.[0] as { valueCoding?: { code: string } } | undefined)?.valueCoding?.code;

describe('planted GP survey', () => {
  const frame = syntheticFrame(4000, 7);
  const planted = plantSurvey(frame, { seed: 3, surveyId: 'gp', questionnaire: FIXTURE_GP_QUESTIONNAIRE });
  const { dataset, truth } = planted;

  it('is deterministic by seed, and another seed gives other responses', () => {
    const again = plantSurvey(frame, { seed: 3, surveyId: 'gp', questionnaire: FIXTURE_GP_QUESTIONNAIRE });
    expect(again).toEqual(planted);
    const other = plantSurvey(frame, { seed: 4, surveyId: 'gp', questionnaire: FIXTURE_GP_QUESTIONNAIRE });
    expect(other.dataset.responses).not.toEqual(dataset.responses);
  });

  it('responds at the target rate on average, with the stated propensity model', () => {
    expect(truth.responseModel.meanPropensity).toBeCloseTo(0.4, 9);
    // 4000 × 0.4 = 1600 expected complete; binomial-like SD about 31.
    expect(truth.complete).toBeGreaterThan(1500);
    expect(truth.complete).toBeLessThan(1700);
    expect(dataset.responses.filter((r) => r.status === 'complete')).toHaveLength(truth.complete);
    // Women respond more (coefficient +1.0): their share among respondents exceeds the frame's.
    const share = (xs: readonly { attributes: Record<string, string | undefined> }[]) =>
      xs.filter((x) => x.attributes.sex === 'F').length / xs.length;
    const byId = new Map(dataset.frame.map((m) => [m.frameId, m]));
    const respondents = dataset.responses
      .filter((r) => r.status === 'complete')
      .map((r) => byId.get(r.frameId!)!);
    expect(share(respondents)).toBeGreaterThan(share(dataset.frame) + 0.05);
  });

  it('answers respect branching: the barrier item only after "never"', () => {
    for (const r of dataset.responses.filter((x) => x.status === 'complete')) {
      const talk = code(r.answers, 'own-talk-therapy');
      expect(talk).toBeDefined();
      expect(r.answers['talk-therapy-barrier'] !== undefined).toBe(talk === 'never');
    }
    // Partial responses stop half-way (before the last items).
    const partial = dataset.responses.filter((r) => r.status === 'partial');
    expect(partial.length).toBeGreaterThan(0);
    expect(
      partial.every(
        (r) => r.answers['comments'] === undefined && r.answers['nav-collaboration'] === undefined
      )
    ).toBe(true);
  });

  it('the truth: frame shares of the planted item, biased respondents, and the planted association', () => {
    const frameShares = truth.frameShares[ASSOCIATION_ITEM]!;
    expect(frameShares.never! + frameShares.sometimes! + frameShares.often!).toBeCloseTo(1, 12);
    // Women and older GPs answer more and say "often" more: unweighted "often" is too high.
    expect(truth.respondentShares[ASSOCIATION_ITEM]!.often).toBeGreaterThan(frameShares.often! + 0.03);
    // Respondents' recorded answers are the potential answers the truth counts.
    const complete = dataset.responses.filter((r) => r.status === 'complete');
    const often =
      complete.filter((r) => code(r.answers, ASSOCIATION_ITEM) === 'often').length / complete.length;
    expect(often).toBeCloseTo(truth.respondentShares[ASSOCIATION_ITEM]!.often!, 12);
    // λ = 1.5 on u ~ N(0, 0.8): "often" GPs have clearly higher u (about 0.8-0.9 log-odds).
    expect(truth.association.frameMeanDifference).toBeGreaterThan(0.6);
    expect(truth.association.frameMeanDifference).toBeLessThan(1.1);
    const u = new Map(frame.map((m) => [m.frameId, m.uTalk!]));
    const groups = { often: [] as number[], rest: [] as number[] };
    for (const r of complete)
      (code(r.answers, ASSOCIATION_ITEM) === 'often' ? groups.often : groups.rest).push(u.get(r.frameId!)!);
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(truth.association.respondentMeanDifference).toBeCloseTo(
      mean(groups.often) - mean(groups.rest),
      12
    );
  });

  it('refuses a questionnaire without the association item', () => {
    expect(() =>
      plantSurvey(frame, {
        seed: 1,
        surveyId: 'x',
        questionnaire: {
          resourceType: 'Questionnaire',
          status: 'active',
          item: [{ linkId: 'a', type: 'string' }],
        },
      })
    ).toThrow(/no item own-talk-therapy/);
  });

  it('solves the intercept for a target rate', () => {
    // Two GPs with η = ±1: logistic(α + 1) + logistic(α − 1) = 1 at α = 0 (rate 0.5).
    expect(solveIntercept([1, -1], 0.5)).toBeCloseTo(0, 9);
  });
});

describe('frame characteristics from the registry', () => {
  it('age group on the survey date, rural 5-6, specialist by date, pseudonymous ids', () => {
    expect([39, 40, 49, 50, 59, 60].map(ageGroup)).toEqual([
      '<40',
      '40-49',
      '40-49',
      '50-59',
      '50-59',
      '60+',
    ]);
    expect([799, 800, 1099, 1100].map(listSizeGroup)).toEqual(['<800', '800-1099', '800-1099', '1100+']);
    expect([1, 4, 5, 6, null].map(isRural)).toEqual([false, false, true, true, false]);
    const gps = [
      {
        gpId: 'G1',
        sex: 'F',
        birthYear: 1970,
        municipality: '0301',
        centrality: 1,
        specialistFrom: '2016-06-01',
        listSize: 900,
      },
      {
        gpId: 'G2',
        sex: 'M',
        birthYear: 1950,
        municipality: '0308',
        centrality: 6,
        specialistFrom: '2016-06-02',
        listSize: 1200,
      },
    ];
    const { members, linkage } = frameFromRegistry(gps, { surveyDate: '2016-06-01', seed: 1 });
    expect(members[0]!.attributes).toMatchObject({
      sex: 'F',
      age_group: '40-49',
      rural: 'no',
      specialist: 'yes',
      list_size_group: '800-1099',
    });
    expect(members[1]!.attributes).toMatchObject({
      sex: 'M',
      age_group: '60+',
      rural: 'yes',
      specialist: 'no',
    });
    expect(members.every((m) => /^F\d{5}$/.test(m.frameId))).toBe(true);
    expect(linkage.map((l) => l.registryGpId)).toEqual(['G1', 'G2']);
    expect(linkage.map((l) => l.frameId)).toEqual(members.map((m) => m.frameId));
    expect(JSON.stringify(members)).not.toMatch(/G1|G2/);
  });
});
