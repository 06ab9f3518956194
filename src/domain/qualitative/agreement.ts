/**
 * Inter-coder agreement on character-level units (docs/qualitative/agreement.md).
 *
 * The unit of analysis is one character of the source's text, and the unit universe is the WHOLE
 * source: a character that no coder coded counts as "absent" for every coder. This is the choice
 * NVivo's coding comparison makes (its kappa is computed per code and source over all characters
 * of the source), and it is what makes a coder who codes nothing disagree with one who codes a lot.
 * Offsets are the transcript's (UTF-16 code units, half-open), so "character" means code unit here;
 * an emoji weighs two units, which moves agreement by at most the emoji's share of the text.
 *
 * Per code, each coder's judgement of each character is binary (the code is present or absent):
 * - percentage agreement: the share of coder pairs, over all characters, that give the same value;
 * - Cohen's kappa (Cohen 1960), only for exactly two coders: (p_o − p_e) / (1 − p_e) with p_e from
 *   each coder's own marginal proportions;
 * - Krippendorff's alpha, nominal (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"),
 *   for two or more coders: 1 − (n − 1) · o_01 / (n_0 · n_1) from the coincidence matrix, where every
 *   coder judges every character (no missing values), n = coders × characters.
 * Overall alpha pools the coincidence matrices of all codes (each character × code is a unit);
 * it is reported when at least one code varies.
 *
 * Computed by run lengths: each coder's segments of a code are merged into disjoint intervals, and
 * a sweep over the interval boundaries visits each stretch of characters with the same pattern of
 * present/absent once, so the cost is O(segments · log segments), not O(characters).
 *
 * Undefined statistics are `null` with a reason, never NaN.
 */

export interface CodedSegment {
  codeId: string;
  /** Half-open character offsets into the source's text. */
  start: number;
  end: number;
}

export interface CoderCoding {
  coderId: string;
  segments: readonly CodedSegment[];
}

export interface AgreementInput {
  /** Length of the source's text in characters (the unit universe). */
  sourceLength: number;
  coders: readonly CoderCoding[];
  /**
   * Codes to report. Defaults to every code any coder used; naming a code nobody used reports it
   * with `no-coding`.
   */
  codeIds?: readonly string[];
}

export type UndefinedReason =
  /** Fewer than two coders: agreement needs someone to agree with. */
  | 'needs-two-coders'
  /** Kappa is Cohen's two-rater statistic; with three or more coders use alpha. */
  | 'kappa-needs-exactly-two-coders'
  /** Nobody applied the code anywhere in the source (or the source is empty). */
  | 'no-coding'
  /**
   * Every coder gave the same value to every character in a way that leaves no expected
   * disagreement (for example all coders coded the whole source): kappa's and alpha's chance term
   * is 0/0. Percentage agreement is still reported.
   */
  | 'no-variation';

export type Statistic = { value: number } | { value: null; reason: UndefinedReason };

export interface CodeAgreement {
  codeId: string;
  /** Characters each coder coded with this code (after merging overlaps), by coder id. */
  coded: Record<string, number>;
  /** Characters coded by every coder / by at least one coder. */
  codedByAll: number;
  codedByAny: number;
  percentAgreement: Statistic;
  kappa: Statistic;
  alpha: Statistic;
}

export interface AgreementResult {
  sourceLength: number;
  coderIds: string[];
  codes: CodeAgreement[];
  /** Alpha over all reported codes, pooling their coincidence matrices. */
  overallAlpha: Statistic;
}

interface Interval {
  start: number;
  end: number;
}

function checkSegment(segment: CodedSegment, sourceLength: number, coderId: string): void {
  const { start, end } = segment;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > sourceLength || start > end) {
    throw new RangeError(
      `coder ${coderId}, code ${segment.codeId}: segment [${String(start)}, ${String(end)}) is not within [0, ${String(sourceLength)}]`
    );
  }
}

/** Sorted, disjoint, non-adjacent intervals covering the union of the given ones. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged.at(-1);
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else merged.push({ start: interval.start, end: interval.end });
  }
  return merged;
}

/** The run-length tallies of one code: for each k, characters coded by exactly k coders; and for two coders, the 2×2 table. */
interface CodeTally {
  /** byCount[k] = characters that exactly k of the n coders coded. */
  byCount: number[];
  /** For two coders: characters coded by both, by the first only, by the second only, by neither. */
  both: number;
  firstOnly: number;
  secondOnly: number;
  neither: number;
  coded: number[];
}

function tallyCode(perCoder: readonly Interval[][], sourceLength: number): CodeTally {
  const n = perCoder.length;
  const events: { pos: number; coder: number; delta: 1 | -1 }[] = [];
  perCoder.forEach((intervals, coder) => {
    for (const i of intervals) {
      events.push({ pos: i.start, coder, delta: 1 });
      events.push({ pos: i.end, coder, delta: -1 });
    }
  });
  events.sort((a, b) => a.pos - b.pos);
  const byCount = new Array<number>(n + 1).fill(0);
  const present = new Array<boolean>(n).fill(false);
  let count = 0;
  let both = 0;
  let firstOnly = 0;
  let secondOnly = 0;
  let previous = 0;
  const addRun = (length: number): void => {
    if (length <= 0) return;
    byCount[count] = (byCount[count] ?? 0) + length;
    if (n === 2) {
      if (present[0] && present[1]) both += length;
      else if (present[0]) firstOnly += length;
      else if (present[1]) secondOnly += length;
    }
  };
  let e = 0;
  while (e < events.length) {
    const pos = events[e]!.pos;
    addRun(pos - previous);
    // Apply every event at this boundary before measuring the next run.
    while (e < events.length && events[e]!.pos === pos) {
      const event = events[e]!;
      present[event.coder] = event.delta === 1;
      count += event.delta;
      e += 1;
    }
    previous = pos;
  }
  addRun(sourceLength - previous);
  const coded = perCoder.map((intervals) => intervals.reduce((sum, i) => sum + i.end - i.start, 0));
  const neither = n === 2 ? sourceLength - both - firstOnly - secondOnly : 0;
  return { byCount, both, firstOnly, secondOnly, neither, coded };
}

/** Coincidence-matrix totals of one code for Krippendorff's alpha (binary values, no missing data). */
interface Coincidences {
  /** o_01 (= o_10): pairable disagreements. */
  disagree: number;
  /** n_1 and n_0: values "present" and "absent" over all coders and characters. */
  present: number;
  absent: number;
}

function coincidences(byCount: readonly number[], n: number): Coincidences {
  let disagree = 0;
  let present = 0;
  let absent = 0;
  byCount.forEach((units, k) => {
    // A unit with k "present" among n values adds k(n−k)/(n−1) to o_01 (Krippendorff 2011, eq. for o_ck).
    disagree += (units * k * (n - k)) / (n - 1);
    present += units * k;
    absent += units * (n - k);
  });
  return { disagree, present, absent };
}

function alphaFrom(c: Coincidences): Statistic {
  const total = c.present + c.absent;
  if (c.present === 0) return { value: null, reason: 'no-coding' };
  if (c.absent === 0) return { value: null, reason: 'no-variation' };
  return { value: 1 - ((total - 1) * c.disagree) / (c.present * c.absent) };
}

function kappaFrom(t: CodeTally, sourceLength: number): Statistic {
  if (t.both + t.firstOnly + t.secondOnly === 0) return { value: null, reason: 'no-coding' };
  const po = (t.both + t.neither) / sourceLength;
  const p1 = (t.both + t.firstOnly) / sourceLength;
  const p2 = (t.both + t.secondOnly) / sourceLength;
  const pe = p1 * p2 + (1 - p1) * (1 - p2);
  if (pe >= 1) return { value: null, reason: 'no-variation' };
  return { value: (po - pe) / (1 - pe) };
}

function percentFrom(byCount: readonly number[], n: number, sourceLength: number): Statistic {
  if (sourceLength === 0) return { value: null, reason: 'no-coding' };
  const pairs = (n * (n - 1)) / 2;
  let agreeing = 0;
  byCount.forEach((units, k) => {
    agreeing += (units * ((k * (k - 1)) / 2 + ((n - k) * (n - k - 1)) / 2)) / pairs;
  });
  return { value: agreeing / sourceLength };
}

interface SourceTallies {
  coderIds: string[];
  codeIds: string[];
  tallies: Map<string, CodeTally>;
}

function tallySource(input: AgreementInput): SourceTallies {
  const { sourceLength, coders } = input;
  if (!Number.isInteger(sourceLength) || sourceLength < 0) {
    throw new RangeError(`sourceLength must be a non-negative integer, got ${String(sourceLength)}`);
  }
  const coderIds = coders.map((c) => c.coderId);
  if (new Set(coderIds).size !== coderIds.length) throw new RangeError('coder ids must be unique');
  const byCode = new Map<string, Interval[][]>();
  const codeIds: string[] = input.codeIds ? [...input.codeIds] : [];
  const slot = (codeId: string): Interval[][] => {
    let lists = byCode.get(codeId);
    if (!lists) {
      lists = coders.map(() => []);
      byCode.set(codeId, lists);
      if (!input.codeIds) codeIds.push(codeId);
    }
    return lists;
  };
  for (const codeId of codeIds) slot(codeId);
  coders.forEach((coder, index) => {
    for (const segment of coder.segments) {
      checkSegment(segment, sourceLength, coder.coderId);
      if (input.codeIds && !byCode.has(segment.codeId)) continue;
      slot(segment.codeId)[index]!.push({ start: segment.start, end: segment.end });
    }
  });
  const tallies = new Map(
    codeIds.map((codeId) => [codeId, tallyCode(byCode.get(codeId)!.map(mergeIntervals), sourceLength)])
  );
  return { coderIds, codeIds, tallies };
}

function summarise(
  coderIds: string[],
  codeIds: string[],
  tallies: Map<string, CodeTally>,
  sourceLength: number
): AgreementResult {
  const n = coderIds.length;
  const pooled: Coincidences = { disagree: 0, present: 0, absent: 0 };
  const codes = codeIds.map((codeId): CodeAgreement => {
    const tally = tallies.get(codeId)!;
    const coded = Object.fromEntries(coderIds.map((id, i) => [id, tally.coded[i]!]));
    const codedByAll = n === 0 ? 0 : (tally.byCount[n] ?? 0);
    const codedByAny = sourceLength - (tally.byCount[0] ?? 0);
    if (n < 2) {
      const reason = { value: null, reason: 'needs-two-coders' } as const;
      return {
        codeId,
        coded,
        codedByAll,
        codedByAny,
        percentAgreement: reason,
        kappa: reason,
        alpha: reason,
      };
    }
    const c = coincidences(tally.byCount, n);
    pooled.disagree += c.disagree;
    pooled.present += c.present;
    pooled.absent += c.absent;
    return {
      codeId,
      coded,
      codedByAll,
      codedByAny,
      percentAgreement: percentFrom(tally.byCount, n, sourceLength),
      kappa:
        n === 2 ? kappaFrom(tally, sourceLength) : { value: null, reason: 'kappa-needs-exactly-two-coders' },
      alpha: alphaFrom(c),
    };
  });
  const overallAlpha: Statistic = n < 2 ? { value: null, reason: 'needs-two-coders' } : alphaFrom(pooled);
  return { sourceLength, coderIds, codes, overallAlpha };
}

/** Agreement per code, and overall, between coders who coded the same source. */
export function computeAgreement(input: AgreementInput): AgreementResult {
  const { coderIds, codeIds, tallies } = tallySource(input);
  return summarise(coderIds, codeIds, tallies, input.sourceLength);
}

/**
 * Agreement per code over several sources coded by the same coders: the units are all characters
 * of all sources, so the result equals that of one source made by putting the sources end to end
 * (a property test checks this). Every source must list the same coders (a coder who did not code
 * a source is different from one who found nothing in it; leave that source out instead).
 */
export function computePooledAgreement(
  sources: readonly AgreementInput[],
  codeIds?: readonly string[]
): AgreementResult {
  if (sources.length === 0) throw new RangeError('at least one source is needed');
  const coderIds = sources[0]!.coders.map((c) => c.coderId);
  const key = [...coderIds].sort().join('\u0000');
  const allCodes: string[] = codeIds ? [...codeIds] : [];
  if (!codeIds) {
    const seen = new Set<string>();
    for (const source of sources) {
      for (const coder of source.coders) {
        for (const segment of coder.segments) {
          if (!seen.has(segment.codeId)) {
            seen.add(segment.codeId);
            allCodes.push(segment.codeId);
          }
        }
      }
    }
  }
  const pooled = new Map<string, CodeTally>();
  let totalLength = 0;
  for (const source of sources) {
    if ([...source.coders.map((c) => c.coderId)].sort().join('\u0000') !== key) {
      throw new RangeError('every source must list the same coders');
    }
    const ordered = coderIds.map((id) => source.coders.find((c) => c.coderId === id)!);
    const { tallies } = tallySource({
      sourceLength: source.sourceLength,
      coders: ordered,
      codeIds: allCodes,
    });
    totalLength += source.sourceLength;
    for (const [codeId, t] of tallies) {
      const sum = pooled.get(codeId);
      if (!sum) {
        pooled.set(codeId, { ...t, byCount: [...t.byCount], coded: [...t.coded] });
        continue;
      }
      sum.byCount = sum.byCount.map((v, k) => v + (t.byCount[k] ?? 0));
      sum.coded = sum.coded.map((v, k) => v + (t.coded[k] ?? 0));
      sum.both += t.both;
      sum.firstOnly += t.firstOnly;
      sum.secondOnly += t.secondOnly;
      sum.neither += t.neither;
    }
  }
  return summarise(coderIds, allCodes, pooled, totalLength);
}
