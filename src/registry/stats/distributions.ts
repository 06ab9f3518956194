/**
 * The standard normal distribution to full double precision, for p-values and interval bounds.
 *
 * Φ uses the everywhere-convergent series erf(x) = (2/√π) e^{−x²} Σ_n 2ⁿ x^{2n+1} / (1·3·…·(2n+1))
 * (all terms positive, so no cancellation) for |x| < 3, and Lentz's continued fraction for
 * erfc(x) beyond, where the series would need many terms and Φ is near 0 or 1.
 */

const SQRT_PI = Math.sqrt(Math.PI);

function erfSeries(x: number): number {
  let term = x;
  let sum = x;
  const x2 = x * x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / SQRT_PI) * Math.exp(-x2) * sum;
}

/** erfc(x) for x > 0 by the continued fraction erfc(x) = e^{−x²}/√π · 1/(x + ½/(x + 1/(x + 3/2/(x + …)))). */
function erfcContinuedFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (SQRT_PI * f);
}

export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 3) return 1 - erfSeries(x);
  return erfcContinuedFraction(x);
}

/** Φ(x), the standard normal distribution function. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** Two-sided p-value of a z statistic. */
export function twoSidedP(z: number): number {
  return Math.min(1, 2 * normalCdf(-Math.abs(z)));
}

/** Φ⁻¹(p) by bisection to a bracket and Newton polishing (|error| < 1e-14 in practice). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    throw new RangeError(`A probability must lie between 0 and 1 (got ${p})`);
  }
  if (p > 0.5) return -normalQuantile(1 - p);
  let lo = -40;
  let hi = 0;
  for (let i = 0; i < 60; i++) {
    const mid = 0.5 * (lo + hi);
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  let x = 0.5 * (lo + hi);
  for (let i = 0; i < 5; i++) {
    const density = Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    if (density === 0) break;
    const step = (normalCdf(x) - p) / density;
    x -= step;
    if (Math.abs(step) < 1e-16 * Math.max(1, Math.abs(x))) break;
  }
  return x;
}
