import { fileURLToPath } from 'node:url';

/** The shared ml-100k folder (never copied into the repo): ../shared/datasets/ml-100k from the repo root. */
export const ML100K = fileURLToPath(new URL('../../../../shared/datasets/ml-100k', import.meta.url));
