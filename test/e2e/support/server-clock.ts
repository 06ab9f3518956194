/**
 * Moves the suite's server through time (TEST_CLOCK_FILE, see src/server/test-clock.ts), for
 * journeys that need "a week later": the next module opening, an urgent case past its deadline.
 * The browser files run one at a time, so a test that moves the clock must put it back in a
 * `finally`. Sessions expire as they would: after a move, log in again.
 */
import { writeFileSync } from 'node:fs';
import { inject } from 'vitest';

let offsetMs = 0;

export function moveServerClock(ms: number): void {
  offsetMs += ms;
  writeFileSync(inject('clockFile'), String(offsetMs));
}

export function moveServerClockDays(days: number): void {
  moveServerClock(days * 86_400_000);
}

/** The server's current time, as it sees it. */
export function serverNow(): Date {
  return new Date(Date.now() + offsetMs);
}

export function resetServerClock(): void {
  offsetMs = 0;
  writeFileSync(inject('clockFile'), '0');
}
