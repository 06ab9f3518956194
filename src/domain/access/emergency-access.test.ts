import { describe, expect, it } from 'vitest';
import { decideEmergencyAccess, EMERGENCY_ACCESS_HOURS } from './emergency-access.js';
import { decidePatientAccess } from './policy.js';

const now = new Date('2026-12-05T10:00:00Z');
const gp = { role: 'gp', practiceId: 'practice-a' };
const note = 'Pasienten ringte i krise, fastlegen er borte.';

describe('breaking the glass', () => {
  it('lets a GP of the patient’s practice in for the fixed time, with a note', () => {
    expect(decideEmergencyAccess({ actor: gp, patientPracticeId: 'practice-a', note, now })).toEqual({
      allowed: true,
      endsAt: new Date(now.getTime() + EMERGENCY_ACCESS_HOURS * 3600_000),
    });
  });

  it('refuses another practice, another role and an empty note', () => {
    expect(decideEmergencyAccess({ actor: gp, patientPracticeId: 'practice-b', note, now })).toEqual({
      allowed: false,
      reason: 'other_practice',
    });
    expect(
      decideEmergencyAccess({
        actor: { role: 'gp', practiceId: null },
        patientPracticeId: 'practice-a',
        note,
        now,
      })
    ).toMatchObject({ reason: 'other_practice' });
    expect(
      decideEmergencyAccess({
        actor: { role: 'admin', practiceId: 'practice-a' },
        patientPracticeId: 'practice-a',
        note,
        now,
      })
    ).toMatchObject({ reason: 'not_gp' });
    expect(
      decideEmergencyAccess({ actor: gp, patientPracticeId: 'practice-a', note: '   kort    ', now })
    ).toMatchObject({ reason: 'note_too_short' });
  });

  it('gives access only on routes that accept it, and only to the GP who broke the glass', () => {
    const facts = {
      patientId: 'p',
      userId: null,
      activeGpUserIds: ['gp-1'],
      emergencyAccessGpUserIds: ['gp-2'],
    };
    const gp2 = { userId: 'gp-2', role: 'gp' as const, displayName: 'GP 2', practiceId: 'practice-a' };
    const gp3 = { ...gp2, userId: 'gp-3' };
    expect(decidePatientAccess(gp2, ['gp_list', 'emergency_access'], facts)).toEqual({
      allowed: true,
      basis: 'emergency_access',
    });
    expect(decidePatientAccess(gp2, ['gp_list'], facts)).toMatchObject({ allowed: false });
    expect(decidePatientAccess(gp3, ['gp_list', 'emergency_access'], facts)).toMatchObject({
      allowed: false,
    });
  });
});
