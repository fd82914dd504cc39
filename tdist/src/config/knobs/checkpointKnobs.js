/** Checkpoints of the learner (train): where, how often, how many. */
export const CHECKPOINT_KNOBS = {
    checkpointDir: {
        kind: 'string',
        default: undefined,
        optional: true,
        description: 'Directory of learner checkpoints (a PersistentVolume in Kubernetes); train restores the newest valid one at start and, with ' +
            'Kafka, commits offsets only once a checkpoint covering them is durable. Unset = no checkpoints',
    },
    checkpointEverySteps: { kind: 'int', default: 2000, min: 1, description: 'Checkpoint after this many training steps ...' },
    checkpointEveryMs: {
        kind: 'int',
        default: 60000,
        min: 1000,
        description: '... or when the last checkpoint is this old and events were trained since (also while the stream is idle), and on drain',
    },
    checkpointKeep: { kind: 'int', default: 3, min: 1, description: 'Checkpoints kept (older ones are deleted once a new one is durable)' },
};
//# sourceMappingURL=checkpointKnobs.js.map