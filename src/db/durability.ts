/**
 * Which PostgreSQL settings make an acknowledged write survive a crash (issue 10, item 8). A
 * server that answers "saved" must mean it: with `fsync` off a power cut can corrupt the whole
 * cluster, with `full_page_writes` off a torn page cannot be repaired, and with
 * `synchronous_commit` off the last commits are lost on a crash although the client was told they
 * were saved. (`local`, `remote_write`, `remote_apply` and `on` all wait for the local flush.)
 * Test clusters turn these off for speed; production refuses to start with them.
 */

export interface DurabilitySettings {
  fsync: string;
  synchronous_commit: string;
  full_page_writes: string;
}

export const DURABILITY_SETTINGS = ['fsync', 'synchronous_commit', 'full_page_writes'] as const;

/** Each unsafe setting with its value; empty when the server is safe to use. */
export function unsafeDurabilitySettings(settings: DurabilitySettings): { name: string; value: string }[] {
  const unsafe: { name: string; value: string }[] = [];
  if (settings.fsync.toLowerCase() !== 'on') unsafe.push({ name: 'fsync', value: settings.fsync });
  if (settings.synchronous_commit.toLowerCase() === 'off') {
    unsafe.push({ name: 'synchronous_commit', value: settings.synchronous_commit });
  }
  if (settings.full_page_writes.toLowerCase() !== 'on') {
    unsafe.push({ name: 'full_page_writes', value: settings.full_page_writes });
  }
  return unsafe;
}

export function durabilityMessage(unsafe: readonly { name: string; value: string }[]): string {
  return (
    `PostgreSQL would lose acknowledged writes on a crash: ${unsafe.map((u) => `${u.name}=${u.value}`).join(', ')}. ` +
    'Set them on in postgresql.conf (fsync=on, synchronous_commit=on, full_page_writes=on), or, for ' +
    'a throwaway test database only, start with GPDEP_ALLOW_UNSAFE_DURABILITY=1.'
  );
}
