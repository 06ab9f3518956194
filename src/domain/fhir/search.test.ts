import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dateMatches,
  isProblem,
  parseDateCondition,
  parseToken,
  searchsetBundle,
  tokenMatches,
  type DateCondition,
} from './search.js';

const at = (iso: string) => Date.parse(iso);
const cond = (v: string) => parseDateCondition('date', v) as DateCondition;

describe('date parameters (FHIR R4 search, prefixes on a point in time)', () => {
  it('reads a day, a month and a year as the whole period they name', () => {
    expect(dateMatches(at('2026-03-31T23:59:59Z'), cond('2026-03-31'))).toBe(true);
    expect(dateMatches(at('2026-04-01T00:00:00Z'), cond('2026-03-31'))).toBe(false);
    expect(dateMatches(at('2026-02-28T12:00:00Z'), cond('2026-02'))).toBe(true);
    expect(dateMatches(at('2027-01-01T00:00:00Z'), cond('2026'))).toBe(false);
  });

  it('applies each prefix as worked out by hand', () => {
    const t = at('2026-03-31T10:00:00Z');
    expect(dateMatches(t, cond('ge2026-03-31'))).toBe(true);
    expect(dateMatches(t, cond('gt2026-03-31'))).toBe(false); // after the whole day
    expect(dateMatches(t, cond('le2026-03-31'))).toBe(true);
    expect(dateMatches(t, cond('lt2026-03-31'))).toBe(false); // before the day starts
    expect(dateMatches(t, cond('ne2026-03-31'))).toBe(false);
    expect(dateMatches(t, cond('gt2026-03-30'))).toBe(true);
    expect(dateMatches(t, cond('eq2026-03-31T10:00'))).toBe(true);
    expect(dateMatches(t, cond('lt2026-03-31T12:00:00+02:00'))).toBe(false); // 10:00Z = 12:00+02
  });

  it('names the parameter and the reason when a value is no date', () => {
    for (const bad of ['2026-13-01', '2026-02-30', 'xx2026', 'yesterday', '26-01-01']) {
      const result = parseDateCondition('authored', bad);
      expect(isProblem(result), bad).toBe(true);
      expect(result).toMatchObject({ field: 'authored' });
    }
  });

  it('ge and lt of the same day split every instant between them (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }),
        fc.date({ min: new Date('2000-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }),
        (instant, day) => {
          const d = day.toISOString().slice(0, 10);
          const t = instant.getTime();
          expect(dateMatches(t, cond(`ge${d}`))).toBe(!dateMatches(t, cond(`lt${d}`)));
          expect(dateMatches(t, cond(`le${d}`))).toBe(!dateMatches(t, cond(`gt${d}`)));
        }
      )
    );
  });
});

describe('token parameters', () => {
  const loinc = [{ system: 'http://loinc.org', code: '44261-6' }];
  it('matches system|code, code, |code and system|', () => {
    expect(tokenMatches(parseToken('http://loinc.org|44261-6'), loinc)).toBe(true);
    expect(tokenMatches(parseToken('44261-6'), loinc)).toBe(true);
    expect(tokenMatches(parseToken('|44261-6'), loinc)).toBe(false); // it has a system
    expect(tokenMatches(parseToken('http://loinc.org|'), loinc)).toBe(true);
    expect(tokenMatches(parseToken('http://snomed.info/sct|44261-6'), loinc)).toBe(false);
    expect(tokenMatches(parseToken('70274-6,44261-6'), loinc)).toBe(true);
  });
});

describe('paging', () => {
  it('links next and previous so that following them visits every match once (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 100 }), (n, count) => {
        const matches = Array.from({ length: n }, (_, i) => ({
          resourceType: 'Flag' as const,
          id: `f${i}`,
          status: 'active' as const,
          code: {},
          subject: {},
        }));
        const seen: string[] = [];
        let offset = 0;
        for (let guard = 0; guard < 200; guard++) {
          const bundle = searchsetBundle({
            url: 'https://x/fhir/R4/Flag',
            baseUrl: 'https://x/fhir/R4',
            query: [['status', 'active']],
            matches,
            page: { count, offset },
          });
          expect(bundle.total).toBe(n);
          seen.push(...(bundle.entry ?? []).map((e) => e.resource!.id!));
          const next = bundle.link?.find((l) => l.relation === 'next');
          if (!next) break;
          expect(next.url).toContain('status=active');
          offset = Number(new URL(next.url).searchParams.get('_offset'));
        }
        expect(seen).toEqual(matches.map((m) => m.id));
      })
    );
  });
});
