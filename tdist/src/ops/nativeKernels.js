import * as tf from '@tensorflow/tfjs';
let cached = null;
/** The native kernels when the active backend is native TensorFlow, else null. */
export function nativeKernels() {
    if (tf.getBackend() !== 'tensorflow')
        return null;
    const backend = tf.backend();
    if (cached?.backend === backend)
        return cached.kernels;
    const node = backend;
    let kernels = null;
    if (typeof node.executeSingleOutput === 'function' && typeof node.executeMultipleOutputs === 'function' && node.binding) {
        const b = node.binding;
        const attrs = (types) => Object.entries(types).map(([name, dtype]) => ({ name, type: b.TF_ATTR_TYPE, value: dtype === 'float32' ? b.TF_FLOAT : b.TF_INT32 }));
        const n = node;
        kernels = {
            run: (name, types, inputs) => n.executeSingleOutput(name, attrs(types), inputs),
            runMany: (name, types, inputs, outputs) => n.executeMultipleOutputs(name, attrs(types), inputs, outputs),
        };
    }
    cached = { backend, kernels };
    return kernels;
}
//# sourceMappingURL=nativeKernels.js.map