/**
 * Norwegian person and health-personnel identifiers, as the FHIR API and the logins use them.
 *
 * - Fødselsnummer (and d-nummer): 11 digits, DDMMYY + individual number (3) + two mod-11 check
 *   digits (weights 3,7,6,1,8,9,4,5,2 and 5,4,3,2,7,6,5,4,3,2; Skatteetaten). A d-nummer adds 40 to
 *   the day. Synthetic test numbers add 40 (NAV's Dolly) or 80 (Skatteetaten's Tenor) to the month,
 *   so they can never collide with a real person's number: this platform only ever makes Tenor-style
 *   synthetic numbers (its data are synthetic, README). From 2032 new numbers get a new check rule;
 *   that is not needed before then and is not accepted here.
 * - HPR number (Helsepersonellregisteret): digits only, up to 9; no check digit.
 *
 * FHIR naming systems (HL7 Norway no-basis): fødselsnummer `urn:oid:2.16.578.1.12.4.1.4.1`,
 * d-nummer `urn:oid:2.16.578.1.12.4.1.4.2`, HPR number `urn:oid:2.16.578.1.12.4.1.4.4`.
 */

export const FODSELSNUMMER_SYSTEM = 'urn:oid:2.16.578.1.12.4.1.4.1';
export const DNUMMER_SYSTEM = 'urn:oid:2.16.578.1.12.4.1.4.2';
export const HPR_SYSTEM = 'urn:oid:2.16.578.1.12.4.1.4.4';

const WEIGHTS_1 = [3, 7, 6, 1, 8, 9, 4, 5, 2] as const;
const WEIGHTS_2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2] as const;

function checkDigit(digits: readonly number[], weights: readonly number[]): number | null {
  const sum = weights.reduce((acc, w, i) => acc + w * (digits[i] as number), 0);
  const rest = 11 - (sum % 11);
  if (rest === 11) return 0;
  if (rest === 10) return null; // no valid number has this stem
  return rest;
}

export type PersonNumberKind = 'fodselsnummer' | 'dnummer';

export interface ParsedPersonNumber {
  kind: PersonNumberKind;
  /** Made for testing (month + 40 or + 80): never a real person. */
  synthetic: boolean;
  birthDate: string;
}

/** Why a string is not a valid person number, or null when it is one. */
export function personNumberProblem(value: string): string | null {
  if (!/^\d{11}$/.test(value)) return 'must be 11 digits';
  const parsed = parsePersonNumber(value);
  return parsed ? null : 'is not a valid fødselsnummer or d-nummer (date or check digits)';
}

/** The number's kind and birth date, or null if its date or check digits are wrong. */
export function parsePersonNumber(value: string): ParsedPersonNumber | null {
  if (!/^\d{11}$/.test(value)) return null;
  const d = [...value].map(Number);
  const k1 = checkDigit(d.slice(0, 9), WEIGHTS_1);
  if (k1 === null || k1 !== d[9]) return null;
  const k2 = checkDigit(d.slice(0, 10), WEIGHTS_2);
  if (k2 === null || k2 !== d[10]) return null;
  let day = Number(value.slice(0, 2));
  let month = Number(value.slice(2, 4));
  const yy = Number(value.slice(4, 6));
  const individual = Number(value.slice(6, 9));
  const kind: PersonNumberKind = day > 40 ? 'dnummer' : 'fodselsnummer';
  if (kind === 'dnummer') day -= 40;
  let synthetic = false;
  if (month > 80) {
    month -= 80;
    synthetic = true;
  } else if (month > 40) {
    month -= 40;
    synthetic = true;
  }
  const year = centuryOf(individual, yy);
  if (year === null) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return null;
  }
  return { kind, synthetic, birthDate: date.toISOString().slice(0, 10) };
}

/** The century from the individual number's series (Skatteetaten's table). */
function centuryOf(individual: number, yy: number): number | null {
  if (individual <= 499) return 1900 + yy;
  if (individual <= 749 && yy >= 54) return 1800 + yy;
  if (individual >= 900 && yy >= 40) return 1900 + yy;
  if (individual >= 500 && yy <= 39) return 2000 + yy;
  return null;
}

/**
 * A synthetic fødselsnummer (Tenor style: month + 80) for a birth date and sex, the `serial`-th
 * valid one of that date and sex; the same arguments always give the same number. Individual
 * numbers run up from the start of the date's series; women get even, men odd third digits.
 */
export function syntheticFodselsnummer(birthDate: string, sex: 'female' | 'male', serial = 0): string {
  const [year, month, day] = birthDate.split('-').map(Number) as [number, number, number];
  const yy = year % 100;
  const start = year >= 2000 ? 500 : 0;
  let found = 0;
  for (let individual = start; individual < start + 500; individual++) {
    if ((individual % 2 === 0) !== (sex === 'female')) continue;
    const stem = `${pad(day)}${pad(month + 80)}${pad(yy)}${String(individual).padStart(3, '0')}`;
    const digits = [...stem].map(Number);
    const k1 = checkDigit(digits, WEIGHTS_1);
    if (k1 === null) continue;
    const k2 = checkDigit([...digits, k1], WEIGHTS_2);
    if (k2 === null) continue;
    if (found++ === serial) return `${stem}${k1}${k2}`;
  }
  throw new Error(`No synthetic fødselsnummer number ${serial} for ${birthDate} (${sex})`);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Why a string is not an HPR number, or null when it is one. */
export function hprNumberProblem(value: string): string | null {
  return /^\d{1,9}$/.test(value) ? null : 'must be an HPR number: 1 to 9 digits';
}
