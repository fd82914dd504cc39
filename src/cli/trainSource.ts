// The training source `micstream train` reads (Kafka topic, file replay or synthetic), with its position for checkpoints.
import type { Observable } from 'rxjs';
import type { Config } from '../config/config.js';
import { ConfigError } from '../errors.js';
import { kafkaConnection, topologyFromConfig } from '../kafka/connectionFromConfig.js';
import type { KafkaConnection } from '../kafka/kafkaConnection.js';
import { KafkaDeadLetterSink } from '../kafka/kafkaDeadLetterSink.js';
import { KafkaSource } from '../kafka/kafkaSource.js';
import { topicFor } from '../kafka/topology.js';
import type { Logger } from '../log/logger.js';
import type { Instrumentation } from '../metrics/instrumentation.js';
import type { SourcePositions } from '../pipeline/checkpointer.js';
import type { RecordAdapter } from '../pipeline/trainingPipeline.js';
import { IndexPublisher } from '../publish/indexPublisher.js';
import type { DeadLetterSink } from '../sources/deadLetter.js';
import { fileReplaySource } from '../sources/fileReplaySource.js';
import type { FlowGate } from '../sources/flowGate.js';
import { SequencedRecords } from '../sources/sequencedRecords.js';
import { syntheticSource } from '../sources/syntheticSource.js';
import type { SourcePosition } from './checkpoints.js';

export interface TrainSource {
  kind: 'kafka' | 'file' | 'synthetic';
  records: Observable<unknown>;
  /** For the logs and the summary. */
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an adapter of whatever record type the source emits
  adapter: RecordAdapter<any>;
  /** Where the source stands, for checkpoints (and how a checkpointed position is committed, on Kafka). */
  positions: SourcePositions;
  /** Where invalid records go: the Kafka dead-letter topic in front of `fallback`, or `fallback` itself. */
  deadLetter: DeadLetterSink;
  /** The Kafka connection and consumer (null for files and the synthetic stream). */
  kafka: { connection: KafkaConnection; source: KafkaSource } | null;
  /** Publishes index versions to the recall topic (Kafka only, unless --no-publish-index). */
  publisher: IndexPublisher | null;
}

export interface TrainSourceContext {
  gate: FlowGate;
  instrumentation: Instrumentation;
  logger: Logger;
  /** The position the restored checkpoint covers (null: from the start / the group's offsets). */
  position: SourcePosition | null;
  /** Offsets are committed only once a checkpoint covering them is durable. */
  checkpoints: boolean;
  fallbackDeadLetter: DeadLetterSink;
}

/** Opens the source `config` names; a restored position is resumed (Kafka offsets, or records skipped from the start). */
export function openTrainSource(config: Config, context: TrainSourceContext): TrainSource {
  const { gate, logger, position } = context;
  const kind = config.source === 'auto' ? (config.data ? 'file' : 'synthetic') : config.source;
  if (kind === 'kafka') return openKafkaSource(config, context);
  const name =
    kind === 'file'
      ? `file:${config.data}`
      : `synthetic:seed=${config.seed},events=${config.syntheticEvents},drift=${config.driftAt ?? 'none'}`;
  // A source without positions of its own is numbered; a restored checkpoint's count is skipped.
  const skip = position?.kind === 'records' && position.source === name ? position.records : 0;
  if (position && skip === 0)
    logger.warn(
      { checkpointSource: position, source: name },
      'checkpoints: the checkpoint was taken on another source; reading this one from its start',
    );
  const sequence = new SequencedRecords(name, skip);
  const common = {
    adapter: sequence.adapter,
    positions: { capture: (): SourcePosition => ({ kind: 'records', source: name, records: sequence.position }) },
    deadLetter: context.fallbackDeadLetter,
    kafka: null,
    publisher: null,
  };
  if (kind === 'file') {
    if (!config.data) throw new ConfigError(['source file needs --data PATH']);
    return {
      ...common,
      kind,
      records: sequence.number(
        fileReplaySource(config.data, {
          gate,
          skip: sequence.position,
          onNotes: (notes) => logger.info({ dataset: config.data, notes }, 'dataset read'),
        }),
      ),
      name: `file ${config.data}`,
    };
  }
  const records = syntheticSource(
    {
      events: config.syntheticEvents,
      users: config.syntheticUsers,
      items: config.syntheticItems,
      clusters: config.syntheticClusters,
      seed: config.seed,
      ...(config.driftAt !== undefined ? { driftAt: config.driftAt } : {}),
    },
    gate,
    sequence.position,
  ).pipe(sequence.number.bind(sequence));
  return {
    ...common,
    kind: 'synthetic',
    records,
    name: `synthetic (${config.syntheticEvents} events, ${config.syntheticUsers} users, ${config.syntheticItems} items)`,
  };
}

function openKafkaSource(config: Config, context: TrainSourceContext): TrainSource {
  const { position } = context;
  if (position && position.kind !== 'kafka')
    context.logger.warn(
      { checkpointSource: position },
      'checkpoints: the checkpoint was taken on another source; reading the topic from the group offsets',
    );
  const connection = kafkaConnection(config);
  const topology = topologyFromConfig(config);
  const topic = config.topic ?? topicFor(topology, 'interactions').name;
  const source = new KafkaSource(
    connection,
    {
      topic,
      groupId: config.kafkaGroupId,
      fromBeginning: config.kafkaFromBeginning,
      commitIntervalMs: config.kafkaCommitIntervalMs,
      sessionTimeoutMs: config.kafkaSessionTimeoutMs,
      restartBackoffMs: 1000,
      commits: context.checkpoints ? 'checkpoint' : 'interval',
      ...(position?.kind === 'kafka' ? { resumeAt: position.offsets } : {}),
    },
    context.gate,
    context.instrumentation,
  );
  return {
    kind: 'kafka',
    records: source.records(),
    name: `kafka ${topic} (group ${config.kafkaGroupId}, brokers ${config.kafkaBrokers})`,
    adapter: source.adapter,
    positions: {
      capture: (): SourcePosition => ({ kind: 'kafka', offsets: source.checkpointOffsets() }),
      commit: (p: unknown) => source.commitCheckpoint((p as Extract<SourcePosition, { kind: 'kafka' }>).offsets),
    },
    deadLetter: new KafkaDeadLetterSink(connection, topicFor(topology, 'dead-letter').name, context.fallbackDeadLetter),
    kafka: { connection, source },
    publisher:
      (config.publishIndex ?? true)
        ? new IndexPublisher(connection, topicFor(topology, 'recall-index').name, config.indexChunkBytes)
        : null,
  };
}
