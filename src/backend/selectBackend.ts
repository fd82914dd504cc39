import * as tf from '@tensorflow/tfjs';
import { BackendUnavailableError } from '../errors.js';

export const BACKEND_NAMES = ['auto', 'node-gpu', 'node', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_NAMES)[number];
export type ConcreteBackend = Exclude<BackendChoice, 'auto'>;

/** Fastest first: what `auto` tries, in order. */
export const BACKEND_PREFERENCE: readonly ConcreteBackend[] = ['node-gpu', 'node', 'wasm', 'cpu'];

export interface BackendSelection {
  backend: ConcreteBackend;
  /** The TF.js engine's own name for it ('tensorflow', 'wasm', 'cpu'). */
  engineName: string;
  /** Backends tried before the chosen one, with why each was not usable. */
  skipped: { backend: ConcreteBackend; reason: string }[];
}

async function activate(backend: ConcreteBackend): Promise<string> {
  switch (backend) {
    case 'node-gpu':
      // The native packages are optional: absent, or present without libtensorflow, both land in catch.
      await import('@tensorflow/tfjs-node-gpu' as string);
      if (!(await tf.setBackend('tensorflow'))) throw new Error('tensorflow backend did not initialise');
      // The GPU build runs on the CPU when it finds no usable GPU: report that, not a GPU backend.
      if (!(tf.backend() as unknown as { isUsingGpuDevice?: boolean }).isUsingGpuDevice) {
        throw new Error('tfjs-node-gpu loaded but TensorFlow found no usable GPU (needs an NVIDIA driver, CUDA 11.2 and cuDNN 8.1 libraries on the library path)');
      }
      return 'tensorflow';
    case 'node':
      await import('@tensorflow/tfjs-node' as string);
      if (!(await tf.setBackend('tensorflow'))) throw new Error('tensorflow backend did not initialise');
      return 'tensorflow';
    case 'wasm':
      await import('@tensorflow/tfjs-backend-wasm');
      if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend did not initialise');
      return 'wasm';
    case 'cpu':
      if (!(await tf.setBackend('cpu'))) throw new Error('cpu backend did not initialise');
      return 'cpu';
  }
}

let selected: BackendSelection | null = null;

export interface BackendOptions {
  /**
   * Intra-op threads of the native TensorFlow backends; 0 = TensorFlow's default (one per core).
   * Applied through TF_NUM_INTRAOP_THREADS before libtensorflow starts, unless the environment
   * already sets it. One thread is faster for micstream's small kernels: a multi-threaded matmul of
   * a few MFLOP spends more on waking the pool than it saves (bench:train, docs/BENCHMARKS.md).
   */
  intraOpThreads?: number;
}

/**
 * Select the TF.js backend: a forced one, or with `auto` the fastest available of node-gpu, node,
 * wasm, cpu. Idempotent for the same request within a process.
 * @throws BackendUnavailableError (MICSTREAM_ERR_BACKEND_UNAVAILABLE) when a forced backend cannot load.
 */
export async function selectBackend(choice: BackendChoice = 'auto', options: BackendOptions = {}): Promise<BackendSelection> {
  if (selected && (choice === 'auto' || choice === selected.backend)) return selected;
  const threads = options.intraOpThreads ?? 1;
  if (threads > 0 && process.env.TF_NUM_INTRAOP_THREADS === undefined) process.env.TF_NUM_INTRAOP_THREADS = String(threads);
  const candidates = choice === 'auto' ? BACKEND_PREFERENCE : [choice];
  const skipped: BackendSelection['skipped'] = [];
  for (const backend of candidates) {
    try {
      const engineName = await activate(backend);
      await tf.ready();
      selected = { backend, engineName, skipped };
      return selected;
    } catch (err) {
      if (choice !== 'auto') throw new BackendUnavailableError(backend, err);
      skipped.push({ backend, reason: err instanceof Error ? err.message.split('\n')[0]! : String(err) });
    }
  }
  throw new BackendUnavailableError('auto (none of node-gpu, node, wasm, cpu)');
}

/** Tensors currently allocated (for leak checks and metrics). */
export function liveTensorCount(): number {
  return tf.memory().numTensors;
}
