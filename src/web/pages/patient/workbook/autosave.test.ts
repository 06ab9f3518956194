import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EntrySaver, sameSnapshot, type EntrySnapshot, type SaveOutcome } from './autosave.js';

class Offline extends Error {}

interface Call {
  snapshot: EntrySnapshot;
  revision: number;
}

/** A fake server with forward-only revisions, which can be switched offline. */
function fakeServer() {
  const calls: Call[] = [];
  let stored: { snapshot: EntrySnapshot; revision: number } | null = null;
  let offline = false;
  let reachButNoAnswer = false;
  const save = vi.fn(async (snapshot: EntrySnapshot, revision: number): Promise<SaveOutcome> => {
    calls.push({ snapshot: structuredClone(snapshot), revision });
    if (offline) throw new Offline('offline');
    if (stored && stored.revision >= revision)
      return { revision: stored.revision, stale: true, stored: stored.snapshot };
    stored = { snapshot: structuredClone(snapshot), revision };
    if (reachButNoAnswer) throw new Offline('answer lost');
    return { revision, stale: false, stored: stored.snapshot };
  });
  return {
    save,
    calls,
    get stored() {
      return stored;
    },
    setStored(value: { snapshot: EntrySnapshot; revision: number }) {
      stored = value;
    },
    setOffline(value: boolean) {
      offline = value;
    },
    setAnswerLost(value: boolean) {
      reachButNoAnswer = value;
    },
  };
}

const text = (value: string): EntrySnapshot => ({ answers: { note: value }, sharedWithGp: false });

function saverFor(server: ReturnType<typeof fakeServer>, initialRevision = 0) {
  return new EntrySaver({
    save: server.save,
    initialRevision,
    isRetryable: (error) => error instanceof Offline,
  });
}

describe('EntrySaver', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits for a pause in typing, then saves the whole entry once with revision 1', async () => {
    const server = fakeServer();
    const saver = saverFor(server);
    saver.update(text('H'));
    saver.update(text('He'));
    await vi.advanceTimersByTimeAsync(500);
    saver.update(text('Hei'));
    expect(saver.getState().status).toBe('pending');
    await vi.advanceTimersByTimeAsync(799);
    expect(server.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.calls).toEqual([{ snapshot: text('Hei'), revision: 1 }]);
    expect(saver.getState().status).toBe('saved');
    expect(saver.hasUnsavedChanges()).toBe(false);
  });

  it('starts above the stored revision of an existing entry', async () => {
    const server = fakeServer();
    server.setStored({ snapshot: text('old'), revision: 7 });
    const saver = saverFor(server, 7);
    saver.update(text('new'), { immediate: true });
    await vi.advanceTimersByTimeAsync(1);
    expect(server.calls.map((c) => c.revision)).toEqual([8]);
    expect(server.stored?.snapshot).toEqual(text('new'));
  });

  it('offline: keeps the text, retries with the same revision, and with a higher one after more typing', async () => {
    const server = fakeServer();
    const saver = saverFor(server);
    saver.update(text('first'));
    await vi.advanceTimersByTimeAsync(800);
    expect(saver.getState().status).toBe('saved');

    server.setOffline(true);
    saver.update(text('first second'));
    await vi.advanceTimersByTimeAsync(800);
    expect(saver.getState().status).toBe('retrying');
    expect(server.calls.at(-1)?.revision).toBe(2);

    // Backoff retry, nothing typed since: the same revision
    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.calls.at(-1)?.revision).toBe(2);
    expect(saver.getState().status).toBe('retrying');

    // Typing more while offline: a higher revision, status stays "retrying"
    saver.update(text('first second third'));
    expect(saver.getState().status).toBe('retrying');
    await vi.advanceTimersByTimeAsync(800);
    expect(server.calls.at(-1)).toEqual({ snapshot: text('first second third'), revision: 3 });

    // Back online: retryNow sends at once with the same revision 3
    server.setOffline(false);
    saver.retryNow();
    await vi.advanceTimersByTimeAsync(1);
    expect(server.calls.at(-1)).toEqual({ snapshot: text('first second third'), revision: 3 });
    expect(saver.getState().status).toBe('saved');
    expect(server.stored).toEqual({ snapshot: text('first second third'), revision: 3 });
  });

  it('a save that reached the server but lost its answer is retried harmlessly', async () => {
    const server = fakeServer();
    const saver = saverFor(server);
    server.setAnswerLost(true);
    saver.update(text('abc'), { immediate: true });
    await vi.advanceTimersByTimeAsync(1);
    expect(saver.getState().status).toBe('retrying');
    server.setAnswerLost(false);
    await vi.advanceTimersByTimeAsync(1_000);
    // Same revision again: the server answers "stale", holding exactly this text → saved
    expect(server.calls.map((c) => c.revision)).toEqual([1, 1]);
    expect(saver.getState().status).toBe('saved');
  });

  it('changes made during a request are sent after it, one request at a time', async () => {
    const server = fakeServer();
    let release: (() => void) | null = null;
    const slowSave = vi.fn(
      (snapshot: EntrySnapshot, revision: number) =>
        new Promise<SaveOutcome>((resolve) => {
          release = () => void server.save(snapshot, revision).then(resolve);
        })
    );
    const saver = new EntrySaver({ save: slowSave, initialRevision: 0, isRetryable: () => true });
    saver.update(text('a'), { immediate: true });
    await vi.advanceTimersByTimeAsync(1);
    expect(saver.getState().status).toBe('saving');
    saver.update(text('ab'));
    await vi.advanceTimersByTimeAsync(800);
    expect(slowSave).toHaveBeenCalledTimes(1);
    release!();
    await vi.advanceTimersByTimeAsync(1);
    expect(slowSave).toHaveBeenCalledTimes(2);
    expect(slowSave.mock.calls[1]).toEqual([text('ab'), 2]);
    release!();
    await vi.advanceTimersByTimeAsync(1);
    expect(saver.getState().status).toBe('saved');
  });

  it('saves above a newer revision from another tab when that text differs', async () => {
    const server = fakeServer();
    const saver = saverFor(server);
    saver.update(text('mine'), { immediate: true });
    await vi.advanceTimersByTimeAsync(1);
    server.setStored({ snapshot: text('other tab'), revision: 5 });
    saver.update(text('mine, more'), { immediate: true });
    for (let i = 0; i < 5; i += 1) await vi.advanceTimersByTimeAsync(1);
    expect(server.calls.map((c) => c.revision)).toEqual([1, 2, 6]);
    expect(server.stored).toEqual({ snapshot: text('mine, more'), revision: 6 });
    expect(saver.getState().status).toBe('saved');
  });

  it('does not retry a refused entry until something changes', async () => {
    const server = fakeServer();
    const refusing = vi.fn(async () => {
      throw new Error('400');
    });
    const saver = new EntrySaver({ save: refusing, initialRevision: 0, isRetryable: () => false });
    saver.update(text('x'), { immediate: true });
    await vi.advanceTimersByTimeAsync(1);
    expect(saver.getState().status).toBe('failed');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(refusing).toHaveBeenCalledTimes(1);
    saver.update(text('xy'));
    await vi.advanceTimersByTimeAsync(800);
    expect(refusing).toHaveBeenCalledTimes(2);
    expect(server.calls).toHaveLength(0);
  });

  it('compares snapshots field by field, a missing field being null', () => {
    expect(
      sameSnapshot(
        { answers: { a: 'x', b: null }, sharedWithGp: true },
        { answers: { a: 'x' }, sharedWithGp: true }
      )
    ).toBe(true);
    expect(
      sameSnapshot(
        { answers: { a: ['1', '2'] }, sharedWithGp: false },
        { answers: { a: ['1', '2'] }, sharedWithGp: false }
      )
    ).toBe(true);
    expect(
      sameSnapshot(
        { answers: { a: ['1'] }, sharedWithGp: false },
        { answers: { a: ['1', '2'] }, sharedWithGp: false }
      )
    ).toBe(false);
    expect(sameSnapshot({ answers: {}, sharedWithGp: false }, { answers: {}, sharedWithGp: true })).toBe(
      false
    );
  });
});
