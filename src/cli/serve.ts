import type { Config } from '../config/config.js';
import { IndexArtifactError } from '../errors.js';
import { HnswIndex } from '../index/hnswIndex.js';
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

function buildSnapshot(a: AssembledIndex, config: Config): IndexSnapshot {
  const make = (side: { ids: string[]; vectors: Float32Array }) => {
    const index = new HnswIndex({
      dim: a.dim,
      m: config.hnswM,
      efConstruction: config.hnswEfConstruction,
      efSearch: config.hnswEfSearch,
      seed: config.seed,
      initialCapacity: Math.max(16, side.ids.length),
    });
    if (side.ids.length) index.add(side.ids, side.vectors);
    return index;
  };
  const u2iQueries = a.u2iQueries ? vectorTable(a.u2iQueries.ids, a.u2iQueries.vectors) : null;
  return {
    version: a.version,
    createdAt: a.version,
    trainedEvents: a.trainedEvents,
    users: make(a.users),
    items: make(a.items),
    u2iQueries,
  };
}

/**
 * `micstream serve`: a recall server fed by the recall topic. It assembles the newest complete
 * and verified index version, builds its HNSW indexes and swaps them in at once; a torn or
 * corrupt version is rejected and the previous one stays live.
 */
export async function runServe(config: Config, log: (line: string) => void = console.log): Promise<ServeHandle> {
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
  const reader = new RecallTopicReader(connection, topic, instrumentation);
  await reader.start((message) => {
    try {
      const assembled = assembler.accept(message);
      if (!assembled) return;
      const started = Date.now();
      const next = buildSnapshot(assembled, config);
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
      log(`serving index version ${next.version} (${next.users.size} users, ${next.items.size} items)`);
    } catch (err) {
      if (!(err instanceof IndexArtifactError)) throw err;
      const version = Number(message.headers['micstream-version']);
      instrumentation.emit('recall.rejected', { version, reason: err.message });
      log(`rejected index version ${version}: ${err.message}; still serving ${snapshot?.version ?? 'nothing'}`);
    }
  });
  const server = new RecallServer({
    host: config.host,
    port: config.port,
    service: new RecallService(provider, mergedOptionsFromConfig(config)),
    registry: metrics.registry,
    isReady: () => snapshot !== null,
  });
  const address = await server.listen();
  const url = `http://${address.address}:${address.port}`;
  log(`recall server listening on ${url}, reading ${topic} at ${config.kafkaBrokers}`);
  return {
    url,
    provider,
    instrumentation,
    async close() {
      await reader.stop();
      await server.close();
      metrics.close();
      await connection.close();
    },
  };
}
