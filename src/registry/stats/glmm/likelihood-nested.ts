/**
 * The marginal log-likelihood of the three-level logistic model (patients in GPs in
 * municipalities) by the Laplace approximation, and its exact gradient.
 *
 *   logit P(y = 1) = xᵀβ + θ_m·v_k + θ_g·u_j,   v_k, u_j ~ N(0, 1),
 *
 * with municipality k, GP j nested in k; σ²_m = θ_m² (between municipalities) and σ²_g = θ_g²
 * (between GPs of one municipality). This is lme4's `(1 | municipality/gp)` with nAGQ = 1, which is
 * also all lme4 offers for two random-effect terms.
 *
 * The likelihood factorises over municipalities. For municipality k with random effects
 * b = (v, u_1 … u_J), f(b) = Σ_r [y_r η_r − n_r log(1 + e^η_r)] − ½ bᵀb and, at the joint mode b̂,
 *   log L_k ≈ f(b̂) − ½ log det H,   H = −∇²f = I + Σ_r w_r z_r z_rᵀ,   w = nμ(1 − μ),
 * where z_r holds θ_m at v and θ_g at u_j(r). H is an arrowhead matrix (diagonal in the u's plus
 * the v row and column), so solves and the determinant cost O(J):
 *   D_j = 1 + θ_g² S_j,   s = 1 + θ_m² Σ_j S_j / D_j,   det H = s · Π_j D_j   (S_j = Σ_{r∈j} w_r).
 *
 * The gradient is exact: with q_r = z_rᵀH⁻¹z_r, c = ½ Σ_r t_r q_r z_r (t = dw/dη) and d = H⁻¹c,
 *   dℓ/dα = ∂f/∂α − ½ tr(H⁻¹ ∂H/∂α) − dᵀ ∂(∇_b f)/∂α,
 * the last term carrying the movement of the mode (implicit function theorem). All of q, H⁻¹z_r and
 * d are the same for every row of a GP, so each evaluation is two passes over the rows.
 */
import { sparseRows, type PooledDesign, type SparseRows } from './design.js';

export interface NestedEvaluation {
  logLik: number;
  /** d logLik / d(β₀..β_{p−1}, θ_m, θ_g). */
  gradient: Float64Array;
}

export class NestedLikelihood {
  readonly p: number;
  readonly groups: number;
  readonly uppers: number;
  private readonly upperStart: Int32Array;
  private readonly eta0: Float64Array;
  /** exp(eta0) per row: μ and log(1 + e^η) from t = e^η₀ · e^{shift}, one exponential a group. */
  private readonly expEta0: Float64Array;
  private readonly sparse: SparseRows;
  /** Conditional modes (standardised): v per upper unit, u per group; warm starts between calls. */
  readonly upperModes: Float64Array;
  readonly groupModes: Float64Array;
  /** At the last evaluation: s per upper unit and, per group, D_j, S_j and A_j = (H⁻¹)_{v,u_j}. */
  readonly schur: Float64Array;
  readonly groupD: Float64Array;
  readonly groupS: Float64Array;
  // Scratch per group (sized to the largest upper unit) and per row.
  private readonly R: Float64Array;
  private readonly T: Float64Array;
  private readonly du: Float64Array;
  private readonly prevU: Float64Array;
  private readonly q: Float64Array;
  private readonly delta: Float64Array;
  private readonly rowW: Float64Array;
  private readonly rowT: Float64Array;
  private readonly rowRes: Float64Array;
  evaluations = 0;

  constructor(readonly design: PooledDesign) {
    if (!design.upper) throw new Error('NestedLikelihood needs a design with an upper level');
    this.p = design.p;
    this.groups = design.groupLabels.length;
    this.upperStart = design.upper.start;
    this.uppers = design.upper.labels.length;
    const rows = design.trials.length;
    this.eta0 = new Float64Array(rows);
    this.expEta0 = new Float64Array(rows);
    this.sparse = sparseRows(design);
    this.upperModes = new Float64Array(this.uppers);
    this.groupModes = new Float64Array(this.groups);
    this.schur = new Float64Array(this.uppers).fill(1);
    this.groupD = new Float64Array(this.groups).fill(1);
    this.groupS = new Float64Array(this.groups);
    let maxJ = 0;
    for (let k = 0; k < this.uppers; k++)
      maxJ = Math.max(maxJ, this.upperStart[k + 1]! - this.upperStart[k]!);
    this.R = new Float64Array(maxJ);
    this.T = new Float64Array(maxJ);
    this.du = new Float64Array(maxJ);
    this.prevU = new Float64Array(maxJ);
    this.q = new Float64Array(maxJ);
    this.delta = new Float64Array(maxJ);
    this.rowW = new Float64Array(rows);
    this.rowT = new Float64Array(rows);
    this.rowRes = new Float64Array(rows);
  }

  /** params = [β₀..β_{p−1}, θ_m, θ_g]. */
  evaluate(params: ArrayLike<number>): NestedEvaluation {
    this.evaluations++;
    const { p } = this;
    const { trials, events, groupStart } = this.design;
    // The covariates by their non-zero entries (design.ts: sparseRows); the sums are the same.
    const { start: nzStart, column: nzColumn, value: nzValue } = this.sparse;
    const thetaM = params[p]!;
    const thetaG = params[p + 1]!;
    const rows = trials.length;
    const { eta0, expEta0 } = this;
    for (let r = 0; r < rows; r++) {
      let e = 0;
      for (let k = nzStart[r]!; k < nzStart[r + 1]!; k++) e += nzValue[k]! * params[nzColumn[k]!]!;
      eta0[r] = e;
      expEta0[r] = Math.exp(e);
    }
    const gradient = new Float64Array(p + 2);
    const { R, T, du, prevU, q, delta, rowW, rowT, rowRes, groupModes, groupD, groupS } = this;
    const tm2 = thetaM * thetaM;
    const tg2 = thetaG * thetaG;
    let logLik = 0;

    for (let k = 0; k < this.uppers; k++) {
      const g0 = this.upperStart[k]!;
      const g1 = this.upperStart[k + 1]!;
      const J = g1 - g0;
      let v = this.upperModes[k]!;

      // One pass at (v, u): f, and per group S_j = Σw, R_j = Σ(y − nμ).
      const pass = (): number => {
        let f = -0.5 * v * v;
        for (let j = 0; j < J; j++) {
          const g = g0 + j;
          const u = groupModes[g]!;
          f -= 0.5 * u * u;
          const shift = thetaM * v + thetaG * u;
          const es = Math.exp(shift);
          let S = 0;
          let Rj = 0;
          for (let r = groupStart[g]!; r < groupStart[g + 1]!; r++) {
            const eta = eta0[r]! + shift;
            // t = e^η from one exponential per group: μ = t / (1 + t), log(1 + e^η) = log1p(t),
            // the same numbers as from e^{−|η|} to a few ulps; that form where t overflows.
            const t = expEta0[r]! * es;
            let mu = t / (1 + t);
            let softplus = Math.log1p(t);
            if (!(mu >= 0 && mu <= 1 && softplus < Infinity)) {
              const ex = Math.exp(-Math.abs(eta));
              mu = eta >= 0 ? 1 / (1 + ex) : ex / (1 + ex);
              softplus = Math.max(eta, 0) + Math.log1p(ex);
            }
            const n = trials[r]!;
            const yv = events[r]!;
            f += yv * eta - n * softplus;
            S += n * mu * (1 - mu);
            Rj += yv - n * mu;
          }
          groupS[g] = S;
          R[j] = Rj;
        }
        return f;
      };

      // --- Joint mode by damped Newton (f is strictly concave; H solved as an arrowhead).
      let f = pass();
      let prevV = v;
      let prevF = -Infinity;
      for (let it = 0; it < 200; it++) {
        if (f < prevF - 1e-12 * Math.abs(prevF)) {
          // The step went too far: halve it back towards the previous point.
          v = 0.5 * (v + prevV);
          for (let j = 0; j < J; j++) groupModes[g0 + j] = 0.5 * (groupModes[g0 + j]! + prevU[j]!);
          f = pass();
          continue;
        }
        // Gradient: g_v = θ_m Σ R_j − v, g_j = θ_g R_j − u_j; H: D_j, H_vj = θ_mθ_g S_j, s.
        let sumR = 0;
        let sumSD = 0;
        let sumHvjGjD = 0;
        for (let j = 0; j < J; j++) {
          const g = g0 + j;
          const D = 1 + tg2 * groupS[g]!;
          groupD[g] = D;
          sumR += R[j]!;
          sumSD += groupS[g]! / D;
          du[j] = thetaG * R[j]! - groupModes[g]!; // g_j for now
          sumHvjGjD += (thetaM * thetaG * groupS[g]! * du[j]!) / D;
        }
        const s = 1 + tm2 * sumSD;
        const gv = thetaM * sumR - v;
        const dv = (gv - sumHvjGjD) / s;
        let maxStep = Math.abs(dv);
        let size = Math.abs(v);
        for (let j = 0; j < J; j++) {
          const g = g0 + j;
          du[j] = (du[j]! - thetaM * thetaG * groupS[g]! * dv) / groupD[g]!;
          maxStep = Math.max(maxStep, Math.abs(du[j]!));
          size = Math.max(size, Math.abs(groupModes[g]!));
        }
        prevF = f;
        prevV = v;
        v += dv;
        for (let j = 0; j < J; j++) {
          prevU[j] = groupModes[g0 + j]!;
          groupModes[g0 + j] = prevU[j]! + du[j]!;
        }
        f = pass();
        if (maxStep < 1e-11 * Math.max(1, size)) break;
      }
      this.upperModes[k] = v;

      // --- Sums at the mode (the last pass was at the final point) and the row quantities.
      for (let j = 0; j < J; j++) {
        const g = g0 + j;
        const shift = thetaM * v + thetaG * groupModes[g]!;
        const es = Math.exp(shift);
        let Tj = 0;
        for (let r = groupStart[g]!; r < groupStart[g + 1]!; r++) {
          const t = expEta0[r]! * es;
          let mu = t / (1 + t);
          if (!(mu >= 0 && mu <= 1)) {
            const eta = eta0[r]! + shift;
            const ex = Math.exp(-Math.abs(eta));
            mu = eta >= 0 ? 1 / (1 + ex) : ex / (1 + ex);
          }
          const n = trials[r]!;
          const w = n * mu * (1 - mu);
          rowW[r] = w;
          rowT[r] = w * (1 - 2 * mu);
          rowRes[r] = events[r]! - n * mu;
          Tj += rowT[r]!;
        }
        T[j] = Tj;
        groupD[g] = 1 + tg2 * groupS[g]!;
      }
      let sumSD = 0;
      let logDetD = 0;
      for (let j = 0; j < J; j++) {
        const g = g0 + j;
        sumSD += groupS[g]! / groupD[g]!;
        logDetD += Math.log(groupD[g]!);
      }
      const s = 1 + tm2 * sumSD;
      this.schur[k] = s;
      logLik += f - 0.5 * (logDetD + Math.log(s));

      // H⁻¹ z for a row of group j: hv_j = θ_m/s + θ_g A_j, hu_j = θ_m A_j + θ_g (1/D_j + H_vj²/(D_j² s)),
      // with A_j = −H_vj/(D_j s); q_j = θ_m hv_j + θ_g hu_j. c = ½ Σ t q z; d = H⁻¹ c (arrowhead).
      let cv = 0;
      for (let j = 0; j < J; j++) {
        const g = g0 + j;
        const D = groupD[g]!;
        const Hvj = thetaM * thetaG * groupS[g]!;
        const A = -Hvj / (D * s);
        const hv = thetaM / s + thetaG * A;
        const hu = thetaM * A + thetaG * (1 / D + (Hvj * Hvj) / (D * D * s));
        q[j] = thetaM * hv + thetaG * hu;
        cv += 0.5 * thetaM * q[j]! * T[j]!;
        // Keep hv and hu for the θ gradient (reuse du and prevU as storage).
        du[j] = hv;
        prevU[j] = hu;
      }
      // d = H⁻¹ c: d_v = (c_v − Σ H_vj c_j / D_j) / s, d_j = (c_j − H_vj d_v) / D_j.
      let acc = 0;
      for (let j = 0; j < J; j++) {
        const g = g0 + j;
        const cj = 0.5 * thetaG * q[j]! * T[j]!;
        acc += (thetaM * thetaG * groupS[g]! * cj) / groupD[g]!;
      }
      const dv = (cv - acc) / s;
      let sumR = 0;
      let gradM = 0;
      let gradG = 0;
      for (let j = 0; j < J; j++) {
        const g = g0 + j;
        const Sj = groupS[g]!;
        const cj = 0.5 * thetaG * q[j]! * T[j]!;
        const dj = (cj - thetaM * thetaG * Sj * dv) / groupD[g]!;
        delta[j] = thetaM * dv + thetaG * dj;
        const u = groupModes[g]!;
        sumR += R[j]!;
        gradM += v * R[j]! - 0.5 * v * q[j]! * T[j]! - Sj * du[j]! + v * delta[j]! * Sj;
        gradG += u * R[j]! - 0.5 * u * q[j]! * T[j]! - Sj * prevU[j]! + u * delta[j]! * Sj - dj * R[j]!;
      }
      gradM -= dv * sumR;
      gradient[p]! += gradM;
      gradient[p + 1]! += gradG;
      // dℓ/dβ = Σ_r x_r [res_r − ½ t_r q_j + w_r δ_j].
      for (let j = 0; j < J; j++) {
        const g = g0 + j;
        const qj = q[j]!;
        const dj = delta[j]!;
        for (let r = groupStart[g]!; r < groupStart[g + 1]!; r++) {
          const c = rowRes[r]! - 0.5 * rowT[r]! * qj + rowW[r]! * dj;
          for (let k = nzStart[r]!; k < nzStart[r + 1]!; k++) gradient[nzColumn[k]!]! += c * nzValue[k]!;
        }
      }
    }
    return { logLik, gradient };
  }

  /**
   * Conditional modes on the log-odds scale with their conditional SDs, at the last evaluation:
   * per upper unit θ_m v̂ (SD θ_m/√s) and per group θ_g û (SD θ_g √(H⁻¹)_jj), the blocks of the
   * joint conditional covariance lme4's ranef(condVar = TRUE) reports; and per group its whole
   * effect θ_m v̂ + θ_g û with SD √q_j.
   */
  conditionalModes(params: ArrayLike<number>): {
    upper: { mode: number; sd: number }[];
    group: { mode: number; sd: number; total: number; totalSd: number }[];
  } {
    const thetaM = params[this.p]!;
    const thetaG = params[this.p + 1]!;
    const upper: { mode: number; sd: number }[] = [];
    const group: { mode: number; sd: number; total: number; totalSd: number }[] = [];
    for (let k = 0; k < this.uppers; k++) {
      const s = this.schur[k]!;
      const v = this.upperModes[k]!;
      upper.push({ mode: thetaM * v, sd: Math.abs(thetaM) / Math.sqrt(s) });
      for (let g = this.upperStart[k]!; g < this.upperStart[k + 1]!; g++) {
        const D = this.groupD[g]!;
        const Hvj = thetaM * thetaG * this.groupS[g]!;
        const A = -Hvj / (D * s);
        const hjj = 1 / D + (Hvj * Hvj) / (D * D * s);
        const qj = thetaM * (thetaM / s + thetaG * A) + thetaG * (thetaM * A + thetaG * hjj);
        const u = this.groupModes[g]!;
        group.push({
          mode: thetaG * u,
          sd: Math.abs(thetaG) * Math.sqrt(hjj),
          total: thetaM * v + thetaG * u,
          totalSd: Math.sqrt(qj),
        });
      }
    }
    return { upper, group };
  }
}
