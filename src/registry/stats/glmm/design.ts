/**
 * From a table of person rows to the pooled design the mixed model fits.
 *
 * - Numeric columns enter as they are (unless named in `factors`); any other column is categorical
 *   and becomes treatment-coded dummies with the first level (sorted) as reference, or the level
 *   named in `reference`, named column + level as R does (`age_group30-49`). Levels sort by code
 *   point; R sorts in the session's locale, which agrees for the digits, lower-case letters and
 *   punctuation registry codes use. Levels that are all numbers (a numeric column in `factors`) sort
 *   by value, as R's factor() sorts a numeric vector.
 * - With `upper`, groups are nested in an upper level (GPs in municipalities, as lme4's
 *   `(1 | upper/group)`): a group is the pair (upper, group), and the groups of one upper unit are
 *   contiguous, with their ranges in `upper.start`.
 * - Rows that share the group and the whole covariate vector are pooled into one binomial row
 *   (n persons, y events): the likelihood is the same, and a GP's patients often share few
 *   patterns, so the fit touches far fewer rows.
 * - Anything that makes the model unfittable is refused here with the column and the reason:
 *   missing values, an outcome that is not 0/1 or is constant, a single group, a constant or
 *   collinear covariate.
 */
import { cholesky, zeros } from '../linalg.js';

export type CellInput = string | number | boolean | bigint | null | undefined;

export interface ColumnTable {
  /** Column name → values, all the same length. */
  columns: Record<string, readonly CellInput[]>;
}

export interface DesignSpec {
  /** 0/1 per person; or, with `trials`, the number of events in each row. */
  outcome: string;
  fixed: readonly string[];
  group: string;
  /** Aggregated input: the number of persons each row stands for (rows with 0 are skipped). */
  trials?: string;
  /** Columns that are categorical even if their values are numbers. */
  factors?: readonly string[];
  /** Reference level per categorical column (default: the first level in sort order). */
  reference?: Readonly<Record<string, string>>;
  /** Upper level in which `group` is nested (three-level model). */
  upper?: string;
}

/** The upper level of a nested design: upper unit u holds groups start[u] .. start[u+1]−1. */
export interface UpperLevel {
  column: string;
  labels: string[];
  start: Int32Array;
}

export interface PooledDesign {
  /** Coefficient names, "(Intercept)" first. */
  names: string[];
  p: number;
  /** Group labels in fitting order; rows of group g are groupStart[g] .. groupStart[g+1]−1. */
  groupLabels: string[];
  groupStart: Int32Array;
  /** Row-major covariate matrix of the pooled rows (rows × p). */
  x: Float64Array;
  trials: Float64Array;
  events: Float64Array;
  persons: number;
  totalEvents: number;
  /** For each coefficient: the source column, and whether it is constant within every group. */
  terms: { name: string; column: string | null; groupLevel: boolean }[];
  /** Per categorical column: its levels, reference first. */
  levels: Record<string, string[]>;
  /** Present for a nested design (spec.upper); group labels are then "upper/group". */
  upper?: UpperLevel;
}

export class DesignError extends Error {
  constructor(
    message: string,
    readonly field: string | null = null
  ) {
    super(message);
    this.name = 'DesignError';
  }
}

function isMissing(v: CellInput): boolean {
  return v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v)) || v === '';
}

function asNumber(v: CellInput): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return null;
}

function describeRows(rows: number[]): string {
  const shown = rows.slice(0, 3).map((r) => r + 1);
  return `${rows.length} row${rows.length === 1 ? '' : 's'} (first: row ${shown.join(', ')})`;
}

function outcomeValue(v: CellInput): 0 | 1 | null {
  if (v === true || v === 1 || v === 1n || v === '1' || v === 'TRUE' || v === 'true') return 1;
  if (v === false || v === 0 || v === 0n || v === '0' || v === 'FALSE' || v === 'false') return 0;
  return null;
}

export function buildDesign(table: ColumnTable, spec: DesignSpec): PooledDesign {
  const { columns } = table;
  const needed = [
    spec.outcome,
    spec.group,
    ...(spec.upper ? [spec.upper] : []),
    ...spec.fixed,
    ...(spec.trials ? [spec.trials] : []),
  ];
  const seen = new Set<string>();
  for (const name of needed) {
    if (!(name in columns))
      throw new DesignError(
        `Column "${name}" is not in the data (columns: ${Object.keys(columns).join(', ')})`,
        name
      );
    if (seen.has(name)) throw new DesignError(`Column "${name}" is named twice`, name);
    seen.add(name);
  }
  const nRows = columns[spec.outcome]!.length;
  if (nRows === 0) throw new DesignError('The data have no rows');
  for (const name of needed) {
    if (columns[name]!.length !== nRows)
      throw new DesignError(`Column "${name}" has ${columns[name]!.length} values, expected ${nRows}`, name);
    const missing = missingRows(columns[name]!);
    if (missing.length)
      throw new DesignError(
        `Column "${name}" has missing values in ${describeRows(missing)}; remove or impute them before fitting`,
        name
      );
  }

  const yCol = columns[spec.outcome]!;
  const y = new Float64Array(nRows);
  const weight = new Float64Array(nRows);
  const bad: number[] = [];
  let totalEvents = 0;
  let totalTrials = 0;
  const tCol = spec.trials ? columns[spec.trials]! : null;
  for (let i = 0; i < nRows; i++) {
    if (tCol) {
      const t = asNumber(tCol[i]);
      const v = asNumber(yCol[i]);
      if (t === null || !Number.isInteger(t) || t < 0)
        throw new DesignError(
          `Column "${spec.trials}" must hold whole numbers of persons ≥ 0; row ${i + 1} has "${String(tCol[i])}"`,
          spec.trials
        );
      if (v === null || !Number.isInteger(v) || v < 0 || v > t) bad.push(i);
      else {
        y[i] = v;
        weight[i] = t;
        totalEvents += v;
        totalTrials += t;
      }
      continue;
    }
    const v = outcomeValue(yCol[i]);
    if (v === null) bad.push(i);
    else {
      y[i] = v;
      weight[i] = 1;
      totalEvents += v;
      totalTrials += 1;
    }
  }
  if (bad.length)
    throw new DesignError(
      tCol
        ? `Outcome "${spec.outcome}" must be a whole number from 0 to "${spec.trials}"; ${describeRows(bad)} do not (e.g. "${String(yCol[bad[0]!])}")`
        : `Outcome "${spec.outcome}" must be 0 or 1; ${describeRows(bad)} hold other values (e.g. "${String(yCol[bad[0]!])}")`,
      spec.outcome
    );
  if (totalEvents === 0 || totalEvents === totalTrials)
    throw new DesignError(
      `Outcome "${spec.outcome}" is ${totalEvents === 0 ? 0 : 1} for every person: a constant outcome cannot be modelled`,
      spec.outcome
    );

  // Groups, numbered in the sort order of their labels (stable output). Nested in an upper level,
  // a group's key is upper + NUL + group: keys sharing an upper value share a prefix, so they sort
  // together and each upper unit's groups are contiguous.
  const gCol = columns[spec.group]!;
  const uCol = spec.upper ? columns[spec.upper]! : null;
  const groupCodes = encode(
    uCol ? [uCol, gCol] : [gCol],
    weight,
    uCol ? (i) => `${String(uCol[i])}\u0000${String(gCol[i])}` : (i) => String(gCol[i])
  );
  const distinctGroups = [...groupCodes.labels].sort();
  if (distinctGroups.length < 2)
    throw new DesignError(
      `Group "${spec.group}" has a single value ("${distinctGroups[0]?.replace('\u0000', '/')}"): a between-group variance needs at least two groups`,
      spec.group
    );
  const groupOfRow = groupCodes.recode(distinctGroups);
  let upper: UpperLevel | undefined;
  if (spec.upper) {
    const labels: string[] = [];
    const starts: number[] = [];
    distinctGroups.forEach((key, g) => {
      const u = key.slice(0, key.indexOf('\u0000'));
      if (labels[labels.length - 1] !== u) {
        labels.push(u);
        starts.push(g);
      }
    });
    if (labels.length < 2)
      throw new DesignError(
        `Upper level "${spec.upper}" has a single value ("${labels[0]}"): a between-${spec.upper} variance needs at least two`,
        spec.upper
      );
    starts.push(distinctGroups.length);
    upper = { column: spec.upper, labels, start: Int32Array.from(starts) };
  }
  const forced = new Set(spec.factors ?? []);
  const reference = spec.reference ?? {};
  for (const name of [...forced, ...Object.keys(reference)])
    if (!spec.fixed.includes(name))
      throw new DesignError(
        `"${name}" is named as a factor or given a reference level but is not a fixed effect (fixed: ${spec.fixed.join(', ') || 'none'})`,
        name
      );

  // Terms.
  const names = ['(Intercept)'];
  const terms: PooledDesign['terms'] = [{ name: '(Intercept)', column: null, groupLevel: true }];
  const levels: Record<string, string[]> = {};
  /** For each fixed column: its values (numeric) or its level codes (categorical, 0 = reference). */
  const fills: ({ values: Float64Array } | { codes: Int32Array })[] = [];
  const widths: number[] = [];
  /** Per fixed column: a small integer per row that identifies its value (for pooling). */
  const poolCodes: { codes: Int32Array; size: number }[] = [];
  for (const name of spec.fixed) {
    const col = columns[name]!;
    // Only rows that stand for persons count (aggregated rows of 0 persons are skipped).
    const numeric = !forced.has(name) && allNumbers(col);
    if (numeric && reference[name] !== undefined)
      throw new DesignError(
        `Covariate "${name}" is numeric and enters as it is, so it has no reference level; declare it a factor to code it by level`,
        name
      );
    if (numeric) {
      const values = new Float64Array(nRows);
      for (let i = 0; i < nRows; i++) values[i] = asNumber(col[i])!;
      let first: number | null = null;
      let varies = false;
      for (let i = 0; i < nRows && !varies; i++) {
        if (weight[i] === 0) continue;
        if (first === null) first = values[i]!;
        else if (values[i] !== first) varies = true;
      }
      if (!varies)
        throw new DesignError(`Covariate "${name}" has the same value (${first}) in every row`, name);
      names.push(name);
      terms.push({ name, column: name, groupLevel: false });
      fills.push({ values });
      widths.push(1);
      const codeOf = new Map<number, number>();
      const codes = new Int32Array(nRows);
      for (let i = 0; i < nRows; i++) {
        if (weight[i] === 0) continue;
        let c = codeOf.get(values[i]!);
        if (c === undefined) codeOf.set(values[i]!, (c = codeOf.size));
        codes[i] = c;
      }
      poolCodes.push({ codes, size: codeOf.size });
    } else {
      const levelCodes = encode([col], weight, (i) => String(col[i]));
      let lv = sortLevels([...levelCodes.labels]);
      if (lv.length < 2)
        throw new DesignError(`Covariate "${name}" has a single level ("${lv[0]}") in every row`, name);
      const ref = reference[name];
      if (ref !== undefined) {
        if (!lv.includes(ref))
          throw new DesignError(
            `Reference level "${ref}" of "${name}" does not occur in the data; its levels are ${lv.map((l) => `"${l}"`).join(', ')}`,
            name
          );
        // As R's relevel(): the reference first, the other levels in their order.
        lv = [ref, ...lv.filter((l) => l !== ref)];
      }
      levels[name] = lv;
      for (const l of lv.slice(1)) {
        names.push(`${name}${l}`);
        terms.push({ name: `${name}${l}`, column: name, groupLevel: false });
      }
      const width = lv.length - 1;
      const codes = levelCodes.recode(lv);
      fills.push({ codes });
      widths.push(width);
      poolCodes.push({ codes, size: lv.length });
    }
  }
  const p = names.length;

  const { groupStart, cellRow, trials, events } = poolRows(
    distinctGroups.length,
    groupOfRow,
    weight,
    y,
    poolCodes
  );
  const nGroups = distinctGroups.length;
  const rows = cellRow.length;
  const x = new Float64Array(rows * p);
  {
    let offset = 1;
    fills.forEach((f, w) => {
      if ('values' in f) for (let r = 0; r < rows; r++) x[r * p + offset] = f.values[cellRow[r]!]!;
      else
        for (let r = 0; r < rows; r++) {
          const k = f.codes[cellRow[r]!]!;
          if (k > 0) x[r * p + offset + k - 1] = 1;
        }
      offset += widths[w]!;
    });
    for (let r = 0; r < rows; r++) x[r * p] = 1;
  }

  // Which coefficients are constant within every group (GP-level covariates, for the IOR).
  for (let m = 1; m < p; m++) {
    let constant = true;
    for (let g = 0; g < nGroups && constant; g++) {
      const s = groupStart[g]!;
      for (let r = s + 1; r < groupStart[g + 1]!; r++)
        if (x[r * p + m] !== x[s * p + m]) {
          constant = false;
          break;
        }
    }
    terms[m]!.groupLevel = constant;
  }

  checkRank(x, trials, names, rows, p);
  return {
    names,
    p,
    groupLabels: upper ? distinctGroups.map((k) => k.replace('\u0000', '/')) : distinctGroups,
    groupStart,
    x,
    trials,
    events,
    persons: totalTrials,
    totalEvents,
    terms,
    levels,
    ...(upper ? { upper } : {}),
  };
}

/**
 * Pools the rows that stand for persons: within each group, rows with the same value codes of the
 * fixed columns become one cell. Cells keep the order of their first row within each group, and
 * sum their rows in row order. The rows are taken group by group (a stable counting sort), so the
 * pattern key need not hold the group. (A function of its own so that V8 optimises its loops.)
 */
function poolRows(
  nGroups: number,
  groupOfRow: Int32Array,
  weight: Float64Array,
  y: Float64Array,
  poolCodes: readonly { codes: Int32Array; size: number }[]
): { groupStart: Int32Array; cellRow: Int32Array; trials: Float64Array; events: Float64Array } {
  const nRows = weight.length;
  const rowStart = new Int32Array(nGroups + 1);
  for (let i = 0; i < nRows; i++) if (weight[i] !== 0) rowStart[groupOfRow[i]! + 1]!++;
  for (let g = 0; g < nGroups; g++) rowStart[g + 1]! += rowStart[g]!;
  const rowsByGroup = new Int32Array(rowStart[nGroups]!);
  {
    const fill = rowStart.slice(0, nGroups);
    for (let i = 0; i < nRows; i++) if (weight[i] !== 0) rowsByGroup[fill[groupOfRow[i]!]!++] = i;
  }
  const capacity = poolCodes.reduce((a, c) => a * Math.max(1, c.size), 1);
  const groupStart = new Int32Array(nGroups + 1);
  // At most one cell per row: typed arrays of that size, cut to the cells at the end.
  const cellRow = new Int32Array(rowsByGroup.length);
  const cellN = new Float64Array(rowsByGroup.length);
  const cellY = new Float64Array(rowsByGroup.length);
  let cells = 0;
  if (capacity <= 1 << 22) {
    // Up to 4 million patterns (nationally ~30,000): the pattern as one number, column by column,
    // and its cell looked up in an array stamped with the group it was last set in.
    const key = new Int32Array(nRows);
    for (const c of poolCodes) for (let i = 0; i < nRows; i++) key[i] = key[i]! * c.size + c.codes[i]!;
    const stamp = new Int32Array(capacity).fill(-1);
    const slot = new Int32Array(capacity);
    for (let g = 0; g < nGroups; g++) {
      for (let k = rowStart[g]!; k < rowStart[g + 1]!; k++) {
        const i = rowsByGroup[k]!;
        const kk = key[i]!;
        if (stamp[kk] !== g) {
          stamp[kk] = g;
          slot[kk] = cells;
          cellRow[cells++] = i;
        }
        const cell = slot[kk]!;
        cellN[cell]! += weight[i]!;
        cellY[cell]! += y[i]!;
      }
      groupStart[g + 1] = cells;
    }
  } else {
    // Else a Map per group, keyed by the pattern as one number while it fits in 2^53, or a string.
    const numericKey = capacity < Number.MAX_SAFE_INTEGER;
    const pooled = new Map<number | string, number>();
    for (let g = 0; g < nGroups; g++) {
      pooled.clear();
      for (let k = rowStart[g]!; k < rowStart[g + 1]!; k++) {
        const i = rowsByGroup[k]!;
        let key: number | string;
        if (numericKey) {
          let kk = 0;
          for (const c of poolCodes) kk = kk * c.size + c.codes[i]!;
          key = kk;
        } else key = poolCodes.map((c) => c.codes[i]).join(',');
        let cell = pooled.get(key);
        if (cell === undefined) {
          pooled.set(key, (cell = cells));
          cellRow[cells++] = i;
        }
        cellN[cell]! += weight[i]!;
        cellY[cell]! += y[i]!;
      }
      groupStart[g + 1] = cells;
    }
  }
  return {
    groupStart,
    cellRow: cellRow.subarray(0, cells),
    trials: cellN.slice(0, cells),
    events: cellY.slice(0, cells),
  };
}

/**
 * Every row's label coded once per column (or pair of columns) and cached by the column arrays:
 * the models of five indicators, and three or four designs each, encode the same columns of the
 * same ~145,000 rows nationally, at a String() and a Map lookup per row each time. A column must
 * not be changed in place after it is passed (ColumnTable's columns are readonly).
 */
interface Encoded {
  /** Distinct labels in order of first appearance over all rows. */
  labels: string[];
  codes: Int32Array;
}

const encodedOne = new WeakMap<readonly CellInput[], Encoded>();
const encodedPair = new WeakMap<readonly CellInput[], WeakMap<readonly CellInput[], Encoded>>();

function encodeAll(nRows: number, label: (i: number) => string): Encoded {
  const codeOf = new Map<string, number>();
  const codes = new Int32Array(nRows);
  for (let i = 0; i < nRows; i++) {
    const l = label(i);
    let c = codeOf.get(l);
    if (c === undefined) codeOf.set(l, (c = codeOf.size));
    codes[i] = c;
  }
  return { labels: [...codeOf.keys()], codes };
}

/**
 * Codes the rows that stand for persons (weight > 0) by their label, `label(i)` of the columns
 * `key` (one column, or the upper and group columns): `labels` in order of first appearance among
 * those rows; `recode(order)` maps each of them to the index of its label in `order` (0 for rows
 * of weight 0).
 */
function encode(
  key: readonly (readonly CellInput[])[],
  weight: Float64Array,
  label: (i: number) => string
): { labels: string[]; recode(order: readonly string[]): Int32Array } {
  const nRows = weight.length;
  let all: Encoded | undefined;
  if (key.length === 1) {
    all = encodedOne.get(key[0]!);
    if (!all) encodedOne.set(key[0]!, (all = encodeAll(nRows, label)));
  } else {
    let inner = encodedPair.get(key[0]!);
    if (!inner) encodedPair.set(key[0]!, (inner = new WeakMap()));
    all = inner.get(key[1]!);
    if (!all) inner.set(key[1]!, (all = encodeAll(nRows, label)));
  }
  const { codes } = all;
  const seen = new Uint8Array(all.labels.length);
  const labels: string[] = [];
  for (let i = 0; i < nRows; i++) {
    if (weight[i] === 0 || seen[codes[i]!]) continue;
    seen[codes[i]!] = 1;
    labels.push(all.labels[codes[i]!]!);
  }
  return {
    labels,
    recode(order) {
      const position = new Map(order.map((l, k) => [l, k]));
      const map = new Int32Array(all.labels.length);
      all.labels.forEach((l, k) => (map[k] = position.get(l) ?? 0));
      // A plain loop: Int32Array.from with a mapping function is many times slower.
      const out = new Int32Array(nRows);
      for (let i = 0; i < nRows; i++) out[i] = weight[i] === 0 ? 0 : map[codes[i]!]!;
      return out;
    },
  };
}

const missingCache = new WeakMap<readonly CellInput[], number[]>();

/** The rows with a missing value (cached by column, as encode). */
function missingRows(column: readonly CellInput[]): number[] {
  let missing = missingCache.get(column);
  if (!missing) {
    missing = [];
    for (let i = 0; i < column.length; i++) if (isMissing(column[i])) missing.push(i);
    missingCache.set(column, missing);
  }
  return missing;
}

const numericCache = new WeakMap<readonly CellInput[], boolean>();

/** Every value a number (or bigint, boolean): the column enters as it is (cached by column). */
function allNumbers(column: readonly CellInput[]): boolean {
  let numeric = numericCache.get(column);
  if (numeric === undefined) numericCache.set(column, (numeric = column.every((v) => asNumber(v) !== null)));
  return numeric;
}

/** Code-point order, or numeric order when every level is a number (as R's factor() of numbers). */
function sortLevels(levels: string[]): string[] {
  const numbers = levels.map((l) => (l.trim() === '' ? NaN : Number(l)));
  if (numbers.every(Number.isFinite))
    return levels
      .map((l, i) => [l, numbers[i]!] as const)
      .sort((a, b) => a[1] - b[1])
      .map(([l]) => l);
  return levels.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Refuses a design whose columns are linearly dependent, naming the first dependent column. */
function checkRank(x: Float64Array, trials: Float64Array, names: string[], rows: number, p: number): void {
  // Person-weighted, column-scaled cross-product; add columns one at a time.
  const xtx = zeros(p);
  const nonZero = new Int32Array(p);
  for (let r = 0; r < rows; r++) {
    const w = trials[r]!;
    // Only the row's non-zero entries (a zero term adds nothing).
    let count = 0;
    for (let a = 0; a < p; a++) if (x[r * p + a] !== 0) nonZero[count++] = a;
    for (let ka = 0; ka < count; ka++) {
      const a = nonZero[ka]!;
      const xa = x[r * p + a]!;
      for (let kb = 0; kb <= ka; kb++) xtx[a]![nonZero[kb]!]! += w * xa * x[r * p + nonZero[kb]!]!;
    }
  }
  const scale = xtx.map((row, a) => 1 / Math.sqrt(row[a]! || 1));
  for (let k = 1; k <= p; k++) {
    const sub = zeros(k);
    for (let a = 0; a < k; a++)
      for (let b = 0; b <= a; b++) {
        const v = xtx[a]![b]! * scale[a]! * scale[b]!;
        sub[a]![b] = v;
        sub[b]![a] = v;
      }
    // Centre-insensitive tolerance: a column whose residual after the earlier columns is < 1e-9.
    if (!cholesky(sub)) {
      const name = names[k - 1]!;
      throw new DesignError(
        `Covariate "${name}" is a linear combination of the earlier columns (${names.slice(0, k - 1).join(', ')}); drop it or one of them`,
        name
      );
    }
  }
}

/**
 * The design's rows with their non-zero covariates only (compressed rows: row r's entries are
 * start[r] … start[r+1]−1, columns ascending). Most covariates are dummies, so a row has about
 * half of its p entries zero; the likelihoods loop over these instead of all p (skipping a zero
 * term x·β = ±0 leaves every sum exactly as it was). Made once per design.
 */
export interface SparseRows {
  start: Int32Array;
  column: Int32Array;
  value: Float64Array;
}

const sparseCache = new WeakMap<PooledDesign, SparseRows>();

export function sparseRows(design: PooledDesign): SparseRows {
  let sparse = sparseCache.get(design);
  if (sparse) return sparse;
  const { x, p } = design;
  const rows = design.trials.length;
  let nonZero = 0;
  for (let i = 0; i < rows * p; i++) if (x[i] !== 0) nonZero++;
  sparse = {
    start: new Int32Array(rows + 1),
    column: new Int32Array(nonZero),
    value: new Float64Array(nonZero),
  };
  let k = 0;
  for (let r = 0; r < rows; r++) {
    sparse.start[r] = k;
    for (let m = 0; m < p; m++) {
      const v = x[r * p + m]!;
      if (v !== 0) {
        sparse.column[k] = m;
        sparse.value[k++] = v;
      }
    }
  }
  sparse.start[rows] = k;
  sparseCache.set(design, sparse);
  return sparse;
}
