/**
 * `npm run registry:fit -- --data FILE(.csv|.parquet) --outcome COL --fixed COL,COL --group COL
 *   [--ref COL=LEVEL]... [--factor COL,COL] [--nagq K] [--level 0.95] [--interval profile|wald]
 *   [--no-modes] [--help]`
 *
 * Fits the random-intercept logistic model (src/registry/stats/glmm) to any 0/1 outcome and prints
 * JSON: fixed effects (estimates, standard errors, odds ratios with intervals), the group variance
 * with its interval, ICC, median odds ratio, 80 % interval odds ratios for group-level covariates,
 * the proportional change in variance against the model without fixed effects, and each group's
 * conditional mode with its interval, in group-label order (shrunken effects, not a ranking).
 * `--group municipality/gp` fits the three-level model (GPs nested in municipalities, lme4's
 * `(1 | municipality/gp)`, Laplace) and adds it as `threeLevel`, next to the two-level model.
 * Categorical columns become treatment-coded dummies, first level (sorted) as reference unless
 * `--ref` names another, named as R names them (age_group30-49). Errors name the column and the
 * reason, on stderr, exit code 1.
 */
import { parseArgs } from 'node:util';
import { readColumns } from '../import/read-table.js';
import { buildDesign } from '../stats/glmm/design.js';
import { fitGlmm, type GlmmFit } from '../stats/glmm/fit.js';
import { fitNestedGlmm, type NestedGlmmFit } from '../stats/glmm/fit-nested.js';
import { proportionalChangeInVariance } from '../stats/glmm/measures.js';

export const USAGE = `Usage: npm run registry:fit -- --data FILE --outcome COL --group COL [options]

Fits a random-intercept logistic model (maximum likelihood, as lme4::glmer) and prints JSON.

Required:
  --data FILE            a .csv or .parquet file with one row per person
  --outcome COL          the 0/1 outcome column
  --group COL            the grouping column (e.g. gp); UPPER/COL nests the groups in an upper
                         level (e.g. municipality/gp) and adds the three-level model

Options:
  --fixed COL,COL        fixed effects; numeric columns enter as they are, others as factors
  --ref COL=LEVEL        reference level of a factor (default: the first level in sort order);
                         repeat for several factors, e.g. --ref edu_group=high --ref sex=M
  --factor COL,COL       treat these numeric columns as factors (levels sort by value)
  --nagq K               1 = Laplace (default); K > 1 = adaptive Gauss-Hermite with K points
                         (two-level model only; the three-level model is Laplace, as in lme4)
  --level P              confidence level of every interval (default 0.95)
  --interval METHOD      interval for the group variance: profile (default) or wald (on log σ)
  --no-modes             leave the groups' conditional modes out of the output
  -h, --help             print this help

Example:
  npm run registry:fit -- --data cohort.parquet --outcome talk --group municipality/gp \\
    --fixed sex,age_group,edu_group,list_size --ref edu_group=high --interval wald
`;

export class UsageError extends Error {
  override name = 'UsageError';
}

type TwoLevelOutput = Omit<GlmmFit, 'conditionalModes' | 'covariance'> & {
  conditionalModes?: GlmmFit['conditionalModes'];
};
type ThreeLevelOutput = Omit<NestedGlmmFit, 'conditionalModes' | 'covariance'> & {
  conditionalModes?: NestedGlmmFit['conditionalModes'];
};

export interface FitCommandResult {
  data: {
    file: string;
    persons: number;
    events: number;
    groups: number;
    /** Upper-level units (three-level model only). */
    uppers?: number;
    pooledRows: number;
  };
  model: {
    outcome: string;
    fixed: string[];
    group: string;
    /** The upper level the groups are nested in, or null. */
    upper: string | null;
    method: string;
    nAGQ: number;
    level: number;
    reference: Record<string, string>;
    factors: string[];
  };
  /** The two-level model (groups only). */
  fit: TwoLevelOutput;
  /** With --group UPPER/COL: the three-level model, with the test of σ²_upper = 0 against `fit`. */
  threeLevel?: ThreeLevelOutput;
  /** The same model without fixed effects (intercept only), for the proportional change in variance. */
  nullModel: { gpVariance: number; logLik: number } | null;
  pcv: number | null;
  /** Per factor: its levels, reference first. */
  levels: Record<string, string[]>;
}

/** `--ref COL=LEVEL` values → { COL: LEVEL }, refusing a malformed or repeated one. */
export function parseReferences(values: readonly string[]): Record<string, string> {
  const reference: Record<string, string> = {};
  for (const v of values) {
    const at = v.indexOf('=');
    if (at <= 0) throw new UsageError(`--ref must be COL=LEVEL, e.g. --ref edu_group=high (got "${v}")`);
    const column = v.slice(0, at).trim();
    if (column in reference) throw new UsageError(`--ref names "${column}" twice`);
    reference[column] = v.slice(at + 1);
  }
  return reference;
}

const list = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** Null when --help was asked for (the caller prints USAGE). */
export async function runFitCommand(argv: string[]): Promise<FitCommandResult | null> {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      outcome: { type: 'string' },
      fixed: { type: 'string', default: '' },
      group: { type: 'string' },
      ref: { type: 'string', multiple: true, default: [] },
      factor: { type: 'string', default: '' },
      nagq: { type: 'string', default: '1' },
      level: { type: 'string', default: '0.95' },
      interval: { type: 'string', default: 'profile' },
      'no-modes': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return null;
  if (!values.data) throw new UsageError('--data is required (a .csv or .parquet file)');
  if (!values.outcome) throw new UsageError('--outcome is required (a 0/1 column)');
  if (!values.group) throw new UsageError('--group is required (the grouping column, e.g. the GP)');
  const groupParts = values.group.split('/').map((s) => s.trim());
  if (groupParts.length > 2 || groupParts.some((s) => !s))
    throw new UsageError(`--group must be COL or UPPER/COL, e.g. municipality/gp (got "${values.group}")`);
  const [upper, group] = groupParts.length === 2 ? [groupParts[0]!, groupParts[1]!] : [null, groupParts[0]!];
  const nAGQ = Number(values.nagq);
  if (!Number.isInteger(nAGQ) || nAGQ < 1 || nAGQ > 100)
    throw new UsageError(`--nagq must be an integer from 1 (Laplace) to 100 (got "${values.nagq}")`);
  if (upper && nAGQ !== 1)
    throw new UsageError(
      '--nagq must be 1 with a nested group: the three-level model is fitted by Laplace (as lme4 does with two random-effect terms)'
    );
  const level = Number(values.level);
  if (!(level > 0 && level < 1))
    throw new UsageError(`--level must lie between 0 and 1 (got "${values.level}")`);
  if (values.interval !== 'profile' && values.interval !== 'wald')
    throw new UsageError(`--interval must be "profile" or "wald" (got "${values.interval}")`);
  const interval = values.interval;
  const fixed = list(values.fixed);
  const factors = list(values.factor);
  const reference = parseReferences(values.ref);
  const table = await readColumns(values.data, [values.outcome, group, ...(upper ? [upper] : []), ...fixed]);
  const spec = { outcome: values.outcome, group, factors, reference };
  const design = buildDesign(table, { ...spec, fixed });
  const fit = fitGlmm(design, { nAGQ, level, varianceInterval: interval });
  let nullModel: FitCommandResult['nullModel'] = null;
  let pcv: number | null = null;
  if (fixed.length) {
    const nullFit = fitGlmm(buildDesign(table, { outcome: values.outcome, group, fixed: [] }), {
      nAGQ,
      level,
      varianceInterval: 'wald',
    });
    nullModel = { gpVariance: nullFit.gpVariance.estimate, logLik: nullFit.logLik };
    pcv =
      nullFit.gpVariance.estimate > 0
        ? proportionalChangeInVariance(nullFit.gpVariance.estimate, fit.gpVariance.estimate)
        : null;
  }
  const modes = !values['no-modes'];
  let threeLevel: ThreeLevelOutput | undefined;
  let uppers: number | undefined;
  if (upper) {
    // The same rows with the groups nested in the upper level; the two-level fit is its start.
    const nestedDesign = buildDesign(table, { ...spec, fixed, upper });
    const start = nestedDesign.groupLabels.length === design.groupLabels.length ? fit : undefined;
    const nested = fitNestedGlmm(nestedDesign, { level, varianceInterval: interval, start });
    const { conditionalModes, covariance: _covariance, ...rest } = nested;
    threeLevel = modes ? { ...rest, conditionalModes } : rest;
    uppers = nested.uppers;
  }
  const { conditionalModes, covariance: _covariance, ...rest } = fit;
  return {
    data: {
      file: values.data,
      persons: fit.persons,
      events: fit.events,
      groups: fit.groups,
      ...(uppers !== undefined ? { uppers } : {}),
      pooledRows: fit.pooledRows,
    },
    model: {
      outcome: values.outcome,
      fixed,
      group,
      upper,
      method: fit.method,
      nAGQ,
      level,
      reference,
      factors,
    },
    fit: modes ? { ...rest, conditionalModes } : rest,
    ...(threeLevel ? { threeLevel } : {}),
    nullModel,
    pcv,
    levels: design.levels,
  };
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!);
if (isMain) {
  runFitCommand(process.argv.slice(2)).then(
    (result) => {
      process.stdout.write(result ? `${JSON.stringify(result, null, 2)}\n` : USAGE);
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`registry:fit: ${message}\n`);
      if (error instanceof UsageError || (error instanceof Error && error.name === 'TypeError'))
        process.stderr.write(`\n${USAGE}`);
      process.exit(1);
    }
  );
}
