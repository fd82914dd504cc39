import type { Knob } from './knob.js';

/** micstream eval: the protocol, seeds, models and outputs; and the dead-letter file. */
export const EVAL_KNOBS = {
  split: {
    kind: 'string',
    default: 'temporal:0.8',
    description:
      'eval: temporal:F trains one streaming pass on the first F of events (time order) and tests on the rest; ' +
      'temporal:F:E tests on F..E only (validation: temporal:0.6:0.8, for choosing knobs without the test period)',
  },
  seeds: { kind: 'int', default: 3, min: 1, max: 20, description: 'eval: seeds per learned model (mean and spread reported)' },
  out: { kind: 'string', default: 'eval-out', description: 'eval: output folder for results.json, results.md and the SVG plots' },
  models: {
    kind: 'string',
    default: 'all',
    description:
      'eval: comma-separated models (random,pop,pop_recent,itemknn,itemcf_i2i,usercf_u2u,pop_stream,itemknn_stream,usercf_stream,' +
      'dssm,bidir,next,views,knn,mic) or all',
  },
  epochs: {
    kind: 'int',
    default: 1,
    min: 1,
    max: 20,
    description:
      'eval: training passes over the training split; with E > 1 each rung is also reported after E passes as <rung>@Eep (the main rows stay one-pass)',
  },
  recentWindow: {
    kind: 'int',
    default: 5000,
    min: 1,
    description: 'eval: training events counted by the recent-popularity baseline pop_recent',
  },
  deadLetterFile: {
    kind: 'string',
    default: undefined,
    optional: true,
    description: 'Append invalid records (with reasons) to this JSONL file',
  },
} as const satisfies Record<string, Knob>;
