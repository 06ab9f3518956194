/**
 * Synthetic GP-survey responses with planted truth (issue 14, "Demo data and figures").
 *
 * Every frame member gets the answers they would give (their potential answers), drawn from
 * stated models; a response propensity model then decides who answers. So the frame's share of
 * each answer (the finite-population truth that weighting should recover) is known exactly, and
 * the respondents' share differs from it in a known direction:
 *
 * - Response: logit π = α + β'x with x = GP sex, age group and region; women, older GPs and
 *   GPs outside the north answer more often. α is solved so that the mean propensity over the
 *   frame is the target response rate.
 * - `own-talk-therapy` (never | sometimes | often), a cumulative logit: P(Y ≥ k) = logistic(η − c_k)
 *   with η = women +1.5, older GPs higher, and λ·u_talk, u_talk the GP's planted random intercept for
 *   talking therapy in the registry twin (truth.json gps[].u.talk, log-odds). Women and older GPs
 *   both answer more often AND say "often" more often, so the unweighted share of "often" is too
 *   high and raking by sex × age group moves it back.
 * - Through λ·u_talk, GPs who say "often" have higher registry talking-therapy rates. The planted
 *   association is stated as the finite-population quantity the linkage model estimates: the mean
 *   u_talk of frame GPs whose answer is "often" minus that of the others (and the same among the
 *   respondents). In the mixed model of the patient-level indicator with the answer as a GP-level
 *   covariate, the GP random intercept is u_talk, so the answer's coefficient estimates exactly
 *   this difference of means.
 * - `icbt-known` (yes | no) and `guideline-use` (never | sometimes | often) depend mildly on age,
 *   sex and specialist status; every other item is filled at random (respecting enableWhen), so
 *   the dataset looks like a real export.
 *
 * Deterministic by seed. Pure: no I/O (the twin is read by twin-frame.ts).
 */
import type { Questionnaire } from 'fhir/r4.js';
import {
  answerableItems,
  enabledLinkIds,
  flattenItems,
  type FlatItem,
  type SurveyAnswer,
} from '../../domain/surveys/items.js';
import { Rng } from '../../registry/generate/random.js';
import type { FrameAttribute, FrameMember, SurveyDataset, SurveyResponseRecord } from '../dataset.js';

export interface PlantMember extends FrameMember {
  /** The GP's planted random intercept for talking therapy (log-odds); absent = drawn N(0, 0.8). */
  uTalk?: number;
}

type Coefficients = Readonly<Record<string, number>>;

export interface CumulativeModel {
  kind: 'cumulative-logit';
  codes: readonly string[];
  /** c_1 < c_2 < …: P(Y ≥ codes[k]) = logistic(η − cutpoints[k − 1]). */
  cutpoints: readonly number[];
  /** Keys 'attribute=value', added to η. */
  coefficients: Coefficients;
  /** η gets uLoading × u_talk. */
  uLoading?: number;
}

export interface BinaryModel {
  kind: 'logit';
  codes: readonly [yes: string, no: string];
  intercept: number;
  coefficients: Coefficients;
}

export type AnswerModel = CumulativeModel | BinaryModel;

/** Who answers: logit π = α + Σ coefficients; α solved for the target rate. */
export const RESPONSE_COEFFICIENTS: Coefficients = {
  'sex=F': 1.0,
  'age_group=<40': -1.2,
  'age_group=40-49': -0.5,
  'age_group=60+': 0.7,
  'region=nord': -0.7,
  'region=midt': 0.2,
  'region=vest': 0.1,
};
export const RESPONSE_REFERENCE = { sex: 'M', age_group: '50-59', region: 'sor-ost' } as const;

export const ANSWER_MODELS: Readonly<Record<string, AnswerModel>> = {
  'own-talk-therapy': {
    kind: 'cumulative-logit',
    codes: ['never', 'sometimes', 'often'],
    cutpoints: [-1.2, 1.0],
    coefficients: { 'sex=F': 1.5, 'age_group=<40': -1.2, 'age_group=40-49': -0.5, 'age_group=60+': 1.0 },
    uLoading: 1.5,
  },
  'icbt-known': {
    kind: 'logit',
    codes: ['yes', 'no'],
    intercept: -0.3,
    coefficients: { 'age_group=<40': 0.8, 'age_group=40-49': 0.4, 'sex=F': 0.3 },
  },
  'guideline-use': {
    kind: 'cumulative-logit',
    codes: ['never', 'sometimes', 'often'],
    cutpoints: [-1.5, 0.8],
    coefficients: { 'specialist=yes': 0.5, 'sex=F': 0.3 },
  },
};

/** The item whose answer is planted to go with the registry's talking-therapy rate. */
export const ASSOCIATION_ITEM = 'own-talk-therapy';
export const ASSOCIATION_CONTRAST = 'often';
/** SD of u_talk drawn for a member without one: the twin's GP variance for talking therapy, 0.8. */
const U_TALK_SD = Math.sqrt(0.8);

export interface PlantOptions {
  seed: number;
  surveyId: string;
  questionnaire: Questionnaire;
  /** Target mean response propensity over the frame (default 0.4). */
  responseRate?: number;
  /** Share of non-respondents who leave a partial response (default 0.05). */
  partialShare?: number;
  /** ISO date the invitations went out (default 2016-06-01). */
  surveyDate?: string;
}

export interface SurveyTruth {
  format: 'gpdep-survey-truth/1';
  surveyId: string;
  seed: number;
  surveyDate: string;
  frameSize: number;
  complete: number;
  partial: number;
  responseModel: {
    model: string;
    intercept: number;
    coefficients: Coefficients;
    reference: Readonly<Record<string, string>>;
    targetRate: number;
    meanPropensity: number;
  };
  answerModels: Readonly<Record<string, AnswerModel>>;
  /** Per planted item: each code's share among all frame members' potential answers. */
  frameShares: Record<string, Record<string, number>>;
  /** The same among complete respondents (what an unweighted analysis sees, before noise). */
  respondentShares: Record<string, Record<string, number>>;
  association: {
    item: string;
    contrast: string;
    registryIndicator: string;
    truthKey: string;
    definition: string;
    /** Mean u_talk (answer = contrast) − mean u_talk (other answers), over the frame. */
    frameMeanDifference: number;
    /** The same over complete respondents. */
    respondentMeanDifference: number;
    frameGroups: { contrast: number; rest: number };
    uLoading: number;
  };
}

export interface PlantedSurvey {
  dataset: SurveyDataset;
  truth: SurveyTruth;
}

const logistic = (x: number) => 1 / (1 + Math.exp(-x));

function linear(coefficients: Coefficients, attributes: FrameMember['attributes']): number {
  let eta = 0;
  for (const [key, value] of Object.entries(coefficients)) {
    const [attribute, level] = key.split('=') as [FrameAttribute, string];
    if (attributes[attribute] === level) eta += value;
  }
  return eta;
}

function drawAnswer(model: AnswerModel, member: PlantMember, uTalk: number, u: number): string {
  if (model.kind === 'logit') {
    const p = logistic(model.intercept + linear(model.coefficients, member.attributes));
    return u < p ? model.codes[0] : model.codes[1];
  }
  const eta = linear(model.coefficients, member.attributes) + (model.uLoading ?? 0) * uTalk;
  // Highest k with u < P(Y ≥ codes[k]); P(Y ≥ codes[0]) = 1.
  let k = 0;
  for (let j = 1; j < model.codes.length; j++) if (u < logistic(eta - model.cutpoints[j - 1]!)) k = j;
  return model.codes[k]!;
}

/** α such that the mean of logistic(α + η_i) is `rate` (bisection; the mean is increasing in α). */
export function solveIntercept(etas: readonly number[], rate: number): number {
  if (!(rate > 0 && rate < 1)) throw new Error(`A response rate must lie between 0 and 1 (got ${rate})`);
  let lo = -20;
  let hi = 20;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    const mean = etas.reduce((s, e) => s + logistic(mid + e), 0) / etas.length;
    if (mean < rate) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

function shares(answers: readonly string[], codes: readonly string[]): Record<string, number> {
  return Object.fromEntries(
    codes.map((c) => [c, answers.filter((a) => a === c).length / Math.max(1, answers.length)])
  );
}

function meanDifference(pairs: readonly { answer: string; u: number }[], contrast: string): number {
  const inGroup = pairs.filter((p) => p.answer === contrast);
  const rest = pairs.filter((p) => p.answer !== contrast);
  const mean = (xs: readonly { u: number }[]) => xs.reduce((s, x) => s + x.u, 0) / xs.length;
  return inGroup.length && rest.length ? mean(inGroup) - mean(rest) : NaN;
}

function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** How synthetic answers to items without a planted truth are drawn (demo data and the GP survey). */
export interface FillerStyle {
  /** Spread of the seeded per-item option preferences (log scale). */
  spread: number;
  /** Seed label prefix for the per-item preferences. */
  seedPrefix: string;
  /** Share of respondents who write in an optional free-text item. */
  freeTextShare: number;
}

const GP_SURVEY_FILLER: FillerStyle = { spread: 0.8, seedPrefix: 'item', freeTextShare: 0.1 };

/**
 * One synthetic answer to an item (choice items by seeded preference weights, kept per item in
 * `preferences`), or none. `surveyDate` bounds date answers; without it a date item is skipped.
 */
export function fillerAnswer(
  item: FlatItem,
  rng: Rng,
  preferences: Map<string, number[]>,
  surveyDate: string | undefined,
  style: FillerStyle = GP_SURVEY_FILLER
): SurveyAnswer | null {
  switch (item.type) {
    case 'choice':
    case 'open-choice': {
      if (!item.options.length) return item.type === 'open-choice' ? { valueString: 'Annet' } : null;
      let weights = preferences.get(item.linkId);
      if (!weights) {
        const itemRng = new Rng(item.options.length, `${style.seedPrefix}:${item.linkId}`);
        weights = item.options.map(() => Math.exp(style.spread * itemRng.normal()));
        preferences.set(item.linkId, weights);
      }
      const option = rng.pick(item.options, weights);
      return {
        valueCoding: {
          ...(option.system === undefined ? {} : { system: option.system }),
          code: option.code,
          display: option.display.nb,
        },
      };
    }
    case 'boolean':
      return { valueBoolean: rng.next() < 0.5 };
    case 'integer': {
      const min = item.min ?? 0;
      const max = item.max ?? Math.max(min, 10);
      return { valueInteger: min + Math.floor(rng.next() * (max - min + 1)) };
    }
    case 'decimal': {
      const min = item.min ?? 0;
      const max = item.max ?? min + 10;
      return { valueDecimal: Math.round((min + rng.next() * (max - min)) * 10) / 10 };
    }
    case 'date':
      return surveyDate === undefined
        ? null
        : { valueDate: addDays(surveyDate, -Math.floor(rng.next() * 3650)) };
    case 'string':
    case 'text': {
      // Most respondents leave free text empty; a required one gets a short synthetic note.
      if (!item.required && rng.next() > style.freeTextShare) return null;
      return { valueString: `Syntetisk svar ${Math.floor(rng.next() * 1000)}` };
    }
    default:
      return null;
  }
}

function codedAnswer(item: FlatItem, code: string): SurveyAnswer {
  const option = item.options.find((o) => o.code === code);
  if (!option)
    throw new Error(
      `Item ${item.linkId} has no answer option "${code}" (options: ${item.options.map((o) => o.code).join(', ')})`
    );
  return {
    valueCoding: {
      ...(option.system === undefined ? {} : { system: option.system }),
      code: option.code,
      display: option.display.nb,
    },
  };
}

/** Answers in document order, each item asked only when enabled by the answers before it. */
function answerQuestionnaire(
  items: readonly FlatItem[],
  planted: ReadonlyMap<string, string>,
  rng: Rng,
  preferences: Map<string, number[]>,
  surveyDate: string,
  stopAfter: number
): Record<string, SurveyAnswer[]> {
  const answers: Record<string, SurveyAnswer[]> = {};
  const answerable = new Set(answerableItems(items).map((i) => i.linkId));
  let asked = 0;
  for (const item of items) {
    if (!answerable.has(item.linkId)) continue;
    if (asked >= stopAfter) break;
    if (!enabledLinkIds(items, answers).has(item.linkId)) continue;
    asked++;
    const code = planted.get(item.linkId);
    const answer =
      code !== undefined ? codedAnswer(item, code) : fillerAnswer(item, rng, preferences, surveyDate);
    if (answer) answers[item.linkId] = [answer];
  }
  return answers;
}

/** The planted survey: potential answers for the whole frame, responses for those who answer. */
export function plantSurvey(members: readonly PlantMember[], options: PlantOptions): PlantedSurvey {
  if (members.length === 0) throw new Error('The frame is empty');
  const targetRate = options.responseRate ?? 0.4;
  const partialShare = options.partialShare ?? 0.05;
  const surveyDate = options.surveyDate ?? '2016-06-01';
  const items = flattenItems(options.questionnaire);
  const byLinkId = new Map(items.map((i) => [i.linkId, i]));
  const models = Object.entries(ANSWER_MODELS).filter(([linkId]) => byLinkId.has(linkId));
  if (!byLinkId.has(ASSOCIATION_ITEM))
    throw new Error(`The questionnaire has no item ${ASSOCIATION_ITEM}; the planted association needs it`);
  const rng = new Rng(options.seed, 'survey-responses');
  const uRng = new Rng(options.seed, 'survey-u-talk');

  // 1. Potential answers of every frame member (drawn for all, respondents or not).
  const potential = members.map((member) => {
    const uTalk = member.uTalk ?? U_TALK_SD * uRng.normal();
    const answers = new Map<string, string>();
    for (const [linkId, model] of models) answers.set(linkId, drawAnswer(model, member, uTalk, rng.next()));
    return { member, uTalk, answers };
  });

  // 2. Who answers.
  const etas = members.map((m) => linear(RESPONSE_COEFFICIENTS, m.attributes));
  const intercept = solveIntercept(etas, targetRate);
  const propensity = etas.map((e) => logistic(intercept + e));
  const preferences = new Map<string, number[]>();
  const answerableCount = answerableItems(items).length;
  const responses: SurveyResponseRecord[] = [];
  const completeIdx: number[] = [];
  const version = options.questionnaire.version ?? '1';
  potential.forEach((p, i) => {
    const responds = rng.next() < propensity[i]!;
    const partial = !responds && rng.next() < partialShare;
    const day = Math.floor(rng.next() * 28);
    const minute = Math.floor(rng.next() * 24 * 60);
    const key = Math.floor(rng.next() * 2 ** 32)
      .toString(16)
      .padStart(8, '0');
    if (!responds && !partial) return;
    if (responds) completeIdx.push(i);
    const answers = answerQuestionnaire(
      items,
      p.answers,
      rng,
      preferences,
      surveyDate,
      responds ? Infinity : Math.max(1, Math.floor(answerableCount / 2))
    );
    const at = new Date(Date.parse(`${surveyDate}T08:00:00Z`) + day * 86_400_000 + minute * 60_000);
    responses.push({
      responseId: `R${String(responses.length + 1).padStart(5, '0')}`,
      frameId: p.member.frameId,
      respondentKey: `K${key}`,
      wave: 'baseline',
      status: responds ? 'complete' : 'partial',
      updatedAt: at.toISOString(),
      questionnaireVersion: version,
      answers,
    });
  });

  // 3. The truth.
  const frameShares: SurveyTruth['frameShares'] = {};
  const respondentShares: SurveyTruth['respondentShares'] = {};
  for (const [linkId, model] of models) {
    frameShares[linkId] = shares(
      potential.map((p) => p.answers.get(linkId)!),
      model.codes
    );
    respondentShares[linkId] = shares(
      completeIdx.map((i) => potential[i]!.answers.get(linkId)!),
      model.codes
    );
  }
  const pairs = potential.map((p) => ({ answer: p.answers.get(ASSOCIATION_ITEM)!, u: p.uTalk }));
  const talk = ANSWER_MODELS[ASSOCIATION_ITEM] as CumulativeModel;
  const truth: SurveyTruth = {
    format: 'gpdep-survey-truth/1',
    surveyId: options.surveyId,
    seed: options.seed,
    surveyDate,
    frameSize: members.length,
    complete: completeIdx.length,
    partial: responses.length - completeIdx.length,
    responseModel: {
      model:
        'logit P(complete response) = intercept + sum of the coefficients whose attribute=value the GP has (reference levels: no coefficient); partial responses come from non-respondents',
      intercept,
      coefficients: RESPONSE_COEFFICIENTS,
      reference: RESPONSE_REFERENCE,
      targetRate,
      meanPropensity: propensity.reduce((s, p) => s + p, 0) / propensity.length,
    },
    answerModels: Object.fromEntries(models),
    frameShares,
    respondentShares,
    association: {
      item: ASSOCIATION_ITEM,
      contrast: ASSOCIATION_CONTRAST,
      registryIndicator: 'talking therapy (tariff 615) within 12 months of a new depression episode',
      truthKey: 'truth.json gps[].u.talk',
      definition: `mean u_talk of GPs answering "${ASSOCIATION_CONTRAST}" to ${ASSOCIATION_ITEM} minus mean u_talk of GPs giving another answer: the coefficient of the answer (a GP-level yes/no covariate) in the random-intercept logistic model of the patient-level talking-therapy indicator estimates it`,
      frameMeanDifference: meanDifference(pairs, ASSOCIATION_CONTRAST),
      respondentMeanDifference: meanDifference(
        completeIdx.map((i) => pairs[i]!),
        ASSOCIATION_CONTRAST
      ),
      frameGroups: {
        contrast: pairs.filter((p) => p.answer === ASSOCIATION_CONTRAST).length,
        rest: pairs.filter((p) => p.answer !== ASSOCIATION_CONTRAST).length,
      },
      uLoading: talk.uLoading ?? 0,
    },
  };
  const dataset: SurveyDataset = {
    surveyId: options.surveyId,
    questionnaire: options.questionnaire,
    frame: members.map((m) => ({ frameId: m.frameId, attributes: { ...m.attributes } })),
    responses,
  };
  return { dataset, truth };
}
