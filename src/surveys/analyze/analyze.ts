/**
 * analyzeSurvey: a survey dataset (questionnaire, frame, responses) → the results the report and
 * results.json show: response, respondents against the frame per characteristic (with the
 * difference in percentage points), raking weights per response with the design effect, weighted
 * and unweighted shares with 95 % CIs for every choice item, and cross-tables by frame
 * characteristics or answers. Pure: no I/O.
 *
 * Who is analysed: complete responses of one wave (partial ones are counted, not analysed). An
 * anonymous survey (empty frame) is analysed unweighted (every weight 1) and says so.
 */
import {
  answerableItems,
  enabledLinkIds,
  flattenItems,
  questionnaireTitle,
  type FlatItem,
  type LocalText,
  type SurveyAnswer,
} from '../../domain/surveys/items.js';
import { suppressTable } from '../../registry/stats/suppress.js';
import {
  FRAME_ATTRIBUTES,
  type FrameMember,
  type SurveyDataset,
  type SurveyResponseRecord,
} from '../dataset.js';
import { crossTable, estimateShares, type CrossTableCell, type ShareEstimate } from '../stats/estimates.js';
import {
  compareCategory,
  marginName,
  rakeToFrame,
  weightSummary,
  type Collapse,
  type Margin,
  type TrimOptions,
  type TrimReport,
  type WeightSummary,
} from '../stats/raking.js';

export const DEFAULT_MARGINS: readonly Margin[] = [['sex', 'age_group'], ['region'], ['specialist']];

export interface AnalyzeOptions {
  /** Raking margins (default sex × age group, region, specialist). */
  margins?: readonly Margin[];
  /** Trimming bounds as multiples of the mean weight; null = none (default 0.3-3.0). */
  trim?: TrimOptions | null;
  /** Merge a margin cell without respondents into a neighbour instead of stopping (default false). */
  collapse?: boolean;
  tolerance?: number;
  maxIterations?: number;
  /** The wave analysed (default: 'baseline' when present, else the first wave met). */
  wave?: string;
  /** Cross-tables: every choice item by each of these (frame attributes or item linkIds). */
  crossBy?: readonly string[];
  /** Items drawn as diverging stacked bars (default: ordinal-looking choice items, isLikertItem). */
  likertItems?: readonly string[];
  /**
   * A frame attribute the invitations were stratified by (a stratified sample): the variance is
   * then summed within its strata. Default none (the whole frame invited, as the GP survey).
   */
  stratum?: string;
}

export interface FrameComparisonRow {
  category: string;
  frame: number;
  framePercent: number;
  respondents: number;
  respondentPercent: number;
  /** Respondents' percentage minus the frame's, in percentage points. */
  differencePp: number;
  /** Weighted percentage among respondents (equals the frame's for a raked margin). */
  weightedPercent: number;
}

export interface FrameComparison {
  attribute: string;
  rows: FrameComparisonRow[];
}

export interface ItemResult {
  linkId: string;
  text: LocalText;
  type: string;
  repeats: boolean;
  likert: boolean;
  options: { code: string; display: LocalText }[];
  /** Respondents to whom the item was shown (enableWhen). */
  eligible: number;
  answered: number;
  /** Shown but not answered. */
  missing: number;
  weightedAnswered: number;
  /** For a repeating item: each option's share among those who answered (shares need not sum to 1). */
  shares: ShareEstimate[];
}

export interface CrossTableResult {
  item: string;
  by: string;
  /** The levels of `by`, in order; each a domain. */
  levels: string[];
  codes: string[];
  cells: CrossTableCell[];
  /** [level index][code index] hidden by disclosure control (count 1-4, or what would reveal one). */
  hidden: boolean[][];
  /** Levels whose domain total is hidden. */
  hiddenLevels: boolean[];
}

export interface WeightingResult {
  margins: string[];
  converged: boolean;
  iterations: number;
  totalIterations: number;
  tolerance: number;
  maxRelativeDeviation: number;
  collapses: Collapse[];
  trim: TrimReport | null;
  summary: WeightSummary;
}

/** Something the reader of the results must know, with its facts (the report words it per language). */
export type SurveyWarning = { message: string } & (
  | { kind: 'not-converged'; iterations: number; deviation: number }
  | { kind: 'collapsed'; margin: string; from: string; into: string }
  | { kind: 'trim-outside'; count: number; lower: number; upper: number; rounds: number }
  | { kind: 'no-frame' }
);

export interface SurveyResults {
  format: 'gpdep-survey-results/1';
  surveyId: string;
  questionnaireVersion: string;
  title: LocalText;
  wave: string;
  response: {
    invited: number;
    complete: number;
    partial: number;
    /** Complete / invited (null for an anonymous survey without a frame). */
    responseRate: number | null;
  };
  frameComparison: FrameComparison[];
  /** null when the survey has no frame (anonymous): every weight is 1. */
  weighting: WeightingResult | null;
  weights: { responseId: string; weight: number }[];
  items: ItemResult[];
  crossTables: CrossTableResult[];
  warnings: SurveyWarning[];
}

/** The code an answer counts as: the coding's code, a boolean's 'true'/'false', free text 'other'. */
export function answerCode(answer: SurveyAnswer | undefined): string | null {
  if (!answer) return null;
  if ('valueCoding' in answer) return answer.valueCoding.code;
  if ('valueBoolean' in answer) return String(answer.valueBoolean);
  if ('valueString' in answer) return 'other';
  return null;
}

const ORDERED_WORDS = [
  ['never', 'rarely', 'sometimes', 'often', 'always', 'very-often'],
  [
    'strongly-disagree',
    'disagree',
    'neutral',
    'neither',
    'agree',
    'strongly-agree',
    'somewhat-agree',
    'somewhat-disagree',
  ],
  ['very-poor', 'poor', 'fair', 'good', 'very-good', 'excellent'],
  ['not-at-all', 'a-little', 'somewhat', 'much', 'very-much'],
];

/**
 * An item drawn as a diverging stacked bar: a single-answer choice item with 3-11 options that are
 * ordered — every option carries the FHIR ordinalValue extension, or the codes are consecutive
 * integers, or they all come from one ordered vocabulary (never … always; disagree … agree).
 */
export function isLikertItem(item: FlatItem, ordinal = false): boolean {
  if (item.type !== 'choice' || item.repeats) return false;
  const codes = item.options.map((o) => o.code);
  if (codes.length < 3 || codes.length > 11) return false;
  if (ordinal) return true;
  if (codes.every((c, i) => /^-?\d+$/.test(c) && (i === 0 || Number(c) === Number(codes[i - 1]) + 1)))
    return true;
  return ORDERED_WORDS.some((words) => codes.every((c) => words.includes(c)));
}

function hasOrdinalValues(dataset: SurveyDataset, linkId: string): boolean {
  const find = (items: typeof dataset.questionnaire.item): boolean =>
    (items ?? []).some(
      (i) =>
        (i.linkId === linkId &&
          (i.answerOption ?? []).length > 0 &&
          (i.answerOption ?? []).every((o) =>
            (o.extension ?? []).some((e) => /ordinalValue$|itemWeight$/.test(e.url))
          )) ||
        find(i.item)
    );
  return find(dataset.questionnaire.item);
}

function pct(part: number, whole: number): number {
  return whole > 0 ? (100 * part) / whole : NaN;
}

function chooseWave(responses: readonly SurveyResponseRecord[], wave?: string): string {
  if (wave !== undefined) return wave;
  if (responses.some((r) => r.wave === 'baseline')) return 'baseline';
  return responses[0]?.wave ?? 'baseline';
}

export function analyzeSurvey(dataset: SurveyDataset, options: AnalyzeOptions = {}): SurveyResults {
  const warnings: SurveyWarning[] = [];
  const wave = chooseWave(dataset.responses, options.wave);
  const inWave = dataset.responses.filter((r) => r.wave === wave);
  const complete = inWave.filter((r) => r.status === 'complete');
  const partial = inWave.length - complete.length;
  const frameById = new Map<string, FrameMember>(dataset.frame.map((m) => [m.frameId, m]));
  const hasFrame = dataset.frame.length > 0;
  const members = complete.map((r) => {
    if (!hasFrame) return null;
    const m = r.frameId === undefined ? undefined : frameById.get(r.frameId);
    if (!m)
      throw new Error(
        `Response ${r.responseId} has frame id ${r.frameId ?? '(none)'}, which is not in the frame`
      );
    return m;
  });
  const seenFrame = new Set<string>();
  for (const r of complete) {
    if (r.frameId === undefined) continue;
    if (seenFrame.has(r.frameId))
      throw new Error(`Frame member ${r.frameId} has more than one complete response in wave ${wave}`);
    seenFrame.add(r.frameId);
  }

  // Weights.
  let weighting: WeightingResult | null = null;
  let weights = complete.map(() => 1);
  const margins = (options.margins ?? DEFAULT_MARGINS).filter((m) =>
    m.every((a) =>
      dataset.frame.some((f) => f.attributes[a as keyof FrameMember['attributes']] !== undefined)
    )
  );
  if (hasFrame && complete.length > 0 && margins.length > 0) {
    const trim = options.trim === undefined ? { lower: 0.3, upper: 3.0 } : options.trim;
    const raked = rakeToFrame(
      members.map((m) => ({ attributes: m!.attributes })),
      dataset.frame,
      {
        margins,
        collapse: options.collapse ?? false,
        ...(trim === null ? {} : { trim }),
        ...(options.tolerance === undefined ? {} : { tolerance: options.tolerance }),
        ...(options.maxIterations === undefined ? {} : { maxIterations: options.maxIterations }),
      }
    );
    weights = raked.weights;
    weighting = {
      margins: margins.map(marginName),
      converged: raked.converged,
      iterations: raked.iterations,
      totalIterations: raked.totalIterations,
      tolerance: raked.tolerance,
      maxRelativeDeviation: raked.maxRelativeDeviation,
      collapses: raked.collapses,
      trim: raked.trim,
      summary: raked.summary,
    };
    if (!raked.converged)
      warnings.push({
        kind: 'not-converged',
        iterations: raked.iterations,
        deviation: raked.maxRelativeDeviation,
        message: `Raking did not converge in ${raked.iterations} passes (largest relative deviation from a margin ${raked.maxRelativeDeviation.toExponential(2)}): the margins contradict each other for these respondents; collapse categories or drop a margin.`,
      });
    for (const c of raked.collapses)
      warnings.push({
        kind: 'collapsed',
        ...c,
        message: `Margin ${c.margin}: no respondent in ${c.from}, merged with ${c.into}.`,
      });
    if (raked.trim && raked.trim.outside > 0)
      warnings.push({
        kind: 'trim-outside',
        count: raked.trim.outside,
        lower: raked.trim.lower,
        upper: raked.trim.upper,
        rounds: raked.trim.rounds,
        message: `${raked.trim.outside} weight(s) stay outside ${raked.trim.lower}-${raked.trim.upper} × the mean after ${raked.trim.rounds} trimming rounds: the margins require them.`,
      });
  } else if (!hasFrame) {
    warnings.push({
      kind: 'no-frame',
      message: 'No sampling frame (an anonymous survey): results are unweighted.',
    });
  }

  // Respondents against the frame.
  const attributes = FRAME_ATTRIBUTES.filter((a) => dataset.frame.some((f) => f.attributes[a] !== undefined));
  const totalWeight = weights.reduce((s, w) => s + w, 0);
  const frameComparison: FrameComparison[] = attributes.map((attribute) => {
    const categories = [...new Set(dataset.frame.map((f) => f.attributes[attribute] ?? 'missing'))].sort(
      compareCategory
    );
    const rows = categories.map((category) => {
      const frame = dataset.frame.filter((f) => (f.attributes[attribute] ?? 'missing') === category).length;
      let respondents = 0;
      let weighted = 0;
      members.forEach((m, i) => {
        if ((m!.attributes[attribute] ?? 'missing') === category) {
          respondents++;
          weighted += weights[i]!;
        }
      });
      const framePercent = pct(frame, dataset.frame.length);
      const respondentPercent = pct(respondents, complete.length);
      return {
        category,
        frame,
        framePercent,
        respondents,
        respondentPercent,
        differencePp: respondentPercent - framePercent,
        weightedPercent: pct(weighted, totalWeight),
      };
    });
    return { attribute, rows };
  });

  // Items.
  const flat = flattenItems(dataset.questionnaire);
  const enabled = complete.map((r) => enabledLinkIds(flat, r.answers));
  const choiceItems = answerableItems(flat).filter(
    (i) =>
      (i.type === 'choice' || i.type === 'open-choice' || i.type === 'boolean') &&
      (i.options.length > 0 || i.type === 'boolean')
  );
  const optionsOf = (item: FlatItem) => {
    const options =
      item.type === 'boolean'
        ? [
            { code: 'true', display: { nb: 'Ja', en: 'Yes' } },
            { code: 'false', display: { nb: 'Nei', en: 'No' } },
          ]
        : item.options.map((o) => ({ code: o.code, display: o.display }));
    if (item.type === 'open-choice')
      options.push({ code: 'other', display: { nb: 'Annet (fritekst)', en: 'Other (free text)' } });
    return options;
  };
  const likertSet = options.likertItems ? new Set(options.likertItems) : null;
  if (options.stratum !== undefined && !attributes.includes(options.stratum as (typeof attributes)[number]))
    throw new Error(`Stratum "${options.stratum}" is not a frame attribute of this survey`);
  const strata = complete.map((_, i) =>
    options.stratum === undefined
      ? undefined
      : (members[i]!.attributes[options.stratum as keyof FrameMember['attributes']] ?? 'missing')
  );
  const withStratum = (i: number) => (strata[i] === undefined ? {} : { stratum: strata[i] });
  const items: ItemResult[] = choiceItems.map((item) => {
    const itemOptions = optionsOf(item);
    const codes = itemOptions.map((o) => o.code);
    const eligible = enabled.filter((e) => e.has(item.linkId)).length;
    const given = complete.map((r, i) =>
      enabled[i]!.has(item.linkId) ? (r.answers[item.linkId] ?? []) : []
    );
    let shares: ShareEstimate[];
    let answered: number;
    let weightedAnswered: number;
    if (item.repeats) {
      // Each option: chosen or not, among those who answered the item.
      const per = codes.map((code) =>
        estimateShares(
          given.map((g, i) => ({
            weight: weights[i]!,
            value: g.length === 0 ? null : g.some((a) => answerCode(a) === code) ? 'yes' : 'no',
            ...withStratum(i),
          })),
          ['yes', 'no']
        )
      );
      shares = per.map((r, k) => ({ ...r.shares[0]!, code: codes[k]! }));
      answered = per[0]?.answered ?? 0;
      weightedAnswered = per[0]?.weightedAnswered ?? 0;
    } else {
      const r = estimateShares(
        given.map((g, i) => ({ weight: weights[i]!, value: answerCode(g[0]), ...withStratum(i) })),
        codes
      );
      shares = r.shares;
      answered = r.answered;
      weightedAnswered = r.weightedAnswered;
    }
    return {
      linkId: item.linkId,
      text: item.text,
      type: item.type,
      repeats: item.repeats,
      likert: likertSet
        ? likertSet.has(item.linkId)
        : isLikertItem(item, hasOrdinalValues(dataset, item.linkId)),
      options: itemOptions,
      eligible,
      answered,
      missing: eligible - answered,
      weightedAnswered,
      shares,
    };
  });

  // Cross-tables.
  const crossBy = options.crossBy ?? attributes;
  const crossTables: CrossTableResult[] = [];
  for (const item of choiceItems.filter((i) => !i.repeats)) {
    const codes = optionsOf(item).map((o) => o.code);
    for (const by of crossBy) {
      if (by === item.linkId) continue;
      const byItem = choiceItems.find((i) => i.linkId === by);
      const isAttribute = (FRAME_ATTRIBUTES as readonly string[]).includes(by);
      if (!byItem && !isAttribute)
        throw new Error(`Cross-table by "${by}": neither a frame attribute nor a choice item`);
      if (isAttribute && !hasFrame) continue;
      const byValues = complete.map((r, i) =>
        byItem
          ? enabled[i]!.has(by)
            ? answerCode(r.answers[by]?.[0])
            : null
          : (members[i]!.attributes[by as keyof FrameMember['attributes']] ?? null)
      );
      const levels = byItem
        ? optionsOf(byItem).map((o) => o.code)
        : [...new Set(byValues.filter((v): v is string => v !== null))].sort(compareCategory);
      const cells = crossTable(
        complete.map((r, i) => ({
          weight: weights[i]!,
          value: enabled[i]!.has(item.linkId) ? answerCode(r.answers[item.linkId]?.[0]) : null,
          byValue: byValues[i]!,
          ...withStratum(i),
        })),
        codes,
        levels
      );
      // Disclosure control on the counts (levels × codes with their margins), as the registry does.
      const suppressed = suppressTable(cells.map((c) => c.shares.map((s) => s.n)));
      crossTables.push({
        item: item.linkId,
        by,
        levels,
        codes,
        cells,
        hidden: levels.map((_, i) => codes.map((__, j) => suppressed.hidden[i]![j]!)),
        hiddenLevels: levels.map((_, i) => suppressed.hidden[i]![codes.length]!),
      });
    }
  }

  return {
    format: 'gpdep-survey-results/1',
    surveyId: dataset.surveyId,
    questionnaireVersion: dataset.questionnaire.version ?? '1',
    title: questionnaireTitle(dataset.questionnaire),
    wave,
    response: {
      invited: dataset.frame.length,
      complete: complete.length,
      partial,
      responseRate: hasFrame ? complete.length / dataset.frame.length : null,
    },
    frameComparison,
    weighting,
    weights: complete.map((r, i) => ({ responseId: r.responseId, weight: weights[i]! })),
    items,
    crossTables,
    warnings,
  };
}

/** Kish's summary for weights of 1 (an unweighted survey), for reports that always show one. */
export function unitWeightSummary(n: number): WeightSummary {
  return weightSummary(new Array<number>(n).fill(1));
}
