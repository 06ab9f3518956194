import { describe, expect, it } from 'vitest';
import {
  decidePatientAccess,
  decideRouteAccess,
  ROLES,
  type Actor,
  type PatientAccessFacts,
} from './policy.js';

const actor = (role: Actor['role'], userId = `${role}-1`): Actor => ({
  userId,
  role,
  displayName: role,
  practiceId: null,
});
const facts: PatientAccessFacts = { patientId: 'p1', userId: 'patient-1', activeGpUserIds: ['gp-1'] };

describe('access policy', () => {
  it('lets nobody in without a session on a non-public route', () => {
    expect(decideRouteAccess(null, { roles: ROLES })).toEqual({ allowed: false, reason: 'unauthenticated' });
    expect(decideRouteAccess(null, { public: true })).toEqual({ allowed: true, basis: 'public' });
  });

  it('refuses roles a route does not name', () => {
    expect(decideRouteAccess(actor('researcher'), { roles: ['gp'] })).toEqual({
      allowed: false,
      reason: 'role',
    });
  });

  it('gives a patient their own data only (basis self)', () => {
    expect(decidePatientAccess(actor('patient'), ['self', 'gp_list'], facts)).toEqual({
      allowed: true,
      basis: 'self',
    });
    expect(decidePatientAccess(actor('patient', 'patient-2'), ['self', 'gp_list'], facts).allowed).toBe(
      false
    );
  });

  it('gives a GP only patients on their list today (basis gp_list)', () => {
    expect(decidePatientAccess(actor('gp'), ['self', 'gp_list'], facts)).toEqual({
      allowed: true,
      basis: 'gp_list',
    });
    expect(decidePatientAccess(actor('gp', 'gp-2'), ['self', 'gp_list'], facts).allowed).toBe(false);
    expect(decidePatientAccess(actor('gp'), ['self'], facts).allowed).toBe(false);
  });

  it('never gives a researcher or an admin a patient, whatever the route says', () => {
    for (const role of ['researcher', 'admin'] as const) {
      const sneaky = { ...facts, userId: `${role}-1`, activeGpUserIds: [`${role}-1`] };
      expect(decidePatientAccess(actor(role), ['self', 'gp_list'], sneaky).allowed).toBe(false);
    }
  });

  it('refuses a patient that does not exist exactly like one that is not yours', () => {
    expect(decidePatientAccess(actor('gp'), ['gp_list'], undefined)).toEqual(
      decidePatientAccess(actor('gp', 'gp-9'), ['gp_list'], facts)
    );
  });
});
