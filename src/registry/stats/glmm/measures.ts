/**
 * Summaries of the GP variance on scales clinicians and policy readers use (latent-scale ICC; MOR: Larsen & Merlo 2005, Am J Epidemiol 161:81-88):
 * the latent-scale ICC, Larsen & Merlo's median odds ratio, the 80 % interval odds ratio for a
 * GP-level covariate, and the proportional change in variance between two models.
 */
import { normalQuantile } from '../distributions.js';

/** Level-1 variance of the standard logistic distribution, π²/3. */
export const LOGISTIC_VARIANCE = (Math.PI * Math.PI) / 3;

export function icc(variance: number): number {
  return variance / (variance + LOGISTIC_VARIANCE);
}

/** MOR = exp(√(2σ²)·Φ⁻¹(0.75)) (Larsen & Merlo 2005). */
export function medianOddsRatio(variance: number): number {
  return Math.exp(Math.sqrt(2 * variance) * normalQuantile(0.75));
}

/** IOR-80 = [exp(γ + √(2σ²)·Φ⁻¹(0.10)), exp(γ + √(2σ²)·Φ⁻¹(0.90))]. */
export function intervalOddsRatio(gamma: number, variance: number): { lower: number; upper: number } {
  const spread = Math.sqrt(2 * variance);
  return {
    lower: Math.exp(gamma + spread * normalQuantile(0.1)),
    upper: Math.exp(gamma + spread * normalQuantile(0.9)),
  };
}

/** PCV = (σ²_reference − σ²_model) / σ²_reference, e.g. how much of the GP variance covariates explain. */
export function proportionalChangeInVariance(referenceVariance: number, modelVariance: number): number {
  if (!(referenceVariance > 0))
    throw new RangeError('The reference model has no GP variance; the proportional change is undefined');
  return (referenceVariance - modelVariance) / referenceVariance;
}
