import { selectBackend } from '../../src/backend/selectBackend.js';

/** Tests run on the backend the product would pick here (wasm on the 2-core CI machine). */
export async function useTestBackend(): Promise<string> {
  const s = await selectBackend('auto');
  return s.backend;
}
