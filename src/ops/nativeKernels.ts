import * as tf from '@tensorflow/tfjs';

/**
 * TensorFlow ops that tfjs does not expose, run by name on the native backend (tfjs-node and
 * tfjs-node-gpu execute any op of the libtensorflow they load). Used where one fused TensorFlow
 * kernel replaces several tfjs kernels: on the native backend each kernel costs ~20 µs of dispatch
 * whatever its size, and micstream's steps run a few hundred of them.
 * Only call these inside a tf.customGrad forward or gradient function (or where no gradient is
 * taken): the tape does not see them.
 */
export interface NativeKernels {
  /** One output of op `name` with type attributes (`T`, `Tidx`, ...) and the given inputs. */
  run(name: string, types: Record<string, 'float32' | 'int32'>, inputs: tf.Tensor[]): tf.Tensor;
  /** `outputs` outputs of op `name`. */
  runMany(name: string, types: Record<string, 'float32' | 'int32'>, inputs: tf.Tensor[], outputs: number): tf.Tensor[];
}

interface NodeBackend {
  executeSingleOutput(name: string, attrs: OpAttr[], inputs: tf.Tensor[]): tf.Tensor;
  executeMultipleOutputs(name: string, attrs: OpAttr[], inputs: tf.Tensor[], outputs: number): tf.Tensor[];
  binding: { TF_ATTR_TYPE: number; TF_FLOAT: number; TF_INT32: number };
}

interface OpAttr {
  name: string;
  type: number;
  value: unknown;
}

let cached: { backend: unknown; kernels: NativeKernels | null } | null = null;

/** The native kernels when the active backend is native TensorFlow, else null. */
export function nativeKernels(): NativeKernels | null {
  if (tf.getBackend() !== 'tensorflow') return null;
  const backend = tf.backend();
  if (cached?.backend === backend) return cached.kernels;
  const node = backend as unknown as Partial<NodeBackend>;
  let kernels: NativeKernels | null = null;
  if (typeof node.executeSingleOutput === 'function' && typeof node.executeMultipleOutputs === 'function' && node.binding) {
    const b = node.binding;
    const attrs = (types: Record<string, 'float32' | 'int32'>): OpAttr[] =>
      Object.entries(types).map(([name, dtype]) => ({ name, type: b.TF_ATTR_TYPE, value: dtype === 'float32' ? b.TF_FLOAT : b.TF_INT32 }));
    const n = node as NodeBackend;
    kernels = {
      run: (name, types, inputs) => n.executeSingleOutput(name, attrs(types), inputs),
      runMany: (name, types, inputs, outputs) => n.executeMultipleOutputs(name, attrs(types), inputs, outputs),
    };
  }
  cached = { backend, kernels };
  return kernels;
}
