/**
 * Data from a known random-intercept logistic model: for the lme4 validation fixtures, the
 * recovery test and the benchmark. Each group (GP) draws u_g ~ N(0, σ²) and its GP-level covariates;
 * each person draws patient covariates and a 0/1 outcome with logit P = β₀ + Σ effects + u_g.
 * With `upper`, GPs are nested in upper units (municipalities) of unequal size, each with its own
 * m_k ~ N(0, σ²_m) and covariates at level 'upper': logit P = β₀ + Σ effects + m_k + u_g. The upper
 * level draws from its own random stream, so specs without it give the same data as before.
 */
import { Rng } from '../../generate/random.js';
import type { ColumnTable } from './design.js';

export type SimCovariate =
  | {
      name: string;
      level: 'patient' | 'group' | 'upper';
      kind: 'categorical';
      /** The first level is the reference (effect 0); names must sort in this order. */
      levels: { value: string; prob: number; effect: number }[];
    }
  | {
      name: string;
      level: 'patient' | 'group' | 'upper';
      kind: 'numeric';
      mean: number;
      sd: number;
      effect: number;
      decimals?: number;
    };

export interface SimulationSpec {
  seed: number;
  groups: number;
  /** Persons per group, uniform on [min, max]. */
  clusterSize: { min: number; max: number };
  intercept: number;
  /** GP variance σ². */
  variance: number;
  covariates: SimCovariate[];
  /**
   * Upper level: `groups` units (column `name`, default "municipality") with variance σ²_m; GPs are
   * spread over them with weights exp(spread·N(0, 1)) (default spread 0.9), each unit at least one.
   */
  upper?: { groups: number; variance: number; name?: string; spread?: number };
}

export interface SimulatedData {
  table: ColumnTable;
  /** Coefficients named as the fit names them ("(Intercept)", "sexM", "age", ...). */
  truth: {
    coefficients: Record<string, number>;
    variance: number;
    groupEffects: Record<string, number>;
    upperVariance?: number;
    upperEffects?: Record<string, number>;
  };
}

export function simulateGlmmData(spec: SimulationSpec): SimulatedData {
  const rng = new Rng(spec.seed, 'glmm-simulation');
  const columns: Record<string, (string | number)[]> = { gp: [], outcome: [] };
  for (const c of spec.covariates) columns[c.name] = [];
  const coefficients: Record<string, number> = { '(Intercept)': spec.intercept };
  for (const c of spec.covariates) {
    if (c.kind === 'numeric') coefficients[c.name] = c.effect;
    else for (const l of c.levels.slice(1)) coefficients[`${c.name}${l.value}`] = l.effect;
  }
  const draw = (c: SimCovariate): { value: string | number; effect: number } => {
    if (c.kind === 'numeric') {
      const raw = c.mean + c.sd * rng.normal();
      const value = c.decimals === undefined ? raw : Number(raw.toFixed(c.decimals));
      return { value, effect: c.effect * value };
    }
    const l = rng.pick(
      c.levels,
      c.levels.map((x) => x.prob)
    );
    return { value: l.value, effect: l.effect };
  };
  const width = String(spec.groups).length;
  const groupEffects: Record<string, number> = {};
  const sd = Math.sqrt(spec.variance);
  // The upper level, from its own stream: units, their effects and covariates, and each GP's unit.
  const upper = spec.upper ? simulateUpper(spec, spec.upper) : null;
  if (upper) columns[upper.name] = [];
  for (let g = 0; g < spec.groups; g++) {
    const label = `gp${String(g + 1).padStart(width, '0')}`;
    const u = sd * rng.normal();
    groupEffects[label] = u;
    const groupValues = spec.covariates.filter((c) => c.level === 'group').map((c) => [c, draw(c)] as const);
    const unit = upper ? upper.units[upper.unitOf[g]!]! : null;
    const size =
      spec.clusterSize.min + Math.floor(rng.next() * (spec.clusterSize.max - spec.clusterSize.min + 1));
    for (let i = 0; i < size; i++) {
      let eta = spec.intercept + u + (unit?.effect ?? 0);
      for (const c of spec.covariates) {
        const d =
          c.level === 'group'
            ? groupValues.find(([gc]) => gc === c)![1]
            : c.level === 'upper'
              ? unit!.values.get(c)!
              : draw(c);
        columns[c.name]!.push(d.value);
        eta += d.effect;
      }
      columns.gp!.push(label);
      if (upper) columns[upper.name]!.push(unit!.label);
      columns.outcome!.push(rng.next() < 1 / (1 + Math.exp(-eta)) ? 1 : 0);
    }
  }
  return {
    table: { columns },
    truth: {
      coefficients,
      variance: spec.variance,
      groupEffects,
      ...(upper
        ? {
            upperVariance: spec.upper!.variance,
            upperEffects: Object.fromEntries(upper.units.map((u) => [u.label, u.effect])),
          }
        : {}),
    },
  };
}

interface UpperUnit {
  label: string;
  effect: number;
  values: Map<SimCovariate, { value: string | number; effect: number }>;
}

function simulateUpper(
  spec: SimulationSpec,
  upper: NonNullable<SimulationSpec['upper']>
): { name: string; units: UpperUnit[]; unitOf: number[] } {
  if (!(upper.groups >= 2 && upper.groups <= spec.groups))
    throw new RangeError(`upper.groups must lie between 2 and the number of groups (${spec.groups})`);
  const rng = new Rng(spec.seed, 'glmm-simulation-upper');
  const width = String(upper.groups).length;
  const sd = Math.sqrt(upper.variance);
  const units: UpperUnit[] = [];
  for (let k = 0; k < upper.groups; k++) {
    const values = new Map<SimCovariate, { value: string | number; effect: number }>();
    for (const c of spec.covariates.filter((cv) => cv.level === 'upper')) {
      if (c.kind === 'numeric') {
        const raw = c.mean + c.sd * rng.normal();
        const value = c.decimals === undefined ? raw : Number(raw.toFixed(c.decimals));
        values.set(c, { value, effect: c.effect * value });
      } else {
        const l = rng.pick(
          c.levels,
          c.levels.map((x) => x.prob)
        );
        values.set(c, { value: l.value, effect: l.effect });
      }
    }
    units.push({ label: `m${String(k + 1).padStart(width, '0')}`, effect: sd * rng.normal(), values });
  }
  // Every unit one GP, the rest in proportion to log-normal weights (largest remainder).
  const weights = units.map(() => Math.exp((upper.spread ?? 0.9) * rng.normal()));
  const total = weights.reduce((a, b) => a + b, 0);
  const extra = spec.groups - upper.groups;
  const raw = weights.map((w) => (w / total) * extra);
  const alloc = raw.map((r) => 1 + Math.floor(r));
  let left = spec.groups - alloc.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    alloc[i]!++;
    left--;
  }
  const unitOf: number[] = [];
  alloc.forEach((n, k) => {
    for (let i = 0; i < n; i++) unitOf.push(k);
  });
  return { name: upper.name ?? 'municipality', units, unitOf };
}

/** A categorical covariate from [value, probability, effect] triples; the first level is the reference. */
export function categorical(
  name: string,
  level: 'patient' | 'group' | 'upper',
  levels: readonly (readonly [value: string, prob: number, effect: number])[]
): SimCovariate {
  return {
    name,
    level,
    kind: 'categorical',
    levels: levels.map(([value, prob, effect]) => ({ value, prob, effect })),
  };
}

/** A normally distributed covariate, optionally rounded to `decimals`. */
export function numeric(
  name: string,
  level: 'patient' | 'group' | 'upper',
  distribution: { mean: number; sd: number; effect: number; decimals?: number }
): SimCovariate {
  return { name, level, kind: 'numeric', ...distribution };
}
