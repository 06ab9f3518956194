/**
 * The two bounds of a profile-likelihood interval for a standard deviation σ ≥ 0, shared by the
 * two-level (fit.ts) and three-level (fit-nested.ts) fitters. `gap(σ)` is the profile
 * log-likelihood at σ minus the target (max − χ²₁/2): positive inside the interval. `reset`
 * restores the maximiser's start to the optimum before each search, as each profile point is
 * re-maximised from the previous one.
 */
export function profileBounds(options: {
  theta: number;
  se: number;
  gapAtOptimum: number;
  gap: (sd: number) => number;
  reset: () => void;
}): { lower: number; upper: number } {
  const { theta, se, gapAtOptimum, gap, reset } = options;
  // The bound is the root of gap between a σ inside (gap > 0) and one outside (gap < 0). Regula
  // falsi with the Illinois modification: the profile is smooth, so this takes about six profile
  // points where bisection to the same tolerance takes twenty.
  const solve = (inside: number, fInside: number, outside: number, fOutside: number): number => {
    let a = inside;
    let fa = fInside;
    let b = outside;
    let fb = fOutside;
    for (let it = 0; it < 60; it++) {
      const c = b - (fb * (b - a)) / (fb - fa);
      const fc = gap(c);
      if (Math.abs(fc) < 1e-5 || Math.abs(c - b) < 1e-6 * Math.max(1e-3, Math.abs(c))) return c;
      if (fc * fb < 0) {
        a = b;
        fa = fb;
      } else fa /= 2;
      b = c;
      fb = fc;
    }
    return b;
  };
  // Upper bound: step out until the profile drops below the target.
  reset();
  let inside = theta;
  let fInside = gapAtOptimum;
  let outside = theta + Math.max(2 * se, 0.05);
  let fOutside = gap(outside);
  for (let i = 0; i < 40 && fOutside >= 0; i++) {
    inside = outside;
    fInside = fOutside;
    outside = outside + 2 * (outside - theta) + 0.05;
    fOutside = gap(outside);
  }
  const upper = solve(inside, fInside, outside, fOutside);
  // Lower bound: zero when the profile at σ = 0 is still within the target.
  reset();
  let lower = 0;
  const fZero = gap(0);
  if (fZero < 0) {
    reset();
    lower = solve(theta, gapAtOptimum, 0, fZero);
  }
  return { lower, upper };
}
