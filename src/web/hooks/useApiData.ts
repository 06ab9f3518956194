import { useCallback, useEffect, useState } from 'react';

export type ApiData<T> =
  | { status: 'loading'; data: T | null; error: null }
  | { status: 'ready'; data: T; error: null }
  | { status: 'error'; data: T | null; error: unknown };

/**
 * Loads data for a page. `reload()` fetches again and keeps showing the previous data meanwhile.
 * The loader receives an AbortSignal that fires when the component unmounts or deps change.
 */
export function useApiData<T>(
  loader: (signal: AbortSignal) => Promise<T>,
  deps: readonly unknown[]
): ApiData<T> & { reload: () => void } {
  const [state, setState] = useState<ApiData<T>>({ status: 'loading', data: null, error: null });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    loader(controller.signal)
      .then((data) => {
        if (!controller.signal.aborted) setState({ status: 'ready', data, error: null });
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted)
          setState((previous) => ({ status: 'error', data: previous.data, error }));
      });
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller lists the loader's inputs
  }, [...deps, generation]);

  const reload = useCallback(() => {
    setState((previous) => ({ status: 'loading', data: previous.data, error: null }));
    setGeneration((n) => n + 1);
  }, []);
  return { ...state, reload };
}
