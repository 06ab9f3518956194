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
  /**
   * The column of an upper level the GPs are nested in (their practice municipality): the adjusted
   * model is then also fitted with municipality and GP random intercepts (three levels).
   */
  upperGroup?: string;
}

/** The adjusted model with random intercepts for municipalities and for GPs within them. */
export interface ThreeLevelSummary {
  municipalities: number;
  method: string;
  /** σ²_m: between municipalities. */
  municipalityVariance: Interval & { method: string };
  /** σ²_g: between GPs of the same municipality. */
  gpVariance: Interval & { method: string };
  /** σ²_m/(σ²_m + σ²_g): the share of the between-GP variance that lies between municipalities. */
  share: Interval;
  /** Median odds ratios: between municipalities, between GPs of one municipality, between any two GPs. */
  mor: { municipality: Interval; gp: Interval; total: Interval };
  /** Likelihood-ratio test of σ²_m = 0 against the two-level adjusted model (boundary mixture). */
  lrt: { statistic: number; pValue: number };
  logLik: number;
  fixedEffects: FixedEffect[];
  ms: number;
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
  /** With upperGroup: the three-level model, or why it was not fitted. */
  threeLevel?: ThreeLevelSummary | { error: string };
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
