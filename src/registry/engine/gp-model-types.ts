/**
 * The requests and results of the per-indicator GP models (gp-models.ts): plain data that crosses
 * the engine's process boundary (protocol.ts) and is read by the report tables (analyze/), kept
 * apart so that neither the protocol nor the tables import the fitting code.
 */
import type { FixedEffect, Interval } from '../stats/glmm/fit.js';

export interface GpModelRequest {
  key: string;
  /** Column with the events of each row and the column with its persons. */
  events: string;
  trials: string;
  patientCovariates: string[];
  gpCovariates: string[];
  /** The pseudonymous GP number column. */
  group: string;
  nAGQ?: number;
  /** Only the risk model and the funnel units (Table 6 and a funnel plot), no mixed models. */
  funnelOnly?: boolean;
}

export interface GpModelSummary {
  method: string;
  /** How the interval for σ² was made. */
  intervalMethod: string;
  variance: Interval;
  icc: Interval;
  mor: Interval;
  logLik: number;
}

export interface GpModelResult {
  key: string;
  patients: number;
  events: number;
  gps: number;
  nullModel: GpModelSummary | null;
  adjusted:
    | (GpModelSummary & {
        fixedEffects: FixedEffect[];
        ior80: { name: string; lower: number; upper: number }[];
        /** GPs whose 95 % interval of the conditional mode lies wholly above / below zero. */
        gpsAbove: number;
        gpsBelow: number;
      })
    | null;
  pcv: number | null;
  /** Per GP (no number): patients, with the outcome, expected from patient case-mix. */
  funnelUnits: { n: number; observed: number; expected: number }[];
  /**
   * Patient-covariate levels pooled into their covariate's largest level for this indicator because
   * every person in them had the outcome or none did (perfect separation), e.g.
   * "edu_group missing (14 persons, all with the outcome) with medium".
   */
  pooledLevels?: string[];
  /** Why a model was not fitted (constant outcome, too few GPs, separation, ...). */
  error: string | null;
  ms: number;
}
