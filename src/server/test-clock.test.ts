import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clockFromEnv } from './test-clock.js';

describe('the server clock', () => {
  it('is the real time unless a test gives TEST_CLOCK_FILE', () => {
    const now = clockFromEnv({})();
    expect(Math.abs(now.getTime() - Date.now())).toBeLessThan(1000);
  });

  it('moves when the test writes an offset, and is refused outside NODE_ENV=test', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gpdep-clock-')), 'offset');
    const clock = clockFromEnv({ TEST_CLOCK_FILE: file, NODE_ENV: 'test' });
    expect(Math.abs(clock().getTime() - Date.now())).toBeLessThan(1000);
    writeFileSync(file, String(7 * 86_400_000));
    expect(Math.abs(clock().getTime() - (Date.now() + 7 * 86_400_000))).toBeLessThan(1000);
    writeFileSync(file, 'next week');
    expect(() => clock()).toThrow(/not whole milliseconds/);
    for (const NODE_ENV of ['production', 'development', undefined])
      expect(() => clockFromEnv({ TEST_CLOCK_FILE: file, NODE_ENV })).toThrow(/NODE_ENV=test/);
  });
});
