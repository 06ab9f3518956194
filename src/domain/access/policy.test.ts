import { describe, expect, it } from 'vitest';
import {
  decidePatientAccess,
  decideRouteAccess,
  GUIDANCE_RELATIONS,
  GUIDANCE_STAFF_RELATIONS,
  ROLES,
  TREATING_GP_RELATIONS,
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

describe('guides (issue 17)', () => {
  const withGuide: PatientAccessFacts = { ...facts, assignedGuideUserIds: ['guide-1'] };

  it('gives an assigned guide the guidance relations only (basis assigned_guide)', () => {
    expect(decidePatientAccess(actor('guide'), GUIDANCE_RELATIONS, withGuide)).toEqual({
      allowed: true,
      basis: 'assigned_guide',
    });
    expect(decidePatientAccess(actor('guide'), GUIDANCE_STAFF_RELATIONS, withGuide)).toEqual({
      allowed: true,
      basis: 'assigned_guide',
    });
  });

  it('keeps GP-only acts away from a guide, assigned or not', () => {
    expect(TREATING_GP_RELATIONS).not.toContain('assigned_guide');
    expect(decidePatientAccess(actor('guide'), TREATING_GP_RELATIONS, withGuide)).toEqual({
      allowed: false,
      reason: 'no_relation',
    });
  });

  it('refuses a guide who is not assigned, and a GP or patient claiming the guide relation', () => {
    expect(decidePatientAccess(actor('guide', 'guide-2'), GUIDANCE_RELATIONS, withGuide).allowed).toBe(false);
    expect(decidePatientAccess(actor('guide'), GUIDANCE_RELATIONS, facts).allowed).toBe(false);
    expect(decidePatientAccess(actor('gp', 'guide-1'), ['assigned_guide'], withGuide).allowed).toBe(false);
  });

  it('lets the patient and every treating GP relation into guidance', () => {
    expect(GUIDANCE_RELATIONS).toEqual([
      'self',
      'gp_list',
      'absence_cover',
      'urgent_escalation',
      'emergency_access',
      'assigned_guide',
    ]);
    expect(decidePatientAccess(actor('patient'), GUIDANCE_RELATIONS, withGuide).allowed).toBe(true);
    expect(decidePatientAccess(actor('gp'), GUIDANCE_RELATIONS, withGuide)).toEqual({
      allowed: true,
      basis: 'gp_list',
    });
  });
});
