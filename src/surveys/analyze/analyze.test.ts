import { describe, expect, it } from 'vitest';
import type { SurveyDataset, SurveyResponseRecord } from '../dataset.js';
import { FIXTURE_GP_QUESTIONNAIRE } from '../generate/fixture-questionnaire.js';
import { syntheticFrame } from '../generate/frame.js';
import { plantSurvey } from '../generate/plant.js';
import { analyzeSurvey, isLikertItem } from './analyze.js';

const coding = (code: string) => [{ valueCoding: { code } }];

function response(
  id: string,
  frameId: string | undefined,
  talk: string,
  status: 'complete' | 'partial' = 'complete'
): SurveyResponseRecord {
  return {
    responseId: id,
    ...(frameId === undefined ? {} : { frameId }),
    wave: 'baseline',
    status,
    updatedAt: '2016-06-02T10:00:00Z',
    questionnaireVersion: '1',
    answers: {
      'own-talk-therapy': coding(talk),
      ...(talk === 'never' ? { 'talk-therapy-barrier': coding('time') } : {}),
    },
  };
}

/**
 * Frame: 6 women and 4 men (sex only). Respondents: 3 women (often, often, never) and 1 man
 * (sometimes); one more man left a partial response. Raking to sex gives each woman 6/3 = 2 and
 * the man 4/1 = 4, so the weighted share of "often" is (2 + 2)/10 = 40 %, unweighted 2/4 = 50 %.
 */
const small: SurveyDataset = {
  surveyId: 'gp-test',
  questionnaire: FIXTURE_GP_QUESTIONNAIRE,
  frame: [
    ...Array.from({ length: 6 }, (_, i) => ({ frameId: `F${i}`, attributes: { sex: 'F' } })),
    ...Array.from({ length: 4 }, (_, i) => ({ frameId: `M${i}`, attributes: { sex: 'M' } })),
  ],
  responses: [
    response('r1', 'F0', 'often'),
    response('r2', 'F1', 'often'),
    response('r3', 'F2', 'never'),
    response('r4', 'M0', 'sometimes'),
    response('r5', 'M1', 'often', 'partial'),
  ],
};

describe('analyzeSurvey', () => {
  const r = analyzeSurvey(small, { margins: [['sex']], trim: null });

  it('counts response and compares respondents with the frame in percentage points', () => {
    expect(r.response).toEqual({ invited: 10, complete: 4, partial: 1, responseRate: 0.4 });
    const sex = r.frameComparison.find((c) => c.attribute === 'sex')!;
    // Women: 60 % of the frame, 3 of 4 = 75 % of respondents: +15 points; weighted back to 60 %.
    expect(sex.rows[0]).toMatchObject({ category: 'F', frame: 6, respondents: 3 });
    expect(sex.rows[0]!.differencePp).toBeCloseTo(15, 12);
    expect(sex.rows[0]!.weightedPercent).toBeCloseTo(60, 12);
  });

  it('weights per response from raking, with the design effect', () => {
    expect(r.weights.map((w) => w.responseId)).toEqual(['r1', 'r2', 'r3', 'r4']);
    r.weights.map((w) => w.weight).forEach((w, i) => expect(w).toBeCloseTo([2, 2, 2, 4][i]!, 10));
    // deff = n Σw² / (Σw)² = 4 · (4 + 4 + 4 + 16) / 10² = 1.12.
    expect(r.weighting!.summary.designEffect).toBeCloseTo(1.12, 10);
    expect(r.weighting!.converged).toBe(true);
  });

  it('weighted and unweighted shares; a branched item counts only those who saw it', () => {
    const talk = r.items.find((i) => i.linkId === 'own-talk-therapy')!;
    const often = talk.shares.find((s) => s.code === 'often')!;
    expect(often.weighted.estimate).toBeCloseTo(0.4, 12);
    expect(often.unweighted.estimate).toBeCloseTo(0.5, 12);
    expect(talk.likert).toBe(true);
    const barrier = r.items.find((i) => i.linkId === 'talk-therapy-barrier')!;
    expect(barrier).toMatchObject({ eligible: 1, answered: 1, missing: 0 });
    const guideline = r.items.find((i) => i.linkId === 'guideline-use')!;
    expect(guideline).toMatchObject({ eligible: 4, answered: 0, missing: 4 });
  });

  it('cross-tables hide small counts and what would reveal them', () => {
    const table = r.crossTables.find((t) => t.item === 'own-talk-therapy' && t.by === 'sex')!;
    expect(table.levels).toEqual(['F', 'M']);
    // Every count here is 1-4 (or a zero beside them): all hidden or suppressed around.
    expect(table.hidden.flat().some(Boolean)).toBe(true);
    const women = table.cells[0]!;
    expect(women.answered).toBe(3);
    expect(women.shares.find((s) => s.code === 'often')!.weighted.estimate).toBeCloseTo(2 / 3, 12);
  });

  it('an anonymous survey (no frame) is unweighted and says so', () => {
    const anonymous = analyzeSurvey({
      ...small,
      frame: [],
      responses: small.responses.map(({ frameId: _unused, ...rest }) => rest),
    });
    expect(anonymous.weighting).toBeNull();
    expect(anonymous.weights.every((w) => w.weight === 1)).toBe(true);
    expect(anonymous.response.responseRate).toBeNull();
    expect(anonymous.warnings.map((w) => w.kind)).toEqual(['no-frame']);
  });

  it('refuses a response from outside the frame, and a GP answering twice', () => {
    expect(() => analyzeSurvey({ ...small, responses: [response('x', 'Z9', 'often')] })).toThrow(
      /frame id Z9, which is not in the frame/
    );
    expect(() =>
      analyzeSurvey(
        { ...small, responses: [response('a', 'F0', 'often'), response('b', 'F0', 'never')] },
        { margins: [['sex']] }
      )
    ).toThrow(/F0 has more than one complete response/);
  });

  it('an empty margin cell stops the analysis unless collapsing is asked for', () => {
    const onlyWomen = { ...small, responses: small.responses.slice(0, 3) };
    expect(() => analyzeSurvey(onlyWomen, { margins: [['sex']] })).toThrow(
      /Margin sex: no respondent in category M/
    );
    const collapsed = analyzeSurvey(onlyWomen, { margins: [['sex']], collapse: true });
    expect(collapsed.warnings).toEqual([
      {
        kind: 'collapsed',
        margin: 'sex',
        from: 'M',
        into: 'F',
        message: 'Margin sex: no respondent in M, merged with F.',
      },
    ]);
  });

  it('sums the variance within strata when the sample was stratified', () => {
    // Weights 2, 2, 2 (women: often, often, never) and 4 (the man: sometimes); R̂(often) = 0.4.
    // z = w(y − 0.4)/10: 0.12, 0.12, −0.08, −0.16 (sum 0).
    // Unstratified: V̂ = 4/3 · (0.0144 + 0.0144 + 0.0064 + 0.0256) = 0.081067, SE = 0.28472.
    // By sex: women's z̄ = 0.05333, Σ(z − z̄)² = 0.026667, × 3/2 = 0.04; the man alone in his
    // stratum adds nothing; SE = 0.2.
    const plain = analyzeSurvey(small, { margins: [['sex']], trim: null });
    const stratified = analyzeSurvey(small, { margins: [['sex']], trim: null, stratum: 'sex' });
    const se = (r: typeof plain) =>
      r.items.find((i) => i.linkId === 'own-talk-therapy')!.shares.find((s) => s.code === 'often')!.weighted
        .se;
    expect(se(plain)).toBeCloseTo(0.28472, 5);
    expect(se(stratified)).toBeCloseTo(0.2, 10);
    expect(() => analyzeSurvey(small, { margins: [['sex']], stratum: 'region' })).toThrow(
      /not a frame attribute/
    );
  });

  it('recognises ordinal items', () => {
    const base = {
      linkId: 'x',
      type: 'choice' as const,
      text: { nb: '', en: '' },
      required: false,
      repeats: false,
      readOnly: false,
      enableWhen: [],
      enableBehavior: 'all' as const,
      parents: [],
    };
    const opts = (codes: string[]) => codes.map((code) => ({ code, display: { nb: code, en: code } }));
    expect(isLikertItem({ ...base, options: opts(['1', '2', '3', '4', '5']) })).toBe(true);
    expect(isLikertItem({ ...base, options: opts(['never', 'sometimes', 'often']) })).toBe(true);
    expect(isLikertItem({ ...base, options: opts(['time', 'training', 'other']) })).toBe(false);
    expect(isLikertItem({ ...base, options: opts(['yes', 'no']) })).toBe(false);
  });
});

describe('weighting recovers the planted truth on a large synthetic frame', () => {
  it('raking moves the share of every answer to own-talk-therapy toward the frame truth', () => {
    // 5,000 GPs, about 2,000 respond; women and older GPs answer more and say "often" more.
    const { dataset, truth } = plantSurvey(syntheticFrame(5000, 11), {
      seed: 5,
      surveyId: 'gp',
      questionnaire: FIXTURE_GP_QUESTIONNAIRE,
    });
    const results = analyzeSurvey(dataset);
    const shares = results.items.find((i) => i.linkId === 'own-talk-therapy')!.shares;
    const frame = truth.frameShares['own-talk-therapy']!;
    for (const s of shares) {
      const truthShare = frame[s.code]!;
      expect(Math.abs(s.weighted.estimate - truthShare)).toBeLessThan(
        Math.abs(s.unweighted.estimate - truthShare)
      );
      expect(s.weighted.lower).toBeLessThanOrEqual(truthShare);
      expect(s.weighted.upper).toBeGreaterThanOrEqual(truthShare);
    }
  });
});
