/**
 * Raking (iterative proportional fitting) of respondents' weights to the sampling frame's margins,
 * weight trimming, and Kish's design effect of unequal weights.
 *
 * Raking (Deming & Stephan 1940; Kalton & Flores-Cervantes 2003, J Off Stat 19:81-97): starting
 * from base weights d_i, the weights are multiplied in turn, margin by margin, by T_c / Σ_{i∈c} w_i
 * for every cell c of the margin, where T_c is the frame's count in that cell, until every margin
 * is met within `tolerance` (relative) or `maxIterations` passes are made. A margin is one frame
 * attribute (region) or a crossing of several (sex × age group), so a crossed margin fixes the
 * joint distribution, the others only their own. The result is the raking ratio estimator, a
 * calibration estimator with the multiplicative distance (Deville & Särndal 1992, JASA 87:376-382).
 *
 * An empty cell (the frame has persons in it, no respondent is in it) cannot be met by any weight:
 * it is refused with the margin and the category named, or, with `collapse`, merged into a
 * neighbouring cell of the same margin (the next category of the margin's last attribute among the
 * cells that share the others, else the margin's largest cell), and the merge is reported.
 *
 * Trimming (Potter 1990; Kalton & Flores-Cervantes 2003, §4): weights outside
 * [lower × mean, upper × mean] are set to the bound, and the weights re-raked; repeated until the
 * raked weights lie within the bounds (a relative slack of `trim.slack`) or `trim.maxRounds`
 * rounds. The last step is always a raking, so the margins hold exactly; the bounds hold to the
 * slack, and what is left outside is reported.
 *
 * Kish's design effect of unequal weighting (Kish 1965, Survey Sampling, §11.7):
 *   deff = n Σw² / (Σw)² = 1 + CV², CV² the relative variance of the weights (divisor n);
 *   effective n = (Σw)² / Σw² = n / deff.
 */

export interface RakingUnit {
  /** Base weight (inverse selection probability); 1 when everyone in the frame was invited. */
  baseWeight?: number;
  attributes: Readonly<Record<string, string | undefined>>;
}

/** One margin: the attributes crossed, e.g. ['sex', 'age_group'] or ['region']. */
export type Margin = readonly string[];

/** Frame totals per margin cell, keyed by cellKey(values). */
export interface MarginTarget {
  margin: Margin;
  totals: ReadonlyMap<string, number>;
}

export interface TrimOptions {
  /** Lower bound as a multiple of the mean weight (default 0.3). */
  lower?: number;
  /** Upper bound as a multiple of the mean weight (default 3.0). */
  upper?: number;
  /** Trim and re-rake at most this many times (default 25). */
  maxRounds?: number;
  /** A raked weight within bound × (1 ± slack) counts as within the bound (default 0.01). */
  slack?: number;
}

export interface RakingOptions {
  margins: readonly Margin[];
  /** Largest relative deviation |Σw − T| / T allowed in any cell (default 1e-10). */
  tolerance?: number;
  /** Passes over all margins (default 200). */
  maxIterations?: number;
  /** Merge an empty cell into a neighbour instead of refusing (default false). */
  collapse?: boolean;
  /** Trim extreme weights (bounds as multiples of the mean weight); absent = no trimming. */
  trim?: TrimOptions;
}

export interface Collapse {
  margin: string;
  /** The cell without respondents. */
  from: string;
  /** The cell it was merged into. */
  into: string;
}

export interface TrimReport {
  lower: number;
  upper: number;
  rounds: number;
  /** Weights that were set to a bound in the last trimming round. */
  trimmedLastRound: number;
  /** Raked weights still outside the bounds (beyond the slack) after the last round. */
  outside: number;
  /** Smallest and largest weight as multiples of the mean weight. */
  minRatio: number;
  maxRatio: number;
}

export interface RakingResult {
  weights: number[];
  /** Passes of the final raking (all rounds' passes in `totalIterations`). */
  iterations: number;
  totalIterations: number;
  converged: boolean;
  tolerance: number;
  /** Largest relative deviation from a margin total after the final pass. */
  maxRelativeDeviation: number;
  collapses: Collapse[];
  trim: TrimReport | null;
  summary: WeightSummary;
}

export interface WeightSummary {
  n: number;
  sum: number;
  mean: number;
  min: number;
  max: number;
  /** Relative variance of the weights (divisor n). */
  cv2: number;
  /** Kish: 1 + CV². */
  designEffect: number;
  /** n / deff. */
  effectiveN: number;
}

export class RakingError extends Error {
  constructor(
    message: string,
    readonly margin: string,
    readonly category: string | null
  ) {
    super(message);
    this.name = 'RakingError';
  }
}

/** A margin's name as reports write it: "sex×age_group". */
export function marginName(margin: Margin): string {
  return margin.join('×');
}

/** A cell's key: the values of the margin's attributes joined by "×" ("F×40-49"). */
export function cellKey(values: readonly string[]): string {
  return values.join('×');
}

function cellOf(attributes: RakingUnit['attributes'], margin: Margin, who: string): string {
  return cellKey(
    margin.map((a) => {
      const v = attributes[a];
      if (v === undefined || v === '')
        throw new RakingError(
          `${who} has no value for ${a} (margin ${marginName(margin)})`,
          marginName(margin),
          null
        );
      return v;
    })
  );
}

/** The frame's count in every cell of every margin. */
export function frameTargets(
  frame: readonly { attributes: RakingUnit['attributes'] }[],
  margins: readonly Margin[]
): MarginTarget[] {
  return margins.map((margin) => {
    const totals = new Map<string, number>();
    frame.forEach((m, i) => {
      const key = cellOf(m.attributes, margin, `Frame member ${i + 1}`);
      totals.set(key, (totals.get(key) ?? 0) + 1);
    });
    return { margin, totals };
  });
}

/** Kish's summary of a set of weights. */
export function weightSummary(weights: readonly number[]): WeightSummary {
  const n = weights.length;
  let sum = 0;
  let sq = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const w of weights) {
    sum += w;
    sq += w * w;
    if (w < min) min = w;
    if (w > max) max = w;
  }
  const designEffect = n > 0 && sum > 0 ? (n * sq) / (sum * sum) : NaN;
  return {
    n,
    sum,
    mean: n ? sum / n : NaN,
    min: n ? min : NaN,
    max: n ? max : NaN,
    cv2: designEffect - 1,
    designEffect,
    effectiveN: n / designEffect,
  };
}

interface PreparedMargin {
  name: string;
  /** Cell group index of each unit. */
  groupOf: Int32Array;
  targets: Float64Array;
}

/**
 * Cells of one margin as groups: every frame cell with its total; an empty cell refused or
 * merged into a neighbour (then a group holds several cells).
 */
function prepareMargin(
  units: readonly RakingUnit[],
  target: MarginTarget,
  collapse: boolean,
  collapses: Collapse[]
): PreparedMargin {
  const name = marginName(target.margin);
  const unitCells = units.map((u, i) => cellOf(u.attributes, target.margin, `Respondent ${i + 1}`));
  const respondents = new Map<string, number>();
  for (const c of unitCells) respondents.set(c, (respondents.get(c) ?? 0) + 1);
  for (const [c, n] of respondents) {
    if (!((target.totals.get(c) ?? 0) > 0))
      throw new RakingError(
        `Margin ${name}: ${n} respondent${n === 1 ? '' : 's'} in category ${c}, which the frame does not have`,
        name,
        c
      );
  }
  // Group of each frame cell (union-find over merges).
  const cells = [...target.totals.keys()].filter((c) => target.totals.get(c)! > 0);
  const parent = new Map(cells.map((c) => [c, c]));
  const find = (c: string): string => {
    let r = c;
    while (parent.get(r) !== r) r = parent.get(r)!;
    return r;
  };
  const groupCount = (root: string) =>
    cells.filter((c) => find(c) === root).reduce((s, c) => s + (respondents.get(c) ?? 0), 0);
  const empty = cells.filter((c) => !respondents.has(c));
  for (const c of empty) {
    if (!collapse)
      throw new RakingError(
        `Margin ${name}: no respondent in category ${c} (the frame has ${target.totals.get(c)}); collapse it with a neighbouring category or leave the margin out`,
        name,
        c
      );
    if (groupCount(find(c)) > 0) continue; // already merged into a group with respondents
    const parts = c.split('×');
    const prefix = parts.slice(0, -1).join('×');
    const siblings = cells
      .filter((o) => o.split('×').slice(0, -1).join('×') === prefix)
      .sort((a, b) => compareCategory(a.split('×').at(-1)!, b.split('×').at(-1)!));
    const at = siblings.indexOf(c);
    // Nearest sibling (by the last attribute's order) in a group with respondents, the next one first.
    let into: string | undefined;
    for (let d = 1; d < siblings.length && into === undefined; d++) {
      for (const k of [at + d, at - d]) {
        const o = siblings[k];
        if (o !== undefined && groupCount(find(o)) > 0) {
          into = o;
          break;
        }
      }
    }
    into ??= cells
      .filter((o) => groupCount(find(o)) > 0)
      .sort((a, b) => target.totals.get(b)! - target.totals.get(a)!)[0];
    if (into === undefined) throw new RakingError(`Margin ${name}: no respondent in any category`, name, c);
    parent.set(find(c), find(into));
    collapses.push({ margin: name, from: c, into });
  }
  const roots = [...new Set(cells.map(find))];
  const index = new Map(roots.map((r, k) => [r, k]));
  const targets = new Float64Array(roots.length);
  for (const c of cells) targets[index.get(find(c))!]! += target.totals.get(c)!;
  const groupOf = Int32Array.from(unitCells, (c) => index.get(find(c))!);
  return { name, groupOf, targets };
}

/** Categories in natural order: numbers by value ("<40" < "40-49"), else by code point. */
export function compareCategory(a: string, b: string): number {
  const na = Number.parseFloat(a.replace(/^[<>≤≥]/, ''));
  const nb = Number.parseFloat(b.replace(/^[<>≤≥]/, ''));
  if (Number.isFinite(na) && Number.isFinite(nb) && na !== nb) return na - nb;
  if (a.startsWith('<') !== b.startsWith('<')) return a.startsWith('<') ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function ipf(
  w: Float64Array,
  margins: readonly PreparedMargin[],
  tolerance: number,
  maxIterations: number
): { iterations: number; converged: boolean; maxRelativeDeviation: number } {
  const deviation = () => {
    let worst = 0;
    for (const m of margins) {
      const sums = new Float64Array(m.targets.length);
      for (let i = 0; i < w.length; i++) sums[m.groupOf[i]!]! += w[i]!;
      for (let g = 0; g < sums.length; g++)
        worst = Math.max(worst, Math.abs(sums[g]! - m.targets[g]!) / m.targets[g]!);
    }
    return worst;
  };
  let dev = deviation();
  let iterations = 0;
  pass: while (dev > tolerance && iterations < maxIterations) {
    for (const m of margins) {
      const sums = new Float64Array(m.targets.length);
      for (let i = 0; i < w.length; i++) sums[m.groupOf[i]!]! += w[i]!;
      // Contradictory margins drive a cell's weights towards zero; stop before dividing by it.
      if (sums.some((s) => !(s > 1e-300))) break pass;
      for (let i = 0; i < w.length; i++) {
        const g = m.groupOf[i]!;
        w[i] = (w[i]! * m.targets[g]!) / sums[g]!;
      }
    }
    iterations++;
    dev = deviation();
  }
  return { iterations, converged: dev <= tolerance, maxRelativeDeviation: dev };
}

/**
 * Rakes the units' base weights to the frame totals of `targets` (one per margin, from
 * frameTargets), trimming when asked. Margins must agree on the frame size.
 */
export function rake(
  units: readonly RakingUnit[],
  targets: readonly MarginTarget[],
  options: Omit<RakingOptions, 'margins'> = {}
): RakingResult {
  if (units.length === 0) throw new RakingError('No respondents to weight', '', null);
  if (targets.length === 0) throw new RakingError('No margins to rake to', '', null);
  const tolerance = options.tolerance ?? 1e-10;
  const maxIterations = options.maxIterations ?? 200;
  const totalsOf = targets.map((t) => [...t.totals.values()].reduce((s, v) => s + v, 0));
  const total = totalsOf[0]!;
  targets.forEach((t, k) => {
    if (Math.abs(totalsOf[k]! - total) > 1e-9 * total)
      throw new RakingError(
        `Margin ${marginName(t.margin)} sums to ${totalsOf[k]}, margin ${marginName(targets[0]!.margin)} to ${total}: the margins must come from one frame`,
        marginName(t.margin),
        null
      );
  });
  const collapses: Collapse[] = [];
  const margins = targets.map((t) => prepareMargin(units, t, options.collapse ?? false, collapses));
  const w = Float64Array.from(units, (u, i) => {
    const d = u.baseWeight ?? 1;
    if (!(d > 0 && Number.isFinite(d)))
      throw new RakingError(`Respondent ${i + 1} has base weight ${d}; it must be positive`, '', null);
    return d;
  });
  let fit = ipf(w, margins, tolerance, maxIterations);
  let totalIterations = fit.iterations;
  let trim: TrimReport | null = null;
  if (options.trim) {
    const lowerK = options.trim.lower ?? 0.3;
    const upperK = options.trim.upper ?? 3.0;
    if (!(lowerK > 0 && lowerK < 1 && upperK > 1))
      throw new RakingError(`Trimming bounds ${lowerK}-${upperK}: need 0 < lower < 1 < upper`, '', null);
    const slack = options.trim.slack ?? 0.01;
    const maxRounds = options.trim.maxRounds ?? 25;
    // The mean weight is fixed by the frame: N / n.
    const mean = total / units.length;
    const lo = lowerK * mean;
    const hi = upperK * mean;
    const outside = () => w.filter((x) => x < lo * (1 - slack) || x > hi * (1 + slack)).length;
    let rounds = 0;
    let trimmedLastRound = 0;
    while (outside() > 0 && rounds < maxRounds) {
      trimmedLastRound = 0;
      for (let i = 0; i < w.length; i++) {
        if (w[i]! < lo) {
          w[i] = lo;
          trimmedLastRound++;
        } else if (w[i]! > hi) {
          w[i] = hi;
          trimmedLastRound++;
        }
      }
      fit = ipf(w, margins, tolerance, maxIterations);
      totalIterations += fit.iterations;
      rounds++;
    }
    let min = Infinity;
    let max = -Infinity;
    for (const x of w) {
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    trim = {
      lower: lowerK,
      upper: upperK,
      rounds,
      trimmedLastRound,
      outside: outside(),
      minRatio: min / mean,
      maxRatio: max / mean,
    };
  }
  const weights = [...w];
  return {
    weights,
    iterations: fit.iterations,
    totalIterations,
    converged: fit.converged,
    tolerance,
    maxRelativeDeviation: fit.maxRelativeDeviation,
    collapses,
    trim,
    summary: weightSummary(weights),
  };
}

/** Rakes respondents to the frame in one call: targets from the frame, then rake(). */
export function rakeToFrame(
  units: readonly RakingUnit[],
  frame: readonly { attributes: RakingUnit['attributes'] }[],
  options: RakingOptions
): RakingResult {
  return rake(units, frameTargets(frame, options.margins), options);
}
