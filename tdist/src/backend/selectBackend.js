import * as tf from '@tensorflow/tfjs';
import { BackendUnavailableError } from '../errors.js';
export const BACKEND_NAMES = ['auto', 'node-gpu', 'node', 'wasm', 'cpu'];
/** Fastest first: what `auto` tries, in order. */
export const BACKEND_PREFERENCE = ['node-gpu', 'node', 'wasm', 'cpu'];
/**
 * The native TensorFlow builds (2.10) bundle a oneDNN whose JIT GEMM kernels point the stack
 * pointer into a heap workspace (oneDNN issue 4845, fixed upstream in 2026): a signal handled while
 * such a kernel runs writes its frame into the heap and the process aborts later ("corrupted size
 * vs. prev_size"). Signal-sampling CPU profilers (`--cpu-prof`, `--prof`) deliver ~1,000 signals a
 * second and crash a native learner within seconds; capping oneDNN at SSE4.1 avoids those kernels
 * (matmuls 30-45% slower). Done only for those flags and only unless ONEDNN_MAX_CPU_ISA is set.
 */
export function signalProfilerFlag(execArgv = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? '') {
    const flags = [...execArgv, ...nodeOptions.split(/\s+/)];
    return flags.find((f) => /^--(cpu-prof|prof)(=|$)/.test(f))?.replace(/=.*/, '') ?? null;
}
function guardNativeAgainstProfilerSignals(notes) {
    const flag = signalProfilerFlag();
    if (!flag || process.env.ONEDNN_MAX_CPU_ISA !== undefined)
        return;
    process.env.ONEDNN_MAX_CPU_ISA = 'SSE41';
    notes.push(`${flag} samples with signals, which corrupt the heap inside oneDNN's AVX GEMM kernels: ONEDNN_MAX_CPU_ISA=SSE41 for this run (matmuls 30-45% ` +
        `slower; docs/OPERATIONS.md)`);
}
async function activate(backend, notes) {
    if (backend === 'node-gpu' || backend === 'node')
        guardNativeAgainstProfilerSignals(notes);
    switch (backend) {
        case 'node-gpu':
            // The native packages are optional: absent, or present without libtensorflow, both land in catch.
            await import('@tensorflow/tfjs-node-gpu');
            if (!(await tf.setBackend('tensorflow')))
                throw new Error('tensorflow backend did not initialise');
            // The GPU build runs on the CPU when it finds no usable GPU: report that, not a GPU backend.
            if (!tf.backend().isUsingGpuDevice) {
                throw new Error('tfjs-node-gpu loaded but TensorFlow found no usable GPU (needs an NVIDIA driver, CUDA 11.2 and cuDNN 8.1 libraries on the library path)');
            }
            return 'tensorflow';
        case 'node':
            await import('@tensorflow/tfjs-node');
            if (!(await tf.setBackend('tensorflow')))
                throw new Error('tensorflow backend did not initialise');
            return 'tensorflow';
        case 'wasm':
            await import('@tensorflow/tfjs-backend-wasm');
            if (!(await tf.setBackend('wasm')))
                throw new Error('wasm backend did not initialise');
            return 'wasm';
        case 'cpu':
            if (!(await tf.setBackend('cpu')))
                throw new Error('cpu backend did not initialise');
            return 'cpu';
    }
}
let selected = null;
/**
 * Select the TF.js backend: a forced one, or with `auto` the fastest available of node-gpu, node,
 * wasm, cpu. Idempotent for the same request within a process.
 * @throws BackendUnavailableError (MICSTREAM_ERR_BACKEND_UNAVAILABLE) when a forced backend cannot load.
 */
export async function selectBackend(choice = 'auto', options = {}) {
    if (selected && (choice === 'auto' || choice === selected.backend))
        return selected;
    const threads = options.intraOpThreads ?? 1;
    if (threads > 0 && process.env.TF_NUM_INTRAOP_THREADS === undefined)
        process.env.TF_NUM_INTRAOP_THREADS = String(threads);
    const candidates = choice === 'auto' ? BACKEND_PREFERENCE : [choice];
    const skipped = [];
    for (const backend of candidates) {
        const notes = [];
        try {
            const engineName = await activate(backend, notes);
            await tf.ready();
            selected = { backend, engineName, skipped, notes };
            return selected;
        }
        catch (err) {
            if (choice !== 'auto')
                throw new BackendUnavailableError(backend, err);
            skipped.push({ backend, reason: err instanceof Error ? err.message.split('\n')[0] : String(err) });
        }
    }
    throw new BackendUnavailableError('auto (none of node-gpu, node, wasm, cpu)');
}
/** Tensors currently allocated (for leak checks and metrics). */
export function liveTensorCount() {
    return tf.memory().numTensors;
}
//# sourceMappingURL=selectBackend.js.map