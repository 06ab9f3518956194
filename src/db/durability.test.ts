import { describe, expect, it } from 'vitest';
import { durabilityMessage, unsafeDurabilitySettings } from './durability.js';

describe('PostgreSQL durability settings', () => {
  const safe = { fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' };

  it('accepts the defaults, and synchronous_commit local or remote_*', () => {
    expect(unsafeDurabilitySettings(safe)).toEqual([]);
    for (const value of ['local', 'remote_write', 'remote_apply'])
      expect(unsafeDurabilitySettings({ ...safe, synchronous_commit: value })).toEqual([]);
  });

  it('names every unsafe setting with its value', () => {
    const unsafe = unsafeDurabilitySettings({
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
    });
    expect(unsafe).toEqual([
      { name: 'fsync', value: 'off' },
      { name: 'synchronous_commit', value: 'off' },
      { name: 'full_page_writes', value: 'off' },
    ]);
    expect(durabilityMessage(unsafe)).toMatch(/fsync=off, synchronous_commit=off, full_page_writes=off/);
  });
});
