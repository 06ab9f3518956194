/**
 * Municipalities, GPs and lists, scaled to the population size: small tables built in JS with a
 * seeded generator. Persons are assigned to lists later in SQL (proportional to list capacity), so
 * municipality populations and centrality shares follow from these tables.
 */
import {
  CENTRALITY,
  GP_SHARE_FEMALE,
  GP_CORRELATION,
  GP_SHARE_SALARIED_BY_CENTRALITY,
  GP_VARIANCE,
  NATIONAL_POPULATION,
  OUTCOMES,
  PRESENT_AT_REFERENCE,
  RURAL_CENTRALITY_MIN,
  SHARE_ON_VACANT_LISTS,
  VACANT_LISTS_PER_GP_LIST,
  type Outcome,
} from './params.js';
import { Rng } from './random.js';

export interface Municipality {
  idx: number;
  code: string;
  centrality: number;
}

export interface Gp {
  idx: number;
  gpId: string;
  listId: string;
  listIdx: number;
  sex: 'M' | 'F';
  birthYear: number;
  specialist: boolean;
  employment: 'self_employed' | 'salaried';
  practiceId: string;
  muniIdx: number;
  capacity: number;
  listFrom: string;
  /** True GP random intercepts per outcome (logit scale). */
  u: Record<Outcome, number>;
}

export interface ListRow {
  idx: number;
  listId: string;
  gpIdx: number | null;
  muniIdx: number;
  weight: number;
  validFrom: string;
}

export interface Geography {
  municipalities: Municipality[];
  gps: Gp[];
  lists: ListRow[];
}

export const gpIdOf = (idx: number) => `G${10001 + idx}`;
const listIdOf = (idx: number) => `L${20001 + idx}`;

function isoDate(y: number, dayOfYear: number): string {
  return new Date(Date.UTC(y, 0, 1 + dayOfYear)).toISOString().slice(0, 10);
}

export function buildGeography(persons: number, seed: number, refYear: number, firstYear: number): Geography {
  const rng = new Rng(seed, 'geography');
  const scale = persons / NATIONAL_POPULATION;
  const listedWithGp = persons * PRESENT_AT_REFERENCE * (1 - SHARE_ON_VACANT_LISTS);
  const municipalities: Municipality[] = [];
  const gps: Gp[] = [];
  const lists: ListRow[] = [];
  let practiceNo = 0;
  for (const c of CENTRALITY) {
    const gpCount = Math.max(1, Math.round((listedWithGp * c.popShare) / c.meanList));
    const muniCount = Math.max(1, Math.min(gpCount, Math.round(c.municipalities * scale)));
    const weights = Array.from({ length: muniCount }, () => Math.exp(0.9 * rng.normal()));
    const wsum = weights.reduce((a, b) => a + b, 0);
    // Every municipality gets one GP, the rest by largest remainder of its population weight.
    const extra = gpCount - muniCount;
    const raw = weights.map((w) => (w / wsum) * extra);
    const alloc = raw.map((r) => 1 + Math.floor(r));
    let left = gpCount - alloc.reduce((a, b) => a + b, 0);
    const order = raw
      .map((r, i) => [r - Math.floor(r), i] as const)
      .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    for (const [, i] of order) {
      if (left <= 0) break;
      alloc[i]!++;
      left--;
    }
    for (let m = 0; m < muniCount; m++) {
      const muniIdx = municipalities.length;
      municipalities.push({
        idx: muniIdx,
        code: String(301 + muniIdx * 7).padStart(4, '0'),
        centrality: c.cls,
      });
      let inPractice = 0;
      let practiceSize = 0;
      for (let g = 0; g < alloc[m]!; g++) {
        if (inPractice >= practiceSize) {
          practiceNo++;
          practiceSize = rng.pick([1, 2, 3, 4, 5, 6], [0.12, 0.18, 0.24, 0.2, 0.16, 0.1]);
          inPractice = 0;
        }
        inPractice++;
        const idx = gps.length;
        const age = Math.min(70, Math.max(30, Math.round(50 + 10 * rng.normal())));
        const specialist = rng.next() < Math.min(0.9, Math.max(0.1, 0.35 + 0.012 * (age - 30)));
        const listIdx = lists.length;
        const capacity = Math.round(c.meanList * Math.exp(0.25 * rng.normal() - 0.03125));
        const listFrom = isoDate(firstYear - 1 - Math.floor(rng.next() * 8), Math.floor(rng.next() * 365));
        gps.push({
          idx,
          gpId: gpIdOf(idx),
          listId: listIdOf(listIdx),
          listIdx,
          sex: rng.next() < GP_SHARE_FEMALE + (age < 45 ? 0.12 : -0.05) ? 'F' : 'M',
          birthYear: refYear - age,
          specialist,
          employment: rng.next() < GP_SHARE_SALARIED_BY_CENTRALITY[c.cls - 1]! ? 'salaried' : 'self_employed',
          practiceId: `K${3001 + practiceNo}`,
          muniIdx,
          capacity,
          listFrom,
          u: { talk: 0, long: 0, ad: 0, sick: 0, referral: 0 },
        });
        lists.push({
          idx: listIdx,
          listId: listIdOf(listIdx),
          gpIdx: idx,
          muniIdx,
          weight: capacity,
          validFrom: listFrom,
        });
      }
    }
  }
  // Lists without a GP, more often outside the cities; 3.9 % of the listed population is on them.
  const vacantCount = Math.max(1, Math.round(gps.length * VACANT_LISTS_PER_GP_LIST));
  const gpCapacity = gps.reduce((a, g) => a + g.capacity, 0);
  const vacantWeight = ((SHARE_ON_VACANT_LISTS / (1 - SHARE_ON_VACANT_LISTS)) * gpCapacity) / vacantCount;
  const gpsPerMuni = municipalities.map((m) => gps.filter((g) => g.muniIdx === m.idx).length);
  for (let v = 0; v < vacantCount; v++) {
    const m = rng.pick(
      municipalities,
      municipalities.map((mu) => gpsPerMuni[mu.idx]! * (mu.centrality >= 4 ? 2 : 1))
    );
    const idx = lists.length;
    lists.push({
      idx,
      listId: listIdOf(idx),
      gpIdx: null,
      muniIdx: m.idx,
      weight: Math.round(vacantWeight),
      validFrom: isoDate(firstYear - 1 - Math.floor(rng.next() * 3), Math.floor(rng.next() * 365)),
    });
  }
  plantRandomEffects(gps, municipalities, seed);
  return { municipalities, gps, lists };
}

/**
 * u_j ~ N(0, sigma^2) per outcome, then centred within rural and within urban GPs and rescaled so
 * their sample variance is exactly sigma^2: the realised GP effects then carry no accidental
 * rural/urban difference, and the stated variance is the realised one.
 */
function plantRandomEffects(gps: Gp[], municipalities: Municipality[], seed: number) {
  const rng = new Rng(seed, 'gp-random-effects');
  const rural = gps.map((g) => municipalities[g.muniIdx]!.centrality >= RURAL_CENTRALITY_MIN);
  const L = cholesky(GP_CORRELATION);
  const z = gps.map(() => OUTCOMES.map(() => rng.normal()));
  OUTCOMES.forEach((o, k) => {
    const raw = z.map((zi) => L[k]!.reduce((a, l, m) => a + l * zi[m]!, 0));
    for (const group of [true, false]) {
      const ids = gps.map((_, i) => i).filter((i) => rural[i] === group);
      if (ids.length === 0) continue;
      const mean = ids.reduce((a, i) => a + raw[i]!, 0) / ids.length;
      for (const i of ids) raw[i] = raw[i]! - mean;
    }
    const sd = Math.sqrt(raw.reduce((a, x) => a + x * x, 0) / Math.max(1, raw.length));
    const sigma = Math.sqrt(GP_VARIANCE[o]);
    gps.forEach((g, i) => (g.u[o] = sd > 0 ? (raw[i]! / sd) * sigma : 0));
  });
}

function cholesky(A: readonly (readonly number[])[]): number[][] {
  const n = A.length;
  const L = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = A[i]![j]!;
      for (let k = 0; k < j; k++) sum -= L[i]![k]! * L[j]![k]!;
      if (i === j) {
        if (sum <= 0) throw new Error('GP_CORRELATION is not positive definite');
        L[i]![j] = Math.sqrt(sum);
      } else L[i]![j] = sum / L[j]![j]!;
    }
  }
  return L;
}
