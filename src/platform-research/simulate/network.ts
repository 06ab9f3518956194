/**
 * A synthetic network of practices, GPs and patients with the programme's whole history, for
 * trying the platform's research extract and the registry's mixed models on data whose truth is
 * known (issue 17). Pure: no I/O, no clock; the same seed, sizes and end date give the same network
 * (ids included). server/demo/network-seed.ts writes it to the database; docs/platform-simulate.md
 * describes the model.
 *
 * Planted (on the logit scale, every value in SIMULATION_TRUTH and the truth file):
 * - recommendation: logit P(GP recommends the programme to a listed patient) = β₀ + u_gp;
 * - start: logit P(a recommended patient starts) = β₀ + β_education + u_gp (lower for low
 *   education, the planted inequity);
 * - recovery: logit P(recovery | finished, a case at the start) = β₀ + u_gp; the scores are then
 *   drawn so that the domain's own rule (domain/outcomes/talking-therapies.ts) gives exactly that
 *   recovery: below both cut-offs at the last score, or not.
 * Each u_gp ~ N(0, σ²), one per GP and process, drawn independently; each GP's draw is in the truth.
 */
import { syntheticFodselsnummer } from '../../domain/identifiers/norwegian-ids.js';
import { TALKING_THERAPIES_RULES } from '../../domain/outcomes/talking-therapies.js';
import type { EducationGroup } from '../../domain/outcomes/implementation.js';
import { WORK_STATUSES, type WorkStatus } from '../../domain/instruments/wsas.js';
import { MODULE_IDS, type ModuleId } from '../../domain/program/progress.js';

const DAY = 24 * 60 * 60 * 1000;

export interface SimulationParameters {
  /** logit P(recommended) for a patient on a GP's list: intercept and GP SD. */
  recommendation: { intercept: number; gpSd: number };
  /** logit P(started | recommended): intercept (high education), education effects, GP SD. */
  start: {
    intercept: number;
    /** Added to the intercept; `declined` is a patient who would not say. */
    education: Record<EducationGroup | 'declined', number>;
    gpSd: number;
  };
  /** logit P(recovery | finished, a case at the start): intercept and GP SD. */
  recovery: { intercept: number; gpSd: number };
  /** P(going on to the next module) after each module started. */
  moduleContinuation: number;
  /** Share of patients who decline the education question; the rest by `educationShares`. */
  educationDeclined: number;
  educationShares: Record<EducationGroup, number>;
  /** Share of recommended patients who are a case (PHQ-9 ≥ 10) at the start. */
  casenessAtStart: number;
  /** Guidance levels of recommended patients. */
  guidanceShares: Record<'guided' | 'minimal' | 'self', number>;
  /** GPs per practice: drawn uniformly from this range. */
  gpsPerPractice: [number, number];
  /** Days before the end date a recommendation may lie. */
  recommendationWindowDays: [number, number];
}

/** The planted parameters (docs/platform-simulate.md). */
export const SIMULATION_TRUTH: SimulationParameters = {
  recommendation: { intercept: 0.3, gpSd: 0.8 },
  start: {
    intercept: 1.2,
    education: { high: 0, medium: -0.4, low: -1.0, declined: -0.3 },
    gpSd: 0.5,
  },
  recovery: { intercept: 0.2, gpSd: 0.6 },
  moduleContinuation: 0.85,
  educationDeclined: 0.15,
  educationShares: { low: 0.25, medium: 0.4, high: 0.35 },
  casenessAtStart: 0.9,
  guidanceShares: { guided: 0.8, minimal: 0.15, self: 0.05 },
  gpsPerPractice: [2, 6],
  recommendationWindowDays: [20, 400],
};

// ------------------------------------------------------------------------------------------------
// Random numbers

/** mulberry32: small, fast, deterministic. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  constructor(readonly next: () => number) {}
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  normal(): number {
    const u = Math.max(this.next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
  bernoulli(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(weights: Readonly<Record<string, number>>): T {
    const entries = Object.entries(weights);
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [key, w] of entries) {
      r -= w;
      if (r < 0) return key as T;
    }
    return entries[entries.length - 1]![0] as T;
  }
  /** A version-4 UUID from the stream (deterministic ids). */
  uuid(): string {
    const hex = Array.from({ length: 32 }, () => this.int(0, 15).toString(16));
    hex[12] = '4';
    hex[16] = ((this.int(0, 15) & 0x3) | 0x8).toString(16);
    const s = hex.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
}

export const logistic = (x: number): number => 1 / (1 + Math.exp(-x));

// ------------------------------------------------------------------------------------------------
// The network

export interface SimPractice {
  id: string;
  name: string;
}

export interface SimGp {
  id: string;
  practiceId: string;
  username: string;
  displayName: string;
  hprNumber: string;
  /** The planted effects u_gp on the logit scale. */
  effects: { recommendation: number; start: number; recovery: number };
}

export type Instrument = 'phq9' | 'gad7' | 'wsas';

export interface SimMeasurement {
  id: string;
  instrument: Instrument;
  answeredAt: Date;
  /** Answered in the GP's office (submitted by the GP) or at home (by the patient). */
  byGp: boolean;
  /** Item scores (PHQ-9: nine, item 9 always 0; GAD-7: seven; WSAS: five). */
  items: number[];
  total: number;
  workStatus: WorkStatus | null;
}

export interface SimFollowUp {
  id: string;
  moduleId: ModuleId;
  plannedAt: Date;
  status: 'planned' | 'done' | 'missed' | 'cancelled';
  heldAt: Date | null;
}

export interface SimCourse {
  id: string;
  recommendedAt: Date;
  guidanceLevel: 'guided' | 'minimal' | 'self';
  invitation: { id: string; codeHash: string; createdAt: Date; expiresAt: Date; usedAt: Date | null };
  startedAt: Date | null;
  modules: { moduleId: ModuleId; startedAt: Date; completedAt: Date | null }[];
  status: 'recommended' | 'active' | 'finished' | 'stopped';
  finishedAt: Date | null;
  followUps: SimFollowUp[];
  measurements: SimMeasurement[];
  /** What was planted for this course (probabilities on the natural scale). */
  planted: {
    startProbability: number;
    /** The planted recovery for a finished course that was a case at the start; else null. */
    recovery: boolean | null;
    recoveryProbability: number | null;
  };
}

export interface SimPatient {
  id: string;
  /** The patient's login, made when the invitation was used (null: never logged in). */
  userId: string | null;
  username: string | null;
  gpId: string;
  practiceId: string;
  displayName: string;
  sex: 'female' | 'male';
  birthYear: number;
  nationalId: string;
  /** The birth date the national id encodes (only the year is stored in the database). */
  birthDate: string;
  listedFrom: string;
  createdAt: Date;
  education: { answer: EducationGroup | null; answeredAt: Date };
  workStatus: WorkStatus;
  /** logit-scale probability of recommendation planted for this patient. */
  recommendationProbability: number;
  course: SimCourse | null;
}

export interface SimNetwork {
  /** The run's id (simulation_runs). */
  runId: string;
  seed: number;
  end: Date;
  practices: SimPractice[];
  gps: SimGp[];
  patients: SimPatient[];
}

export interface SimulationOptions {
  seed: number;
  gps: number;
  patients: number;
  /** The simulated "today": every date lies before it. */
  end: Date;
  parameters?: SimulationParameters;
}

const FEMALE = ['Anne', 'Berit', 'Cecilie', 'Dina', 'Elin', 'Frida', 'Gunn', 'Hilde', 'Ingeborg', 'Janne'];
const MALE = ['Arne', 'Bård', 'Christian', 'Daniel', 'Eirik', 'Frode', 'Geir', 'Håkon', 'Ivar', 'Jørgen'];
const SURNAMES = [
  'Andersen',
  'Berge',
  'Dale',
  'Ekeberg',
  'Foss',
  'Gjerde',
  'Hauge',
  'Jensen',
  'Kvam',
  'Lunde',
];

/** Synthetic national ids start at this serial of their date and sex (the demo uses the low ones). */
export const FIRST_SERIAL = 150;

/** The network for a seed, sizes and end date (deterministic). */
export function simulateNetwork(options: SimulationOptions): SimNetwork {
  const params = options.parameters ?? SIMULATION_TRUTH;
  if (!Number.isInteger(options.gps) || options.gps < 1)
    throw new RangeError('gps must be a whole number ≥ 1');
  if (!Number.isInteger(options.patients) || options.patients < options.gps)
    throw new RangeError('patients must be a whole number, at least one per GP');
  const rng = new Rng(seededRandom(options.seed));
  const end = options.end;
  const tag = `s${options.seed}`;
  const runId = rng.uuid();

  const practices: SimPractice[] = [];
  const gps: SimGp[] = [];
  while (gps.length < options.gps) {
    const practice: SimPractice = {
      id: rng.uuid(),
      name: `Simulert legesenter ${String(practices.length + 1).padStart(3, '0')} (seed ${options.seed}, syntetiske data)`,
    };
    practices.push(practice);
    const size = Math.min(rng.int(...params.gpsPerPractice), options.gps - gps.length);
    for (let k = 0; k < size; k++) {
      const n = gps.length + 1;
      gps.push({
        id: rng.uuid(),
        practiceId: practice.id,
        username: `sim.${tag}.lege${String(n).padStart(3, '0')}`,
        displayName: `Lege ${String(n).padStart(3, '0')} (simulert, seed ${options.seed})`,
        // 9 digits in a range no real HPR number uses here: 8, then seed and GP number.
        hprNumber: `8${String(options.seed % 10000).padStart(4, '0')}${String(n).padStart(4, '0')}`,
        effects: {
          recommendation: params.recommendation.gpSd * rng.normal(),
          start: params.start.gpSd * rng.normal(),
          recovery: params.recovery.gpSd * rng.normal(),
        },
      });
    }
  }

  const serials = new Map<string, number>();
  const patients: SimPatient[] = [];
  for (let i = 0; i < options.patients; i++) {
    // Every GP gets patients (the first round), the rest at random.
    const gp = i < gps.length ? gps[i]! : gps[rng.int(0, gps.length - 1)]!;
    const sex = rng.bernoulli(0.6) ? 'female' : 'male';
    const birthYear = end.getUTCFullYear() - rng.int(18, 75);
    const birthDate = `${birthYear}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
    const serialKey = `${birthDate}/${sex}`;
    const serial = serials.get(serialKey) ?? 0;
    serials.set(serialKey, serial + 1);
    const first = (sex === 'female' ? FEMALE : MALE)[rng.int(0, 9)]!;
    const createdAt = new Date(end.getTime() - 730 * DAY);
    const declined = rng.bernoulli(params.educationDeclined);
    const answer = declined ? null : rng.pick<EducationGroup>(params.educationShares);
    const workStatus = WORK_STATUSES[rng.int(0, WORK_STATUSES.length - 1)]!;
    const recommendationProbability = logistic(params.recommendation.intercept + gp.effects.recommendation);
    const id = rng.uuid();
    const recommended = rng.bernoulli(recommendationProbability);
    const course = recommended
      ? simulateCourse(rng, params, { gp, end, education: answer, workStatus })
      : null;
    const userId = course?.invitation.usedAt ? rng.uuid() : null;
    patients.push({
      id,
      userId,
      username: userId ? `sim.${tag}.p${String(i + 1).padStart(5, '0')}` : null,
      gpId: gp.id,
      practiceId: gp.practiceId,
      displayName: `${first} ${SURNAMES[rng.int(0, 9)]!} (simulert)`,
      sex,
      birthYear,
      // Serials from FIRST_SERIAL: the demo practice uses the low ones, so the two never collide.
      nationalId: syntheticFodselsnummer(birthDate, sex, FIRST_SERIAL + serial),
      birthDate,
      listedFrom: createdAt.toISOString().slice(0, 10),
      createdAt,
      // Asked once when the patient came on the list (a simulation assumption: so that education
      // is known for patients who never log in too, as the planted start model needs).
      education: { answer, answeredAt: new Date(createdAt.getTime() + rng.int(1, 60) * DAY) },
      workStatus,
      recommendationProbability,
      course,
    });
  }
  return { runId, seed: options.seed, end, practices, gps, patients };
}

/** A time on a working day's hours, `days` days after `from`. */
function at(from: Date, days: number, rng: Rng): Date {
  const d = new Date(from.getTime() + days * DAY);
  d.setUTCHours(rng.int(7, 14), rng.int(0, 59), 0, 0);
  return d;
}

const clamp = (x: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, Math.round(x)));

/** Spreads a total over `count` items of 0..max each. */
function itemsFor(total: number, count: number, max: number, rng: Rng): number[] {
  const items = new Array<number>(count).fill(0);
  let remaining = Math.min(total, count * max);
  while (remaining > 0) {
    const i = rng.int(0, count - 1);
    if (items[i]! < max) {
      items[i]! += 1;
      remaining -= 1;
    }
  }
  return items;
}

function simulateCourse(
  rng: Rng,
  params: SimulationParameters,
  who: { gp: SimGp; end: Date; education: EducationGroup | null; workStatus: WorkStatus }
): SimCourse {
  const { gp, end } = who;
  const [minDays, maxDays] = params.recommendationWindowDays;
  const recommendedAt = at(end, -rng.int(minDays, maxDays), rng);
  const guidanceLevel = rng.pick<'guided' | 'minimal' | 'self'>(params.guidanceShares);
  const startProbability = logistic(
    params.start.intercept + params.start.education[who.education ?? 'declined'] + gp.effects.start
  );
  const starts = rng.bernoulli(startProbability);
  const usedAt = starts
    ? new Date(recommendedAt.getTime() + rng.int(1, 7) * DAY + rng.int(1, 8) * 3600_000)
    : null;
  const invitation = {
    id: rng.uuid(),
    codeHash: rng.uuid().replace(/-/g, ''),
    createdAt: recommendedAt,
    expiresAt: new Date(recommendedAt.getTime() + 30 * DAY),
    usedAt: usedAt && usedAt < end ? usedAt : null,
  };
  const startedAt = invitation.usedAt;

  // Scores: a case at the start (or not), the planted recovery for a finished course.
  const isCase = rng.bernoulli(params.casenessAtStart);
  const phqCut = TALKING_THERAPIES_RULES.phq9.caseness;
  const gadCut = TALKING_THERAPIES_RULES.gad7.caseness;
  const phqStart = isCase ? rng.int(phqCut, 22) : rng.int(4, phqCut - 1);
  const gadStart = isCase ? clamp(phqStart * 0.75 + 2 * rng.normal(), 0, 21) : rng.int(1, gadCut - 1);
  const wsasStart = clamp(phqStart * 1.2 + 3 * rng.normal(), 0, 40);

  // Modules: each started one is gone on from with a fixed probability.
  let wouldComplete = 0;
  if (startedAt) {
    wouldComplete = 1;
    while (wouldComplete < MODULE_IDS.length && rng.bernoulli(params.moduleContinuation)) wouldComplete++;
    // The last module reached may be left unfinished by one who stops.
    if (wouldComplete < MODULE_IDS.length && rng.bernoulli(0.5)) wouldComplete -= 1;
  }
  const modules: SimCourse['modules'] = [];
  if (startedAt) {
    for (let k = 0; k < MODULE_IDS.length; k++) {
      const moduleStart = new Date(startedAt.getTime() + (k * 14 + rng.int(0, 2)) * DAY);
      if (moduleStart >= end) break;
      const completedAt = new Date(moduleStart.getTime() + rng.int(3, 10) * DAY + rng.int(0, 6) * 3600_000);
      const completes = k < wouldComplete && completedAt < end;
      modules.push({
        moduleId: MODULE_IDS[k]!,
        startedAt: moduleStart,
        completedAt: completes ? completedAt : null,
      });
      if (!completes) break;
    }
  }
  const completed = modules.filter((m) => m.completedAt);
  const finished = completed.length === MODULE_IDS.length;
  const finishedAt = finished ? completed[completed.length - 1]!.completedAt : null;
  const lastActivity = modules.length
    ? (modules[modules.length - 1]!.completedAt ?? modules[modules.length - 1]!.startedAt)
    : startedAt;
  const stoppedForGood = !finished && wouldComplete < MODULE_IDS.length;
  const status: SimCourse['status'] = !startedAt
    ? 'recommended'
    : finished
      ? 'finished'
      : stoppedForGood && lastActivity && lastActivity.getTime() + 28 * DAY < end.getTime()
        ? 'stopped'
        : 'active';

  const recoveryProbability =
    finished && isCase ? logistic(params.recovery.intercept + gp.effects.recovery) : null;
  // Drawn for every course so the stream does not depend on the outcome; used where it applies.
  const recoveredDraw = rng.bernoulli(recoveryProbability ?? 0.4);
  const recovery = recoveryProbability === null ? null : recoveredDraw;
  const improves = recovery ?? recoveredDraw;
  const phqEnd = improves ? rng.int(2, phqCut - 1) : rng.int(phqCut, Math.max(phqCut, phqStart + 2));
  const gadEnd = improves ? rng.int(1, gadCut - 1) : clamp(phqEnd * 0.75 + 2 * rng.normal(), 0, 21);
  const wsasEnd = clamp(phqEnd * 1.2 + 3 * rng.normal(), 0, 40);

  const measurements: SimMeasurement[] = [];
  const measure = (instrument: Instrument, answeredAt: Date, total: number, byGp: boolean) => {
    const items =
      instrument === 'phq9'
        ? [...itemsFor(total, 8, 3, rng), 0]
        : instrument === 'gad7'
          ? itemsFor(total, 7, 3, rng)
          : itemsFor(total, 5, 8, rng);
    measurements.push({
      id: rng.uuid(),
      instrument,
      answeredAt,
      byGp,
      items,
      total: items.reduce((s, v) => s + v, 0),
      workStatus: instrument === 'wsas' ? who.workStatus : null,
    });
  };
  // Baseline in the GP's office, at the recommendation (PHQ-9 at most 24: item 9 is always 0 here).
  measure('phq9', recommendedAt, Math.min(phqStart, 24), true);
  measure('gad7', new Date(recommendedAt.getTime() + 60_000), gadStart, true);
  measure('wsas', new Date(recommendedAt.getTime() + 120_000), wsasStart, true);
  for (const [k, m] of completed.entries()) {
    const fraction = (k + 1) / MODULE_IDS.length;
    const last = k === MODULE_IDS.length - 1;
    const phq = last ? phqEnd : clamp(phqStart + (phqEnd - phqStart) * fraction + 1.5 * rng.normal(), 0, 24);
    const answeredAt = new Date(m.completedAt!.getTime() + 3600_000);
    measure('phq9', answeredAt, Math.min(phq, 24), false);
    if (k === 2 || last) {
      const gad = last ? gadEnd : clamp(gadStart + (gadEnd - gadStart) * fraction + rng.normal(), 0, 21);
      const wsas = last
        ? wsasEnd
        : clamp(wsasStart + (wsasEnd - wsasStart) * fraction + 2 * rng.normal(), 0, 40);
      measure('gad7', new Date(answeredAt.getTime() + 60_000), gad, false);
      measure('wsas', new Date(answeredAt.getTime() + 120_000), wsas, false);
    }
  }

  // Follow-ups every second week: guided after every module, minimal after the first and last.
  const followUps: SimFollowUp[] = [];
  if (startedAt && guidanceLevel !== 'self') {
    const upTo = Math.min(MODULE_IDS.length, completed.length + 1);
    for (let k = 1; k <= upTo; k++) {
      if (guidanceLevel === 'minimal' && k !== 1 && k !== MODULE_IDS.length) continue;
      const plannedAt = at(startedAt, 14 * k, rng);
      const past = plannedAt < end;
      const afterStop = status === 'stopped' && k > completed.length;
      const missed = rng.bernoulli(0.08);
      const state: SimFollowUp['status'] = !past
        ? 'planned'
        : afterStop
          ? 'cancelled'
          : missed
            ? 'missed'
            : 'done';
      followUps.push({
        id: rng.uuid(),
        moduleId: MODULE_IDS[k - 1]!,
        plannedAt,
        status: state,
        heldAt: state === 'done' ? plannedAt : null,
      });
    }
  }

  return {
    id: rng.uuid(),
    recommendedAt,
    guidanceLevel,
    invitation,
    startedAt,
    modules,
    status,
    finishedAt,
    followUps,
    measurements,
    planted: { startProbability, recovery, recoveryProbability },
  };
}

// ------------------------------------------------------------------------------------------------
// The truth file

export interface SimulationTruth {
  description: string;
  seed: number;
  end: string;
  gps: number;
  practices: number;
  patients: number;
  parameters: SimulationParameters;
  /** Per GP: the planted effects on the logit scale (u_gp), and the GP's counts. */
  gpEffects: {
    gp: string;
    username: string;
    practice: string;
    recommendation: number;
    start: number;
    recovery: number;
    listed: number;
    recommended: number;
    started: number;
  }[];
  /** Realised counts over the network. */
  counts: {
    recommended: number;
    invitationUsed: number;
    started: number;
    finished: number;
    stopped: number;
    active: number;
    recoveryPlanted: number;
    recoveryApplies: number;
    educationDeclined: number;
  };
  /** The SD of the drawn GP effects (sample SD; differs from the planted SD by chance). */
  realisedGpSd: { recommendation: number; start: number; recovery: number };
}

const sampleSd = (xs: readonly number[]) => {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  return Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, xs.length - 1));
};

export function simulationTruth(
  network: SimNetwork,
  parameters: SimulationParameters = SIMULATION_TRUTH
): SimulationTruth {
  const byGp = new Map<string, SimPatient[]>();
  for (const p of network.patients) byGp.set(p.gpId, [...(byGp.get(p.gpId) ?? []), p]);
  const courses = network.patients.flatMap((p) => (p.course ? [p.course] : []));
  return {
    description:
      'Planted truth of a simulated GP-DEP network (npm run platform:simulate). Effects are on the logit scale; ' +
      'each GP effect u_gp is drawn from N(0, gpSd²). See docs/platform-simulate.md.',
    seed: network.seed,
    end: network.end.toISOString(),
    gps: network.gps.length,
    practices: network.practices.length,
    patients: network.patients.length,
    parameters,
    gpEffects: network.gps.map((gp) => {
      const listed = byGp.get(gp.id) ?? [];
      return {
        gp: gp.id,
        username: gp.username,
        practice: gp.practiceId,
        ...gp.effects,
        listed: listed.length,
        recommended: listed.filter((p) => p.course).length,
        started: listed.filter((p) => p.course?.startedAt).length,
      };
    }),
    counts: {
      recommended: courses.length,
      invitationUsed: courses.filter((c) => c.invitation.usedAt).length,
      started: courses.filter((c) => c.startedAt).length,
      finished: courses.filter((c) => c.status === 'finished').length,
      stopped: courses.filter((c) => c.status === 'stopped').length,
      active: courses.filter((c) => c.status === 'active').length,
      recoveryPlanted: courses.filter((c) => c.planted.recovery === true).length,
      recoveryApplies: courses.filter((c) => c.planted.recovery !== null).length,
      educationDeclined: network.patients.filter((p) => p.education.answer === null).length,
    },
    realisedGpSd: {
      recommendation: sampleSd(network.gps.map((g) => g.effects.recommendation)),
      start: sampleSd(network.gps.map((g) => g.effects.start)),
      recovery: sampleSd(network.gps.map((g) => g.effects.recovery)),
    },
  };
}
