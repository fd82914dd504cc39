import type { LoadResult } from './loadGenerator.js';

/** The load generator's transport errors with their codes, as a suffix for a statuses text ('' when none). */
export function transportErrorsText(load: Pick<LoadResult, 'errors' | 'errorCodes'>): string {
  return load.errors ? `, errors: ${load.errors} ${JSON.stringify(load.errorCodes ?? {})}` : '';
}
