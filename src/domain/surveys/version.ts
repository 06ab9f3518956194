/**
 * Questionnaire versions: a canonical content fingerprint, and the rule that once a version has
 * been fielded (anyone could have answered it), any change to its content needs a new `version`,
 * so every stored response keeps meaning what the respondent saw.
 *
 * Fingerprint: SHA-256 (hex) of the questionnaire's canonical JSON — object keys sorted by code
 * unit, no whitespace, undefined members dropped, arrays in order — without the administrative
 * elements that do not change what a respondent sees or what an answer means (`id`, `meta`,
 * `text` (narrative), `version`, `status`, `date`, `publisher`, `contact`, `experimental`,
 * `approvalDate`, `lastReviewDate`, `effectivePeriod`). Fingerprint the assembled form (what
 * respondents see); for a modular form whose imports are pinned (`url|version`, which the
 * validator requires) the root's fingerprint changes whenever an import's version does.
 *
 * Why a pure SHA-256 and not node:crypto or Web Crypto: the domain runs in the browser too (the
 * researcher's page can show "this edit needs a new version" before saving), node:crypto is not
 * there, and `crypto.subtle` is asynchronous and missing outside secure contexts. The
 * implementation (FIPS 180-4) is checked against node:crypto in the tests; questionnaires are
 * small, so speed does not matter.
 *
 * Pure module: no I/O.
 */
import type { Questionnaire } from 'fhir/r4.js';

// ---- SHA-256 (FIPS 180-4) --------------------------------------------------------------------

const PRIMES = (() => {
  const out: number[] = [];
  for (let n = 2; out.length < 64; n++) if (out.every((p) => n % p !== 0)) out.push(n);
  return out;
})();
/** First 32 bits of the fractional part of x (x < 2^20, so a double holds them exactly enough). */
const frac32 = (x: number) => Math.floor((x - Math.floor(x)) * 0x100000000) >>> 0;
/** Round constants: cube roots of the first 64 primes; initial hash: square roots of the first 8. */
const K = Uint32Array.from(PRIMES, (p) => frac32(Math.cbrt(p)));
const H0 = Uint32Array.from(PRIMES.slice(0, 8), (p) => frac32(Math.sqrt(p)));

const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));

/** SHA-256 of a byte string, as lowercase hex. */
export function sha256Bytes(bytes: Uint8Array): string {
  const length = bytes.length;
  const padded = new Uint8Array((((length + 9 + 63) >>> 6) << 6) >>> 0);
  padded.set(bytes);
  padded[length] = 0x80;
  const view = new DataView(padded.buffer);
  // Message length in bits as a 64-bit big-endian integer.
  view.setUint32(padded.length - 8, Math.floor(length / 0x20000000));
  view.setUint32(padded.length - 4, (length * 8) >>> 0);

  const h = Uint32Array.from(H0);
  const w = new Uint32Array(64);
  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let t = 0; t < 16; t++) w[t] = view.getUint32(offset + t * 4);
    for (let t = 16; t < 64; t++) {
      const a = w[t - 15]!;
      const b = w[t - 2]!;
      const s0 = rotr(a, 7) ^ rotr(a, 18) ^ (a >>> 3);
      const s1 = rotr(b, 17) ^ rotr(b, 19) ^ (b >>> 10);
      w[t] = (w[t - 16]! + s0 + w[t - 7]! + s1) >>> 0;
    }
    let [a, b, c, d, e, f, g, hh] = [h[0]!, h[1]!, h[2]!, h[3]!, h[4]!, h[5]!, h[6]!, h[7]!];
    for (let t = 0; t < 64; t++) {
      const S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
      const ch = (e & f) ^ (~e & g);
      const t1 = (hh + S1 + ch + K[t]! + w[t]!) >>> 0;
      const S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) >>> 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) >>> 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) >>> 0;
    }
    h[0] = (h[0]! + a) >>> 0;
    h[1] = (h[1]! + b) >>> 0;
    h[2] = (h[2]! + c) >>> 0;
    h[3] = (h[3]! + d) >>> 0;
    h[4] = (h[4]! + e) >>> 0;
    h[5] = (h[5]! + f) >>> 0;
    h[6] = (h[6]! + g) >>> 0;
    h[7] = (h[7]! + hh) >>> 0;
  }
  return Array.from(h, (x) => x.toString(16).padStart(8, '0')).join('');
}

/** SHA-256 of a string's UTF-8 bytes, as lowercase hex. */
export function sha256Hex(text: string): string {
  return sha256Bytes(new TextEncoder().encode(text));
}

// ---- Canonical JSON and the fingerprint ------------------------------------------------------

/** JSON with object keys sorted, no whitespace and undefined members dropped (arrays keep their order). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Elements that describe a questionnaire rather than make it up; left out of the fingerprint. */
export const ADMINISTRATIVE_ELEMENTS = [
  'id',
  'meta',
  'text',
  'version',
  'status',
  'date',
  'publisher',
  'contact',
  'experimental',
  'approvalDate',
  'lastReviewDate',
  'effectivePeriod',
] as const;

/** The fingerprint of what a questionnaire asks and how (see the module comment). */
export function contentFingerprint(questionnaire: Questionnaire): string {
  const content: Record<string, unknown> = { ...questionnaire };
  for (const key of ADMINISTRATIVE_ELEMENTS) {
    delete content[key];
    delete content[`_${key}`];
  }
  return sha256Hex(canonicalJson(content));
}

// ---- The version rule -----------------------------------------------------------------------

export interface StoredVersion {
  version: string;
  fingerprint: string;
  /** Sent to anyone (an invitation, a waiting-room link): from then on its content is fixed. */
  fielded: boolean;
}

export type VersionDecision =
  /** The same content under the same version: nothing to store. */
  | { allowed: true; action: 'unchanged'; version: string }
  /** A version nobody has been sent yet: its content may still be edited in place. */
  | { allowed: true; action: 'replace-draft'; version: string }
  /** A version string not used before. `sameContentAs` names an earlier version with this very content. */
  | { allowed: true; action: 'create'; version: string; sameContentAs?: string }
  | {
      allowed: false;
      reason: 'fielded-version-changed' | 'version-not-later';
      version: string;
      message: string;
      suggestedVersion: string;
    };

const numericParts = (version: string): number[] | undefined =>
  /^\d+(\.\d+)*$/.test(version) ? version.split('.').map(Number) : undefined;

/**
 * Orders dotted numeric versions ("1.10.0" after "1.9.2"; a missing part counts as 0). Undefined
 * when either is not dotted numeric: then no order is assumed.
 */
export function compareVersions(a: string, b: string): number | undefined {
  const x = numericParts(a);
  const y = numericParts(b);
  if (x === undefined || y === undefined) return undefined;
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/**
 * A version after `latest`: semantic versions get the next minor ("1.0.0" → "1.1.0"), other dotted
 * numbers their last part + 1 ("3" → "4", "2.4" → "2.5"), anything else "-2", "-3", … appended.
 */
export function nextVersion(latest: string, taken: readonly string[] = []): string {
  const parts = numericParts(latest);
  let candidate: string;
  if (parts !== undefined && parts.length === 3) candidate = `${parts[0]}.${parts[1]! + 1}.0`;
  else if (parts !== undefined) candidate = [...parts.slice(0, -1), parts[parts.length - 1]! + 1].join('.');
  else {
    let n = 2;
    while (taken.includes(`${latest}-${n}`)) n++;
    candidate = `${latest}-${n}`;
  }
  return taken.includes(candidate) ? nextVersion(candidate, taken) : candidate;
}

/**
 * The latest of the stored versions: the highest dotted number, else (none is one) the last stored.
 * A version that is not a dotted number never displaces a dotted one: it cannot be ordered.
 */
function latestOf(stored: readonly StoredVersion[]): string | undefined {
  const dotted = stored.filter((s) => numericParts(s.version) !== undefined).map((s) => s.version);
  if (dotted.length === 0) return stored.at(-1)?.version;
  return dotted.reduce((best, v) => ((compareVersions(v, best) ?? 0) > 0 ? v : best));
}

/**
 * What saving a questionnaire with this version and fingerprint may do, given the versions stored
 * for the same canonical URL:
 * - same version, same content → unchanged;
 * - same version, other content → allowed only while that version has not been fielded;
 * - a new version → allowed when it orders after every stored one (when both are dotted numbers).
 */
export function decideVersion(
  stored: readonly StoredVersion[],
  candidate: { version: string; fingerprint: string }
): VersionDecision {
  const { version, fingerprint } = candidate;
  const taken = stored.map((s) => s.version);
  const latest = latestOf(stored);
  const suggestedVersion = nextVersion(latest ?? version, taken);
  const existing = stored.find((s) => s.version === version);
  if (existing !== undefined) {
    if (existing.fingerprint === fingerprint) return { allowed: true, action: 'unchanged', version };
    if (!existing.fielded) return { allowed: true, action: 'replace-draft', version };
    return {
      allowed: false,
      reason: 'fielded-version-changed',
      version,
      suggestedVersion,
      message: `version "${version}" has been fielded and its content has changed: save it as a new version (e.g. "${suggestedVersion}"), so the answers already given keep the questions they answered`,
    };
  }
  const behind = stored.find((s) => (compareVersions(version, s.version) ?? 1) < 0);
  if (behind !== undefined) {
    return {
      allowed: false,
      reason: 'version-not-later',
      version,
      suggestedVersion,
      message: `version "${version}" comes before the stored version "${behind.version}": a new version must come after every earlier one (e.g. "${suggestedVersion}")`,
    };
  }
  const same = stored.find((s) => s.fingerprint === fingerprint);
  return {
    allowed: true,
    action: 'create',
    version,
    ...(same === undefined ? {} : { sameContentAs: same.version }),
  };
}
