/**
 * Module content and the module list, fetched from the API (never bundled, so the JavaScript stays
 * small) and kept in memory for the visit: it is the same text for every patient, not personal
 * data, and moving between the pages of a module should not fetch it again.
 */
import {
  api,
  type Language,
  type ModuleId,
  type ModuleListItem,
  type PatientModuleContent,
} from '../../api/client.js';
import { useApiData } from '../../hooks/useApiData.js';

const modules = new Map<string, Promise<PatientModuleContent>>();
const lists = new Map<Language, Promise<{ items: ModuleListItem[] }>>();

function remember<K, T>(cache: Map<K, Promise<T>>, key: K, load: () => Promise<T>): Promise<T> {
  const cached = cache.get(key);
  if (cached) return cached;
  const promise = load();
  cache.set(key, promise);
  // A failed load is forgotten, so "try again" really tries again.
  promise.catch(() => cache.delete(key));
  return promise;
}

export function loadModule(moduleId: ModuleId, language: Language): Promise<PatientModuleContent> {
  return remember(modules, `${moduleId}:${language}`, () => api.getModule(moduleId, language));
}

export function loadModuleList(language: Language): Promise<{ items: ModuleListItem[] }> {
  return remember(lists, language, () => api.listModules(language));
}

/** Resolves with the value unless the signal fires first (the component went away). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new DOMException('Aborted', 'AbortError'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export function useModuleContent(moduleId: ModuleId | null, language: Language) {
  return useApiData(
    (signal) => (moduleId ? untilAborted(loadModule(moduleId, language), signal) : Promise.resolve(null)),
    [moduleId, language]
  );
}

export function useModuleList(language: Language) {
  return useApiData((signal) => untilAborted(loadModuleList(language), signal), [language]);
}
