/**
 * Gauss-Hermite quadrature for a standard normal weight: Σ_q w_q f(z_q) ≈ ∫ f(z) φ(z) dz, exact
 * for polynomials of degree < 2K. The same rule as lme4's GHrule(K), which is what "nAGQ = K"
 * means there.
 *
 * Nodes are the roots of the probabilists' Hermite polynomial He_K. We use the orthonormal form
 * h_k = He_k / √(k!) (recurrence h_{k+1} = (z·h_k − √k·h_{k−1}) / √(k+1)), which never overflows,
 * so weights are w_q = 1 / (K · h_{K−1}(z_q)²). Roots are found by bisection on the Sturm sequence
 * (sign changes of h_0..h_K count the roots above z) and polished by Newton; K is small (≤ 100), so
 * robustness matters more than speed.
 */

export interface GaussHermiteRule {
  nodes: Float64Array;
  weights: Float64Array;
}

function orthonormalHermite(k: number, z: number): { h: number; hPrev: number } {
  let hPrev = 0;
  let h = 1;
  for (let i = 0; i < k; i++) {
    const next = (z * h - Math.sqrt(i) * hPrev) / Math.sqrt(i + 1);
    hPrev = h;
    h = next;
  }
  return { h, hPrev };
}

/** Number of roots of He_K strictly greater than z (sign changes in h_0(z), ..., h_K(z)). */
function rootsAbove(k: number, z: number): number {
  let changes = 0;
  let hPrev = 0;
  let h = 1;
  let lastSign = 1;
  for (let i = 0; i < k; i++) {
    const next = (z * h - Math.sqrt(i) * hPrev) / Math.sqrt(i + 1);
    hPrev = h;
    h = next;
    // A zero takes the sign of the previous term (the usual Sturm convention).
    const sign = h > 0 ? 1 : h < 0 ? -1 : lastSign;
    if (sign !== lastSign) changes++;
    lastSign = sign;
  }
  return changes;
}

const cache = new Map<number, GaussHermiteRule>();

export function gaussHermite(k: number): GaussHermiteRule {
  if (!Number.isInteger(k) || k < 1 || k > 100)
    throw new RangeError(`The number of quadrature points must be an integer from 1 to 100 (got ${k})`);
  const cached = cache.get(k);
  if (cached) return cached;
  const nodes = new Float64Array(k);
  const weights = new Float64Array(k);
  // All roots lie inside ±2√(K−1) (Gershgorin on the Jacobi matrix); pad a little.
  const bound = 2 * Math.sqrt(Math.max(k - 1, 1)) + 1;
  for (let q = 0; q < k; q++) {
    // The (q+1)-th smallest root: the z where the count of roots above drops from k−q to k−q−1.
    let lo = -bound;
    let hi = bound;
    for (let it = 0; it < 200 && hi - lo > 1e-15 * Math.max(1, Math.abs(lo)); it++) {
      const mid = 0.5 * (lo + hi);
      if (rootsAbove(k, mid) > k - q - 1) lo = mid;
      else hi = mid;
    }
    let z = 0.5 * (lo + hi);
    for (let it = 0; it < 3; it++) {
      // h_K' = √K · h_{K−1} for the orthonormal polynomials.
      const { h, hPrev } = orthonormalHermite(k, z);
      const deriv = Math.sqrt(k) * hPrev;
      if (deriv === 0) break;
      const step = h / deriv;
      if (!Number.isFinite(step) || Math.abs(step) > 1e-8) break;
      z -= step;
    }
    const hkm1 = orthonormalHermite(k - 1, z).h;
    nodes[q] = z;
    weights[q] = 1 / (k * hkm1 * hkm1);
  }
  // Symmetry: make it exact (the middle node of an odd rule is exactly 0).
  for (let q = 0; q < Math.floor(k / 2); q++) {
    const z = 0.5 * (nodes[k - 1 - q]! - nodes[q]!);
    const w = 0.5 * (weights[q]! + weights[k - 1 - q]!);
    nodes[q] = -z;
    nodes[k - 1 - q] = z;
    weights[q] = w;
    weights[k - 1 - q] = w;
  }
  if (k % 2 === 1) nodes[(k - 1) / 2] = 0;
  const rule = { nodes, weights };
  cache.set(k, rule);
  return rule;
}
