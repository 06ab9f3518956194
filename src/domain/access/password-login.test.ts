import { describe, expect, it } from 'vitest';
import { passwordLoginAllowed } from './password-login.js';
import { ROLES } from './policy.js';

describe('password login policy', () => {
  it('all: everyone; staff: everyone but patients; off: nobody', () => {
    for (const role of ROLES) {
      expect(passwordLoginAllowed('all', role)).toBe(true);
      expect(passwordLoginAllowed('staff', role)).toBe(role !== 'patient');
      expect(passwordLoginAllowed('off', role)).toBe(false);
    }
  });
});
