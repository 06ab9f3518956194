/**
 * The GP survey's frame characteristics, as the survey weights and reports use them, from the
 * registry's GP facts: age group on the survey date, region from the practice municipality,
 * rural (SSB centrality 5-6, as the registry's GP models define a rural practice:
 * registry/engine/analyses.ts GP_CHARACTERISTICS), specialist in general practice on the survey
 * date (gps.specialist_from ≤ survey date), and list size group. Also a synthetic frame of any
 * size for the benchmark and tests. Pure: no I/O.
 */
import { Rng } from '../../registry/generate/random.js';
import type { LinkageEntry } from '../analyze/linkage-table.js';
import type { PlantMember } from './plant.js';

export const AGE_GROUPS = ['<40', '40-49', '50-59', '60+'] as const;
export const LIST_SIZE_GROUPS = ['<800', '800-1099', '1100+'] as const;
/** The four regional health authorities (RHF), by code. */
export const REGIONS = ['sor-ost', 'vest', 'midt', 'nord'] as const;
export type Region = (typeof REGIONS)[number];

export function ageGroup(age: number): string {
  return age < 40 ? '<40' : age < 50 ? '40-49' : age < 60 ? '50-59' : '60+';
}

export function listSizeGroup(size: number): string {
  return size < 800 ? '<800' : size < 1100 ? '800-1099' : '1100+';
}

/** Rural as the registry's GP models define it: practice municipality of SSB centrality 5 or 6. */
export function isRural(centrality: number | null): boolean {
  return centrality === 5 || centrality === 6;
}

/**
 * Region of each twin municipality. The twin's municipalities are synthetic (codes 0301, 0308, …
 * carry no county), so each is given one of the four health regions by a seeded draw whose
 * probabilities follow the centrality class: the north has more of the rural municipalities and
 * the south-east more of the central ones (roughly as the RHFs' shares of GPs, Helsedirektoratet's
 * fastlege statistics). Deterministic by seed and municipality code.
 */
export function regionOfMunicipality(code: string, centrality: number | null, seed: number): Region {
  const rng = new Rng(seed, `region:${code}`);
  const weights: Record<string, readonly number[]> = {
    central: [0.62, 0.2, 0.1, 0.08],
    middle: [0.5, 0.22, 0.15, 0.13],
    rural: [0.35, 0.22, 0.18, 0.25],
  };
  const kind = centrality === null || centrality <= 2 ? 'central' : centrality <= 4 ? 'middle' : 'rural';
  return rng.pick(REGIONS, weights[kind]!);
}

export interface RegistryGp {
  gpId: string;
  sex: string;
  birthYear: number;
  municipality: string | null;
  centrality: number | null;
  /** ISO date or null. */
  specialistFrom: string | null;
  listSize: number | null;
  uTalk?: number;
}

export interface FrameOptions {
  /** ISO date of the survey: age and specialist status are taken on it. */
  surveyDate: string;
  /** Seeds the pseudonymous frame ids and the region draw. */
  seed: number;
}

/**
 * Frame members (with a pseudonymous frame id, not the registry id) and the linkage table that
 * maps one to the other: the survey keeps the first, only the linkage step reads the second.
 */
export function frameFromRegistry(
  gps: readonly RegistryGp[],
  options: FrameOptions
): { members: PlantMember[]; linkage: LinkageEntry[] } {
  const surveyYear = Number(options.surveyDate.slice(0, 4));
  const rng = new Rng(options.seed, 'frame-ids');
  // Frame ids: a seeded permutation of 1..N, so their order says nothing about the registry ids.
  const order = gps.map((_, i) => ({ i, r: rng.next() })).sort((a, b) => a.r - b.r);
  const ids = new Array<string>(gps.length);
  order.forEach(({ i }, k) => (ids[i] = `F${String(k + 1).padStart(5, '0')}`));
  const members = gps.map((gp, i): PlantMember => {
    const attributes = {
      sex: gp.sex,
      age_group: ageGroup(surveyYear - gp.birthYear),
      region: regionOfMunicipality(gp.municipality ?? 'none', gp.centrality, options.seed),
      rural: isRural(gp.centrality) ? 'yes' : 'no',
      specialist: gp.specialistFrom !== null && gp.specialistFrom <= options.surveyDate ? 'yes' : 'no',
      ...(gp.listSize === null ? {} : { list_size_group: listSizeGroup(gp.listSize) }),
    };
    return { frameId: ids[i]!, attributes, ...(gp.uTalk === undefined ? {} : { uTalk: gp.uTalk }) };
  });
  const linkage = gps.map((gp, i) => ({ frameId: ids[i]!, registryGpId: gp.gpId }));
  return { members, linkage };
}

/**
 * A synthetic national GP frame of `n` members for the benchmark and tests: shares roughly as
 * Norwegian regular GPs (42 % women, more women among the young, half specialists rising with
 * age), u_talk ~ N(0, 0.8).
 */
export function syntheticFrame(n: number, seed: number): PlantMember[] {
  const rng = new Rng(seed, 'synthetic-frame');
  return Array.from({ length: n }, (_, i) => {
    const age = Math.min(70, Math.max(30, Math.round(50 + 10 * rng.normal())));
    const female = rng.next() < 0.42 + (age < 45 ? 0.12 : -0.05);
    const centrality = rng.pick([1, 2, 3, 4, 5, 6], [0.2, 0.23, 0.22, 0.15, 0.12, 0.08]);
    const specialist = rng.next() < Math.min(0.9, Math.max(0.1, 0.35 + 0.012 * (age - 30)));
    const listSize = Math.round(1100 * Math.exp(0.25 * rng.normal()));
    return {
      frameId: `F${String(i + 1).padStart(5, '0')}`,
      attributes: {
        sex: female ? 'F' : 'M',
        age_group: ageGroup(age),
        region: rng.pick(REGIONS, centrality >= 5 ? [0.35, 0.22, 0.18, 0.25] : [0.58, 0.21, 0.12, 0.09]),
        rural: isRural(centrality) ? 'yes' : 'no',
        specialist: specialist ? 'yes' : 'no',
        list_size_group: listSizeGroup(listSize),
      },
      uTalk: Math.sqrt(0.8) * rng.normal(),
    };
  });
}
