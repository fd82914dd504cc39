import { ConfigError } from '../errors.js';
import { kafkaConnection, topologyFromConfig } from '../kafka/connectionFromConfig.js';
import { KafkaDeadLetterSink } from '../kafka/kafkaDeadLetterSink.js';
import { KafkaSource } from '../kafka/kafkaSource.js';
import { topicFor } from '../kafka/topology.js';
import { IndexPublisher } from '../publish/indexPublisher.js';
import { fileReplaySource } from '../sources/fileReplaySource.js';
import { SequencedRecords } from '../sources/sequencedRecords.js';
import { syntheticSource } from '../sources/syntheticSource.js';
/** Opens the source `config` names; a restored position is resumed (Kafka offsets, or records skipped from the start). */
export function openTrainSource(config, context) {
    const { gate, logger, position } = context;
    const kind = config.source === 'auto' ? (config.data ? 'file' : 'synthetic') : config.source;
    if (kind === 'kafka')
        return openKafkaSource(config, context);
    const name = kind === 'file'
        ? `file:${config.data}`
        : `synthetic:seed=${config.seed},events=${config.syntheticEvents},drift=${config.driftAt ?? 'none'}`;
    // A source without positions of its own is numbered; a restored checkpoint's count is skipped.
    const skip = position?.kind === 'records' && position.source === name ? position.records : 0;
    if (position && skip === 0)
        logger.warn({ checkpointSource: position, source: name }, 'checkpoints: the checkpoint was taken on another source; reading this one from its start');
    const sequence = new SequencedRecords(name, skip);
    const common = {
        adapter: sequence.adapter,
        positions: { capture: () => ({ kind: 'records', source: name, records: sequence.position }) },
        deadLetter: context.fallbackDeadLetter,
        kafka: null,
        publisher: null,
    };
    if (kind === 'file') {
        if (!config.data)
            throw new ConfigError(['source file needs --data PATH']);
        return {
            ...common,
            kind,
            records: sequence.number(fileReplaySource(config.data, {
                gate,
                skip: sequence.position,
                onNotes: (notes) => logger.info({ dataset: config.data, notes }, 'dataset read'),
            })),
            name: `file ${config.data}`,
        };
    }
    const records = syntheticSource({
        events: config.syntheticEvents,
        users: config.syntheticUsers,
        items: config.syntheticItems,
        clusters: config.syntheticClusters,
        seed: config.seed,
        ...(config.driftAt !== undefined ? { driftAt: config.driftAt } : {}),
    }, gate, sequence.position).pipe(sequence.number.bind(sequence));
    return {
        ...common,
        kind: 'synthetic',
        records,
        name: `synthetic (${config.syntheticEvents} events, ${config.syntheticUsers} users, ${config.syntheticItems} items)`,
    };
}
function openKafkaSource(config, context) {
    const { position } = context;
    if (position && position.kind !== 'kafka')
        context.logger.warn({ checkpointSource: position }, 'checkpoints: the checkpoint was taken on another source; reading the topic from the group offsets');
    const connection = kafkaConnection(config);
    const topology = topologyFromConfig(config);
    const topic = config.topic ?? topicFor(topology, 'interactions').name;
    const source = new KafkaSource(connection, {
        topic,
        groupId: config.kafkaGroupId,
        fromBeginning: config.kafkaFromBeginning,
        commitIntervalMs: config.kafkaCommitIntervalMs,
        sessionTimeoutMs: config.kafkaSessionTimeoutMs,
        restartBackoffMs: 1000,
        commits: context.checkpoints ? 'checkpoint' : 'interval',
        ...(position?.kind === 'kafka' ? { resumeAt: position.offsets } : {}),
    }, context.gate, context.instrumentation);
    return {
        kind: 'kafka',
        records: source.records(),
        name: `kafka ${topic} (group ${config.kafkaGroupId}, brokers ${config.kafkaBrokers})`,
        adapter: source.adapter,
        positions: {
            capture: () => ({ kind: 'kafka', offsets: source.checkpointOffsets() }),
            commit: (p) => source.commitCheckpoint(p.offsets),
        },
        deadLetter: new KafkaDeadLetterSink(connection, topicFor(topology, 'dead-letter').name, context.fallbackDeadLetter),
        kafka: { connection, source },
        publisher: (config.publishIndex ?? true)
            ? new IndexPublisher(connection, topicFor(topology, 'recall-index').name, config.indexChunkBytes)
            : null,
    };
}
//# sourceMappingURL=trainSource.js.map