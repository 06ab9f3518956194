/**
 * Records a lesson page as viewed when the patient leaves it, with the seconds it was on screen
 * (time in a hidden tab does not count). "Leaving" is moving to another page of the module,
 * leaving the module, or closing the tab (then sent with keepalive so it survives the page).
 *
 * React's development StrictMode mounts, unmounts and mounts again at once; the report is
 * deferred by a tick so that such a remount continues the same visit instead of reporting it.
 */
import { useEffect, useRef } from 'react';
import { api, NetworkError, type ModuleId } from '../../../api/client.js';

interface Pending {
  timer: ReturnType<typeof setTimeout>;
  visibleMs: number;
}

const pending = new Map<string, Pending>();
const RETRY_DELAYS_MS = [2_000, 5_000, 15_000];

export interface LessonViewResult {
  lessonId: string;
  moduleCompleted: boolean;
}

async function report(
  patientId: string,
  moduleId: ModuleId,
  lessonId: string,
  seconds: number,
  keepalive: boolean
): Promise<LessonViewResult | null> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      const result = await api.viewLesson(patientId, moduleId, lessonId, seconds, { keepalive });
      return { lessonId, moduleCompleted: result.moduleCompleted };
    } catch (error) {
      const delay = RETRY_DELAYS_MS[attempt];
      if (!(error instanceof NetworkError) || delay === undefined) {
        console.warn('Could not record the lesson view', error);
        return null;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

export function useLessonView(
  patientId: string,
  moduleId: ModuleId,
  lessonId: string,
  onReported: (result: LessonViewResult) => void
): void {
  const callback = useRef(onReported);
  useEffect(() => {
    callback.current = onReported;
  });

  useEffect(() => {
    const key = `${patientId}/${moduleId}/${lessonId}`;
    let visibleMs = 0;
    let since: number | null = document.visibilityState === 'visible' ? performance.now() : null;
    const resumed = pending.get(key);
    if (resumed) {
      clearTimeout(resumed.timer);
      pending.delete(key);
      visibleMs = resumed.visibleMs;
    }
    let sent = false;
    const elapsedMs = () => visibleMs + (since === null ? 0 : performance.now() - since);
    const send = (ms: number, keepalive: boolean) => {
      void report(patientId, moduleId, lessonId, Math.round(ms / 1000), keepalive).then((result) => {
        if (result) callback.current(result);
      });
    };
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') {
        if (since !== null) visibleMs += performance.now() - since;
        since = null;
      } else if (since === null) {
        since = performance.now();
      }
    };
    const onPageHide = () => {
      if (sent) return;
      sent = true;
      send(elapsedMs(), true);
    };
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('pagehide', onPageHide);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('pagehide', onPageHide);
      if (sent) return;
      const ms = elapsedMs();
      const timer = setTimeout(() => {
        pending.delete(key);
        send(ms, false);
      }, 0);
      pending.set(key, { timer, visibleMs: ms });
    };
  }, [patientId, moduleId, lessonId]);
}
