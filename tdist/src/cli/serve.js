import { IndexArtifactError, KafkaAdapterError } from '../errors.js';
import { retry } from '../util/retry.js';
import { BackgroundIndexBuilder } from '../index/backgroundIndexBuilder.js';
import { logInstrumentationErrors } from '../log/instrumentationLog.js';
import { createLogger } from '../log/logger.js';
import { Instrumentation } from '../metrics/instrumentation.js';
import { Metrics } from '../metrics/metrics.js';
import { RecallIndexAssembler } from '../publish/recallIndexAssembler.js';
import { startRecallThread } from './recallApiStart.js';
import { kafkaConnection, topologyFromConfig } from '../kafka/connectionFromConfig.js';
import { RecallTopicReader } from '../kafka/recallTopicReader.js';
import { topicFor } from '../kafka/topology.js';
/**
 * Start reading the recall topic, retrying with backoff and jitter (util/retry) while Kafka does
 * not answer, each wait logged; gives up at --kafka-start-timeout-ms with one KafkaAdapterError.
 */
async function startReading(reader, onMessage, config, stopping, logger) {
    const timeoutMs = config.kafkaStartTimeoutMs;
    // A plain timer, not AbortSignal.timeout / any: their composite signal can be collected before it fires.
    const expiry = new AbortController();
    const deadline = expiry.signal;
    const timer = setTimeout(() => expiry.abort(), timeoutMs);
    const onStop = () => expiry.abort();
    stopping.addEventListener('abort', onStop, { once: true });
    let last = null;
    const attempt = async (n) => {
        if (n === 0)
            logger.info({ brokers: config.kafkaBrokers, timeoutMs }, 'waiting for Kafka to read the recall topic');
        try {
            // An attempt that kafkajs keeps retrying inside ends at the deadline too.
            await Promise.race([
                reader.start(onMessage),
                new Promise((_, reject) => {
                    const fail = () => reject(new KafkaAdapterError('start deadline passed'));
                    if (deadline.aborted)
                        fail();
                    deadline.addEventListener('abort', fail, { once: true });
                }),
            ]);
        }
        catch (err) {
            if (!deadline.aborted)
                last = err;
            await reader.stop().catch(() => { });
            throw err;
        }
    };
    try {
        await retry(attempt, {
            retries: Number.MAX_SAFE_INTEGER,
            initialDelayMs: 500,
            maxDelayMs: 10_000,
            signal: deadline,
            retriable: () => !deadline.aborted,
            onRetry: (err, n, delayMs) => logger.warn({ brokers: config.kafkaBrokers, attempt: n, delayMs, reason: errorMessage(err) }, 'waiting for Kafka to read the recall topic'),
        });
    }
    catch (err) {
        if (stopping.aborted)
            return;
        const reason = last ? `last error: ${errorMessage(last)}` : 'the first connection attempt had not finished';
        throw new KafkaAdapterError(`Kafka at ${config.kafkaBrokers} did not answer within ${timeoutMs / 1000} s (${reason})`, last ?? err);
    }
    finally {
        clearTimeout(timer);
        stopping.removeEventListener('abort', onStop);
    }
}
const errorMessage = (err) => (err instanceof Error ? err.message : String(err));
/**
 * `micstream serve`: a recall server fed by the recall topic. This thread reads the topic and
 * assembles the newest complete and verified index version, builds its HNSW indexes in a worker
 * thread, and hands the version to the recall API's own thread (RecallThread, as `train` does),
 * which loads the graphs and swaps them in at once while it keeps answering from the previous
 * version: nothing of a version load runs on the thread that answers requests. A torn or corrupt
 * version is rejected and the previous one stays live. One build at a time: a version assembled
 * while another builds waits, and only the newest waiting one is built.
 */
export async function runServe(config, logger = createLogger({ level: config.logLevel, format: config.logFormat })) {
    const connection = kafkaConnection(config);
    const topic = topicFor(topologyFromConfig(config), 'recall-index').name;
    const instrumentation = new Instrumentation();
    const metrics = new Metrics(instrumentation);
    const assembler = new RecallIndexAssembler();
    const offErrorLogs = logInstrumentationErrors(instrumentation, logger);
    const builder = new BackgroundIndexBuilder();
    let building = false;
    let waiting = null;
    const buildNext = async () => {
        if (building)
            return;
        building = true;
        try {
            while (waiting) {
                const assembled = waiting;
                waiting = null;
                const started = Date.now();
                try {
                    const hnsw = {
                        dim: assembled.dim,
                        m: config.hnswM,
                        efConstruction: config.hnswEfConstruction,
                        efSearch: config.hnswEfSearch,
                        seed: config.seed,
                    };
                    // The graphs go from the build worker to the API thread as files: this thread never holds them.
                    const [users, items] = await Promise.all([
                        builder.buildFile(assembled.users.ids, assembled.users.vectors, hnsw),
                        builder.buildFile(assembled.items.ids, assembled.items.vectors, hnsw),
                    ]);
                    if (!(await thread.serve(assembled, { graphs: { users, items, hnsw } })))
                        continue;
                    instrumentation.emit('index.published', {
                        version: assembled.version,
                        users: assembled.users.ids.length,
                        items: assembled.items.ids.length,
                        durationMs: Date.now() - started,
                        createdAt: Date.now(),
                    });
                    instrumentation.emit('recall.loaded', { version: assembled.version, channel: 'all', writerEpoch: assembled.writerEpoch ?? 0 });
                    logger.info({
                        version: assembled.version,
                        users: assembled.users.ids.length,
                        items: assembled.items.ids.length,
                        buildMs: Date.now() - started,
                    }, 'serving index version');
                }
                catch (error) {
                    instrumentation.emit('index.build_failed', { error });
                }
            }
        }
        finally {
            building = false;
        }
    };
    const reader = new RecallTopicReader(connection, topic, instrumentation);
    const onMessage = (message) => {
        try {
            const assembled = assembler.accept(message);
            if (!assembled)
                return;
            if (!waiting || assembled.version > waiting.version)
                waiting = assembled;
            void buildNext();
        }
        catch (err) {
            if (!(err instanceof IndexArtifactError))
                throw err;
            const version = Number(message.headers['micstream-version']);
            instrumentation.emit('recall.rejected', { version, reason: err.message });
        }
    };
    // HTTP first: /healthz answers at once and /readyz says 503 until an index is served, whatever Kafka does.
    const { api: thread, url } = await startRecallThread(config, logger, metrics.registry);
    logger.info({ url, topic, brokers: config.kafkaBrokers }, 'recall server listening');
    const stopping = new AbortController();
    const kafkaReady = startReading(reader, onMessage, config, stopping.signal, logger);
    kafkaReady.catch(() => { }); // the caller decides; an unobserved rejection must not end the process
    return {
        url,
        instrumentation,
        kafkaReady,
        async close() {
            stopping.abort();
            await reader.stop();
            await thread.close();
            await builder.close();
            offErrorLogs();
            metrics.close();
            await connection.close();
        },
    };
}
//# sourceMappingURL=serve.js.map