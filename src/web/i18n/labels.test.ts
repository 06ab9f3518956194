/** A code the catalog has no words for still reads as words, not as an internal identifier. */
import { describe, expect, it } from 'vitest';
import { codeSlug, readableCode } from './labels.js';

describe('codes without catalog words', () => {
  it('are shown without underscores', () => {
    expect(readableCode('absence_cover')).toBe('absence cover');
    expect(readableCode('gp_list')).toBe('gp list');
    expect(readableCode('follow-up card')).toBe('follow-up card');
    expect(readableCode('_')).toBe('_');
  });

  it('are looked up by a slug that survives punctuation', () => {
    expect(codeSlug('account recovery: sessions ended, password cleared')).toBe(
      'account_recovery_sessions_ended_password_cleared'
    );
  });
});
