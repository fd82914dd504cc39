import * as tf from '@tensorflow/tfjs';
import { FIELD_GROUPS } from './towerInput.js';

export interface TowerApplyOptions {
  training: boolean;
}

/**
 * A tower maps the pooled embedded fields of N entities to N unit vectors. Towers never see the loss;
 * the same towers serve all three channels (U2I, U2U, I2I).
 */
export interface Tower {
  readonly name: string;
  readonly outputDim: number;
  readonly variables: readonly tf.Variable[];
  /** @param features pooled field embeddings [n, 3 * embeddingDim]. @returns [n, outputDim], unit rows. */
  apply(features: tf.Tensor2D, options: TowerApplyOptions): tf.Tensor2D;
  dispose(): void;
}

export interface DssmTowerOptions {
  name: string;
  embeddingDim: number;
  hiddenDim: number;
  outputDim: number;
  seed: number;
}

let instanceCounter = 0;

export function l2Normalize(x: tf.Tensor2D, epsilon = 1e-12): tf.Tensor2D {
  return tf.div(x, tf.sqrt(tf.add(tf.sum(tf.square(x), 1, true), epsilon)));
}

/**
 * DSSM tower: [id ; mean(attributes) ; mean(recent interactions)] -> Dense(relu) -> Dense ->
 * L2 normalisation.
 */
export class DssmTower implements Tower {
  readonly name: string;
  readonly outputDim: number;
  readonly variables: tf.Variable[];
  private readonly w1: tf.Variable;
  private readonly b1: tf.Variable;
  private readonly w2: tf.Variable;
  private readonly b2: tf.Variable;

  constructor(o: DssmTowerOptions) {
    this.name = o.name;
    this.outputDim = o.outputDim;
    const scope = `${o.name}_${instanceCounter++}`;
    const inputDim = FIELD_GROUPS * o.embeddingDim;
    this.w1 = tf.variable(tf.initializers.glorotUniform({ seed: o.seed }).apply([inputDim, o.hiddenDim]) as tf.Tensor2D, true, `${scope}/w1`);
    this.b1 = tf.variable(tf.zeros([o.hiddenDim]), true, `${scope}/b1`);
    this.w2 = tf.variable(tf.initializers.glorotUniform({ seed: o.seed + 1 }).apply([o.hiddenDim, o.outputDim]) as tf.Tensor2D, true, `${scope}/w2`);
    this.b2 = tf.variable(tf.zeros([o.outputDim]), true, `${scope}/b2`);
    this.variables = [this.w1, this.b1, this.w2, this.b2];
  }

  apply(features: tf.Tensor2D, _options: TowerApplyOptions): tf.Tensor2D {
    return tf.tidy(() => {
      const hidden = tf.relu(tf.add(tf.matMul(features, this.w1), this.b1)) as tf.Tensor2D;
      const out = tf.add(tf.matMul(hidden, this.w2), this.b2) as tf.Tensor2D;
      return l2Normalize(out);
    });
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
