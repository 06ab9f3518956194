import { describe, expect, it } from 'vitest';
import { CRISIS_RESOURCES } from './crisis-resources.js';

describe('crisis resources', () => {
  it('lists the four Norwegian numbers exactly, each dialable', () => {
    expect(CRISIS_RESOURCES.map((r) => [r.display, r.dial])).toEqual([
      ['113', '113'],
      ['116 117', '116117'],
      ['116 123', '116123'],
      ['22 40 00 40', '22400040'],
    ]);
    for (const r of CRISIS_RESOURCES) expect(r.display.replace(/ /g, '')).toBe(r.dial);
  });

  it('never grades risk in its words', () => {
    expect(JSON.stringify(CRISIS_RESOURCES)).not.toMatch(/risk|risiko/i);
  });
});
