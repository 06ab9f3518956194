import { describe, expect, it } from 'vitest';
import { syntheticFodselsnummer } from '../identifiers/norwegian-ids.js';
import { decideEpjLaunch, type EpjLaunchFacts } from './epj-launch.js';

const fnr = syntheticFodselsnummer('1980-06-15', 'female', 1);
const ok: EpjLaunchFacts = {
  hprNumber: '100000001',
  gp: { userId: 'gp-1', disabled: false },
  personNumber: fnr,
  patient: { patientId: 'patient-1' },
  gpMayOpenPatient: true,
};

describe('a launch from the record system', () => {
  it('opens the patient for the GP when every identity matches and the GP has the patient', () => {
    expect(decideEpjLaunch(ok)).toEqual({ allowed: true, gpUserId: 'gp-1', patientId: 'patient-1' });
  });

  it('refuses with the first thing that does not hold, in order', () => {
    expect(decideEpjLaunch({ ...ok, hprNumber: null, gp: null })).toEqual({
      allowed: false,
      reason: 'no_hpr',
    });
    expect(decideEpjLaunch({ ...ok, gp: null })).toEqual({ allowed: false, reason: 'no_gp' });
    expect(decideEpjLaunch({ ...ok, gp: { userId: 'gp-1', disabled: true } })).toEqual({
      allowed: false,
      reason: 'gp_disabled',
    });
    expect(decideEpjLaunch({ ...ok, personNumber: null })).toMatchObject({ reason: 'no_person_number' });
    // A number with a wrong check digit is no person number, even if a row happened to match it.
    const broken = `${fnr.slice(0, 10)}${(Number(fnr[10]) + 1) % 10}`;
    expect(decideEpjLaunch({ ...ok, personNumber: broken })).toMatchObject({ reason: 'no_person_number' });
    expect(decideEpjLaunch({ ...ok, patient: null })).toMatchObject({ reason: 'no_patient' });
    // Open in the EPJ is not a care relation here: the platform's own rule decides.
    expect(decideEpjLaunch({ ...ok, gpMayOpenPatient: false })).toMatchObject({ reason: 'not_your_patient' });
  });
});
