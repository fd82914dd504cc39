import { priorFromData } from '../index/popularityPrior.js';
import type { Config } from '../config/config.js';
import { IndexArtifactError } from '../errors.js';
import { BackgroundIndexBuilder } from '../index/backgroundIndexBuilder.js';
import { logInstrumentationErrors } from '../log/instrumentationLog.js';
import { createLogger, type Logger } from '../log/logger.js';
import { vectorTable, type IndexSnapshot } from '../index/indexSnapshot.js';
import { Instrumentation } from '../metrics/instrumentation.js';
import { Metrics } from '../metrics/metrics.js';
import { RecallIndexAssembler, type AssembledIndex } from '../publish/recallIndexAssembler.js';
import { RecallServer } from '../serve/recallServer.js';
import { mergedOptionsFromConfig } from '../serve/mergedRecall.js';
import { RecallService, type SnapshotProvider } from '../serve/recallService.js';
import { kafkaConnection, topologyFromConfig } from '../kafka/connectionFromConfig.js';
import { RecallTopicReader } from '../kafka/recallTopicReader.js';
import { topicFor } from '../kafka/topology.js';

const EMPTY: ReadonlySet<string> = new Set();

export interface ServeHandle {
  url: string;
  provider: SnapshotProvider;
  instrumentation: Instrumentation;
  close(): Promise<void>;
}

/** The snapshot of an assembled version, its HNSW graphs built in a worker thread (never on the event loop). */
async function buildSnapshot(a: AssembledIndex, config: Config, builder: BackgroundIndexBuilder): Promise<IndexSnapshot> {
  const hnsw = { dim: a.dim, m: config.hnswM, efConstruction: config.hnswEfConstruction, efSearch: config.hnswEfSearch, seed: config.seed };
  const [users, items] = await Promise.all([
    builder.build(a.users.ids, a.users.vectors, hnsw),
    builder.build(a.items.ids, a.items.vectors, hnsw),
  ]);
  const u2iQueries = a.u2iQueries ? vectorTable(a.u2iQueries.ids, a.u2iQueries.vectors) : null;
  return {
    version: a.version,
    createdAt: a.version,
    trainedEvents: a.trainedEvents,
    users,
    items,
    u2iQueries,
    generic: a.generic ?? null,
    prior: a.prior ? priorFromData(a.prior) : null,
  };
}

/**
 * `micstream serve`: a recall server fed by the recall topic. It assembles the newest complete
 * and verified index version, builds its HNSW indexes in a worker thread (requests keep being
 * answered from the previous version meanwhile) and swaps them in at once; a torn or corrupt
 * version is rejected and the previous one stays live. One build at a time: a version assembled
 * while another builds waits, and only the newest waiting one is built.
 */
export async function runServe(
  config: Config,
  logger: Logger = createLogger({ level: config.logLevel, format: config.logFormat }),
): Promise<ServeHandle> {
  const connection = kafkaConnection(config);
  const topic = topicFor(topologyFromConfig(config), 'recall-index').name;
  const instrumentation = new Instrumentation();
  const metrics = new Metrics(instrumentation);
  const assembler = new RecallIndexAssembler();
  let snapshot: IndexSnapshot | null = null;
  let seen = new Map<string, Set<string>>();
  const provider: SnapshotProvider = {
    get snapshot() {
      return snapshot;
    },
    seenItems: (userId) => seen.get(userId) ?? EMPTY,
  };
  const offErrorLogs = logInstrumentationErrors(instrumentation, logger);
  const builder = new BackgroundIndexBuilder();
  let building = false;
  let waiting: AssembledIndex | null = null;
  const buildNext = async (): Promise<void> => {
    if (building) return;
    building = true;
    try {
      while (waiting) {
        const assembled = waiting;
        waiting = null;
        const started = Date.now();
        try {
          const next = await buildSnapshot(assembled, config, builder);
          if (snapshot && next.version <= snapshot.version) continue;
          const nextSeen = new Map(Object.entries(assembled.seen).map(([u, items]) => [u, new Set(items)]));
          // The swap: readers that already hold the previous snapshot finish with it.
          snapshot = next;
          seen = nextSeen;
          instrumentation.emit('index.published', {
            version: next.version,
            users: next.users.size,
            items: next.items.size,
            durationMs: Date.now() - started,
            createdAt: Date.now(),
          });
          instrumentation.emit('recall.loaded', { version: next.version, channel: 'all' });
          logger.info(
            { version: next.version, users: next.users.size, items: next.items.size, buildMs: Date.now() - started },
            'serving index version',
          );
        } catch (error) {
          instrumentation.emit('index.build_failed', { error });
        }
      }
    } finally {
      building = false;
    }
  };
  const reader = new RecallTopicReader(connection, topic, instrumentation);
  await reader.start((message) => {
    try {
      const assembled = assembler.accept(message);
      if (!assembled) return;
      if (!waiting || assembled.version > waiting.version) waiting = assembled;
      void buildNext();
    } catch (err) {
      if (!(err instanceof IndexArtifactError)) throw err;
      const version = Number(message.headers['micstream-version']);
      instrumentation.emit('recall.rejected', { version, reason: err.message });
    }
  });
  const server = new RecallServer({
    host: config.host,
    port: config.port,
    maxConnections: config.maxConnections,
    headersTimeoutMs: config.headersTimeoutMs,
    service: new RecallService(provider, mergedOptionsFromConfig(config)),
    registry: metrics.registry,
    isReady: () => snapshot !== null,
    onInternalError: (error, request) => logger.error({ url: request.url, err: error }, 'recall request failed with an internal error'),
  });
  const address = await server.listen();
  const url = `http://${address.address}:${address.port}`;
  logger.info({ url, topic, brokers: config.kafkaBrokers }, 'recall server listening');
  return {
    url,
    provider,
    instrumentation,
    async close() {
      await reader.stop();
      await server.close();
      await builder.close();
      offErrorLogs();
      metrics.close();
      await connection.close();
    },
  };
}
