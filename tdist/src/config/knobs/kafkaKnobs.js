/** Kafka: brokers, security, the consumer group, topics and publishing. */
export const KAFKA_KNOBS = {
    kafkaBrokers: { kind: 'string', default: '127.0.0.1:9092', description: 'Kafka bootstrap brokers, comma-separated' },
    kafkaClientId: { kind: 'string', default: 'micstream', description: 'Kafka client id' },
    kafkaGroupId: {
        kind: 'string',
        default: 'micstream-learner',
        description: 'Consumer group of the learner (serve uses its own, see --serve-group-id)',
    },
    kafkaSsl: { kind: 'boolean', default: false, description: 'Use TLS to the brokers (system CAs)' },
    kafkaSaslMechanism: {
        kind: { enum: ['none', 'plain', 'scram-sha-256', 'scram-sha-512'] },
        default: 'none',
        description: 'SASL mechanism',
    },
    kafkaSaslUsername: { kind: 'string', default: undefined, optional: true, description: 'SASL username' },
    kafkaSaslPassword: {
        kind: 'string',
        default: undefined,
        optional: true,
        secret: true,
        description: 'SASL password (prefer the env var); never printed or logged',
    },
    kafkaFromBeginning: {
        kind: 'boolean',
        default: true,
        description: 'A new consumer group starts at the earliest offset (else the latest)',
    },
    kafkaStartTimeoutMs: {
        kind: 'int',
        default: 120000,
        min: 1000,
        description: 'serve: how long to keep retrying Kafka at start (with backoff, each wait logged) before exiting with one error line; HTTP answers meanwhile',
    },
    writerLease: {
        kind: { enum: ['on', 'off'] },
        default: 'on',
        description: 'train --source kafka: hold the writer lease (a one-partition lease topic in the group <kafka-group-id>.writer) before ' +
            'restoring and consuming; a second learner waits as a hot standby and takes over when the writer leaves or its session times out',
    },
    kafkaSessionTimeoutMs: {
        kind: 'int',
        default: 10000,
        min: 1000,
        description: 'Consumer-group session timeout: a learner that died (kill -9, OOM) holds its partitions this long, so a restart waits up to it ' +
            'before consuming; the broker must allow it (group.min.session.timeout.ms, 6 s by default)',
    },
    kafkaCommitIntervalMs: {
        kind: 'int',
        default: 1000,
        min: 50,
        description: 'How often offsets of finished records are committed (without --checkpoint-dir)',
    },
    topology: { kind: 'string', default: 'topology/topics.json', description: 'Topology file declaring the Kafka topics' },
    topicPrefix: {
        kind: 'string',
        default: undefined,
        optional: true,
        description: 'Prefix of every topic name of the topology (e.g. per environment)',
    },
    topic: {
        kind: 'string',
        default: undefined,
        optional: true,
        description: 'replay: target topic (default: the interactions topic of the topology)',
    },
    rate: {
        kind: 'number',
        default: undefined,
        optional: true,
        min: 1,
        description: 'replay: events per second (default: as fast as the broker takes them)',
    },
    dryRun: { kind: 'boolean', default: false, description: 'topology apply: report drift without changing anything' },
    publishIndex: {
        kind: 'boolean',
        default: undefined,
        optional: true,
        description: 'train: publish every index version to the recall topic (default: on with --source kafka)',
    },
    indexChunkBytes: {
        kind: 'int',
        default: 900000,
        min: 1024,
        max: 10000000,
        description: 'Bytes per recall-topic message when an index is published in chunks',
    },
};
//# sourceMappingURL=kafkaKnobs.js.map