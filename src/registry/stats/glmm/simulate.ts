/**
 * Data from a known random-intercept logistic model: for the lme4 validation fixtures, the
 * recovery test and the benchmark. Each group (GP) draws u_g ~ N(0, σ²) and its GP-level covariates;
 * each person draws patient covariates and a 0/1 outcome with logit P = β₀ + Σ effects + u_g.
 */
import { Rng } from '../../generate/random.js';
import type { ColumnTable } from './design.js';

export type SimCovariate =
  | {
      name: string;
      level: 'patient' | 'group';
      kind: 'categorical';
      /** The first level is the reference (effect 0); names must sort in this order. */
      levels: { value: string; prob: number; effect: number }[];
    }
  | {
      name: string;
      level: 'patient' | 'group';
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
}

export interface SimulatedData {
  table: ColumnTable;
  /** Coefficients named as the fit names them ("(Intercept)", "sexM", "age", ...). */
  truth: { coefficients: Record<string, number>; variance: number; groupEffects: Record<string, number> };
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
  for (let g = 0; g < spec.groups; g++) {
    const label = `gp${String(g + 1).padStart(width, '0')}`;
    const u = sd * rng.normal();
    groupEffects[label] = u;
    const groupValues = spec.covariates.filter((c) => c.level === 'group').map((c) => [c, draw(c)] as const);
    const size =
      spec.clusterSize.min + Math.floor(rng.next() * (spec.clusterSize.max - spec.clusterSize.min + 1));
    for (let i = 0; i < size; i++) {
      let eta = spec.intercept + u;
      for (const c of spec.covariates) {
        const d = c.level === 'group' ? groupValues.find(([gc]) => gc === c)![1] : draw(c);
        columns[c.name]!.push(d.value);
        eta += d.effect;
      }
      columns.gp!.push(label);
      columns.outcome!.push(rng.next() < 1 / (1 + Math.exp(-eta)) ? 1 : 0);
    }
  }
  return { table: { columns }, truth: { coefficients, variance: spec.variance, groupEffects } };
}

/** A categorical covariate from [value, probability, effect] triples; the first level is the reference. */
export function categorical(
  name: string,
  level: 'patient' | 'group',
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
  level: 'patient' | 'group',
  distribution: { mean: number; sd: number; effect: number; decimals?: number }
): SimCovariate {
  return { name, level, kind: 'numeric', ...distribution };
}
