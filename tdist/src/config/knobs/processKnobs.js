/** The process: backend, logging, the source of the embedded job, the API address, the live evaluation and progress. */
export const PROCESS_KNOBS = {
    backend: {
        kind: { enum: ['auto', 'node-gpu', 'node', 'wasm', 'cpu'] },
        default: 'auto',
        description: 'TF.js backend; auto picks the fastest available (node-gpu, node, wasm, cpu)',
    },
    logLevel: {
        kind: { enum: ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] },
        default: 'info',
        description: 'Lowest level of the structured log (train and serve)',
    },
    logFormat: {
        kind: { enum: ['auto', 'json', 'pretty'] },
        default: 'auto',
        description: 'Log lines as JSON (level, time, msg, fields) or human-readable text; auto = text on a terminal, JSON otherwise',
    },
    tfThreads: {
        kind: 'int',
        default: 1,
        min: 0,
        max: 1024,
        description: 'Intra-op threads of the native TensorFlow backend (sets TF_NUM_INTRAOP_THREADS unless the environment has it); 0 = one per core. 1 is ' +
            'fastest for these small kernels (bench:train)',
    },
    source: {
        kind: { enum: ['auto', 'synthetic', 'file', 'kafka'] },
        default: 'auto',
        description: 'Where train reads events: auto = file with --data, else synthetic; kafka = the interactions topic',
    },
    data: {
        kind: 'string',
        default: undefined,
        optional: true,
        description: 'Replay a dataset (RecBole atomic folder, MovieLens folder of any layout, or .jsonl file) instead of the synthetic stream',
    },
    maxEvents: {
        kind: 'int',
        default: undefined,
        optional: true,
        min: 1,
        description: 'Stop after this many source records, print the summary and exit',
    },
    exitOnEnd: { kind: 'boolean', default: false, description: 'Exit when the source ends instead of serving until Ctrl-C' },
    shutdownTimeoutMs: {
        kind: 'int',
        default: 25000,
        min: 1000,
        description: 'train: SIGTERM/SIGINT drains within this long whatever Kafka does (train what is in flight, checkpoint, then commit and leave the group ' +
            "as far as time allows); keep it below the pod's terminationGracePeriodSeconds",
    },
    seed: { kind: 'int', default: 42, min: 0, description: 'Seed of every random choice (model init, sampling, hold-out)' },
    syntheticEvents: { kind: 'int', default: 60000, min: 1, description: 'Length of the synthetic demo stream' },
    syntheticUsers: { kind: 'int', default: 3000, min: 1, description: 'Synthetic users' },
    syntheticItems: { kind: 'int', default: 1500, min: 1, description: 'Synthetic items' },
    syntheticClusters: { kind: 'int', default: 12, min: 1, description: 'Latent taste clusters of the synthetic world' },
    driftAt: {
        kind: 'int',
        default: undefined,
        optional: true,
        min: 0,
        description: 'Synthetic event index where every user taste shifts (drift)',
    },
};
//# sourceMappingURL=processKnobs.js.map