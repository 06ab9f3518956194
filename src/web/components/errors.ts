import type { TFunction } from 'i18next';
import { MEASURE_NOT_YET_PROBLEM } from '../../domain/program/progress.js';
import { ApiError, NetworkError } from '../api/client.js';

/** A localized, user-facing sentence for any error the API client throws. */
export function describeError(t: TFunction, error: unknown): string {
  if (error instanceof NetworkError) return t('errors.network');
  if (error instanceof ApiError) {
    if (error.status === 400 || error.status === 422) return t('errors.badRequest');
    if (error.status === 403) return t('errors.forbidden');
    if (error.status === 404) return t('errors.notFound');
    if (error.problem.type === MEASURE_NOT_YET_PROBLEM) return t('errors.measureNotYet');
    if (error.status === 409) return t('errors.conflict');
    if (error.status === 429) return t('errors.tooManyRequests');
    if (error.status >= 500) return t('errors.server');
  }
  return t('errors.unknown');
}
