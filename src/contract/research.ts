/**
 * The API contract of the researcher's pages (issue 12 §2): the platform overview (counts only,
 * small cells suppressed) and the registry analysis (its run, its funnel plots). Nothing here is
 * person-level. Imports only contract and domain.
 */
import { Type, type Static } from 'typebox';
import { literalUnion, Nullable, Phq9Severity } from './common.js';
import { ProgramStatusSchema } from './program.js';

/** GET /api/research/overview */
export const ResearchOverview = Type.Object({
  generatedAt: Type.String(),
  suppressionThreshold: Type.Integer(),
  totals: Type.Object({ patients: Nullable(Type.Integer()), responses: Nullable(Type.Integer()) }),
  programStatus: Type.Array(Type.Object({ status: ProgramStatusSchema, count: Nullable(Type.Integer()) })),
  latestPhq9Severity: Type.Array(Type.Object({ severity: Phq9Severity, count: Nullable(Type.Integer()) })),
});
export type ResearchOverview = Static<typeof ResearchOverview>;

export const RegistryRunStatusSchema = Type.Union([
  Type.Literal('running'),
  Type.Literal('done'),
  Type.Literal('failed'),
]);
export type RegistryRunStatus = Static<typeof RegistryRunStatusSchema>;

export const RegistryRun = Type.Object({
  id: Type.String(),
  status: RegistryRunStatusSchema,
  startedAt: Type.String(),
  finishedAt: Nullable(Type.String()),
  progress: Type.Object({
    step: Type.String(),
    fraction: Type.Number(),
    message: Type.String(),
  }),
  summary: Nullable(
    Type.Object({
      episodes: Nullable(Type.Integer()),
      patients: Nullable(Type.Integer()),
      gps: Nullable(Type.Integer()),
      indexFrom: Type.String(),
      indexTo: Type.String(),
      seconds: Type.Number(),
    })
  ),
  error: Nullable(Type.String()),
});
export type RegistryRun = Static<typeof RegistryRun>;

/** GET /api/research/registry */
export const RegistryStatus = Type.Object({ dataPresent: Type.Boolean(), run: Nullable(RegistryRun) });
export type RegistryStatus = Static<typeof RegistryStatus>;

/** POST /api/research/registry/runs (202) */
export const RegistryRunStarted = Type.Object({ id: Type.String() });
export type RegistryRunStarted = Static<typeof RegistryRunStarted>;

const LimitPair = Type.Object({ lower: Type.Number(), upper: Type.Number() });
const LIMITS = {
  exact95: LimitPair,
  exact998: LimitPair,
  multiplicative95: LimitPair,
  multiplicative998: LimitPair,
  additive95: LimitPair,
  additive998: LimitPair,
};
const OutsideCount = Type.Object({ above: Type.Integer(), below: Type.Integer() });

/** registry/stats/funnel.ts FunnelPlotData: what a funnel plot publishes (no GP ids, coarsened points). */
export const FunnelPlot = Type.Object({
  riskAdjusted: Type.Boolean(),
  p0: Type.Number(),
  minPatients: Type.Integer(),
  omitted: Type.Integer(),
  points: Type.Array(Type.Object({ x: Type.Number(), y: Type.Number() })),
  curves: Type.Array(Type.Object({ n: Type.Number(), ...LIMITS })),
  xMax: Type.Number(),
  summary: Type.Object({
    gps: Type.Integer(),
    patients: Type.Integer(),
    observed: Type.Integer(),
    riskAdjusted: Type.Boolean(),
    p0: Type.Number(),
    winsorise: Type.Number(),
    phi: Type.Number(),
    phiUnwinsorised: Type.Number(),
    tau2: Type.Number(),
    tau: Type.Number(),
    chiSquare: Type.Number(),
    df: Type.Integer(),
    pValue: Type.Number(),
    outside: Type.Object({
      exact95: OutsideCount,
      exact998: OutsideCount,
      multiplicative95: OutsideCount,
      multiplicative998: OutsideCount,
      additive95: OutsideCount,
      additive998: OutsideCount,
    }),
  }),
});
export type FunnelPlot = Static<typeof FunnelPlot>;

/** GET /api/research/registry/funnels */
export const RegistryFunnels = Type.Object({
  funnels: Type.Array(Type.Object({ key: Type.String(), label: Type.String(), data: FunnelPlot })),
});
export type RegistryFunnels = Static<typeof RegistryFunnels>;

/** The registry report's language: `en` (report.html) or Norwegian bokmål (`nb`, rapport.html). */
export const RegistryReportQuery = Type.Object(
  { lang: Type.Optional(literalUnion(['en', 'nb'] as const)) },
  { additionalProperties: false }
);
