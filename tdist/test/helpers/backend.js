import { selectBackend } from '../../src/backend/selectBackend.js';
/**
 * Tests run on the backend the product would pick here (wasm on a plain `npm ci`), or on the one
 * MICSTREAM_TEST_BACKEND forces (CI reruns the learning-code tests with `node` after
 * `npm run setup:native`); a forced backend that cannot load fails the test file.
 */
export async function useTestBackend() {
    const forced = process.env.MICSTREAM_TEST_BACKEND;
    const s = await selectBackend(forced ?? 'auto');
    return s.backend;
}
//# sourceMappingURL=backend.js.map