import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  hprNumberProblem,
  parsePersonNumber,
  personNumberProblem,
  syntheticFodselsnummer,
} from './norwegian-ids.js';

describe('fødselsnummer', () => {
  it('accepts numbers whose check digits were worked out by hand', () => {
    // 010101 + 500 (2001): k1 = 11 - (0+7+0+1+0+9+20+0+0) mod 11 = 11 - 4 = 7;
    // k2 = 11 - (0+4+0+2+0+6+25+0+0+14) mod 11 = 11 - 7 = 4.
    expect(parsePersonNumber('01010150074')).toEqual({
      kind: 'fodselsnummer',
      synthetic: false,
      birthDate: '2001-01-01',
    });
  });

  it('refuses a wrong check digit, a wrong length and an impossible date, naming why', () => {
    expect(personNumberProblem('01010150075')).toMatch(/check digits/);
    expect(personNumberProblem('0101015007')).toBe('must be 11 digits');
    expect(personNumberProblem('0101015007a')).toBe('must be 11 digits');
    // 31 February does not exist, whatever the check digits say
    expect(parsePersonNumber('31020000000')).toBeNull();
  });

  it('makes synthetic numbers (month + 80) that validate, keep the date and sex, and never repeat', () => {
    const date = fc
      .date({ min: new Date('1900-01-01'), max: new Date('2039-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(date, fc.constantFrom('female', 'male' as const), fc.nat(20), (birthDate, sex, serial) => {
        const fnr = syntheticFodselsnummer(birthDate, sex, serial);
        const parsed = parsePersonNumber(fnr);
        expect(parsed).toEqual({ kind: 'fodselsnummer', synthetic: true, birthDate });
        expect(Number(fnr[8]) % 2 === 0).toBe(sex === 'female');
        expect(Number(fnr.slice(2, 4))).toBeGreaterThan(80);
        expect(syntheticFodselsnummer(birthDate, sex, serial + 1)).not.toBe(fnr);
      })
    );
  });

  it('reads a d-nummer (day + 40)', () => {
    const fnr = syntheticFodselsnummer('1985-03-07', 'male');
    // Turn the day into a d-nummer day and recompute the check digits by search over the stem.
    const stem = `47${fnr.slice(2, 9)}`;
    let found: string | null = null;
    for (let k = 0; k < 100 && !found; k++) {
      const candidate = `${stem}${String(k).padStart(2, '0')}`;
      if (parsePersonNumber(candidate)) found = candidate;
    }
    expect(found && parsePersonNumber(found)).toMatchObject({ kind: 'dnummer', birthDate: '1985-03-07' });
  });
});

describe('HPR number', () => {
  it('is 1 to 9 digits', () => {
    expect(hprNumberProblem('9144889')).toBeNull();
    expect(hprNumberProblem('1234567890')).toMatch(/1 to 9 digits/);
    expect(hprNumberProblem('12a')).toMatch(/1 to 9 digits/);
    expect(hprNumberProblem('')).toMatch(/1 to 9 digits/);
  });
});
