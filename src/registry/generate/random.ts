/**
 * Seeded, hash-based pseudo-randomness. In SQL every draw is a pure function of (seed, a key such
 * as a person number, a salt naming the draw): `rnd(key, salt)` maps DuckDB's 64-bit hash to a
 * uniform in (0, 1). Nothing depends on row order or thread scheduling, so a seed reproduces the
 * same data on any chunking. Small tables (municipalities, GPs) use the JS generator below.
 */

const MASK = (1n << 64n) - 1n;

function splitmix64(x: bigint): bigint {
  let z = (x + 0x9e3779b97f4a7c15n) & MASK;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
  return z ^ (z >> 31n);
}

function fnv1a64(text: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= BigInt(byte);
    h = (h * 0x100000001b3n) & MASK;
  }
  return h;
}

/** The 64-bit salt of a named draw for a seed, as a SQL UBIGINT literal. */
export function salt(seed: number, name: string): string {
  return `${splitmix64(splitmix64(BigInt(seed)) ^ fnv1a64(name))}::UBIGINT`;
}

/** SQL macros: rnd(key, salt) uniform (0,1); rnorm(key, salt) standard normal (Box-Muller). */
export const RANDOM_MACROS = [
  `CREATE OR REPLACE MACRO rnd(k, s) AS ((hash(xor(hash(k::BIGINT), s)) >> 11)::DOUBLE + 0.5) / 9007199254740992.0`,
  `CREATE OR REPLACE MACRO rnorm(k, s) AS sqrt(-2.0 * ln(rnd(k, s))) * cos(6.283185307179586 * rnd(k, xor(s, 6148914691236517205::UBIGINT)))`,
  /** Geometric count >= 0 with the given mean. */
  `CREATE OR REPLACE MACRO rgeom(k, s, m) AS CASE WHEN m <= 0 THEN 0 ELSE floor(ln(rnd(k, s)) / ln(m / (1.0 + m)))::INTEGER END`,
];

/** A small deterministic PRNG for JS-side tables. */
export class Rng {
  private state: bigint;
  constructor(seed: number, stream: string) {
    this.state = splitmix64(BigInt(seed)) ^ fnv1a64(stream);
  }
  next(): number {
    this.state = (this.state + 0x9e3779b97f4a7c15n) & MASK;
    const z = splitmix64(this.state);
    return (Number(z >> 11n) + 0.5) / 9007199254740992;
  }
  normal(): number {
    return Math.sqrt(-2 * Math.log(this.next())) * Math.cos(2 * Math.PI * this.next());
  }
  pick<T>(items: readonly T[], weights: readonly number[]): T {
    const total = weights.reduce((a, b) => a + b, 0);
    let u = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      u -= weights[i]!;
      if (u < 0) return items[i]!;
    }
    return items[items.length - 1]!;
  }
}

/** A SQL CASE that picks one of weighted string values from a uniform expression. */
export function sqlPick(u: string, items: readonly (readonly [string, number])[]): string {
  const total = items.reduce((a, [, w]) => a + w, 0);
  let cum = 0;
  const whens = items.slice(0, -1).map(([v, w]) => {
    cum += w / total;
    return `WHEN ${u} < ${cum.toFixed(12)} THEN '${v}'`;
  });
  return `CASE ${whens.join(' ')} ELSE '${items[items.length - 1]![0]}' END`;
}
