import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { servingChoiceMetrics } from './servingChoiceMetrics.js';
import { ThreadHeaps } from '../util/threadHeap.js';
/**
 * Prometheus metrics (prom-client), fed only by instrumentation events. Names follow
 * micstream_<area>_<thing>_<unit>; see docs/OPERATIONS.md for the full list.
 */
export class Metrics {
    registry;
    eventsTrained;
    eventsInvalid;
    eventsHeldOut;
    steps;
    stepErrors;
    stepSeconds;
    extrasSides;
    loss;
    indexVersion;
    indexSize;
    indexBuildSeconds;
    indexAgeSeconds;
    indexUnservedEvents;
    prequentialHits;
    u2iBlend;
    prequentialTrials;
    storeRows;
    entityEntries;
    storeBytes;
    inFlight;
    consumerLag;
    consumerPaused;
    consumerCrashes;
    consumerCommits;
    consumerRebalances;
    deadLetterErrors;
    indexPublishFailures;
    indexBuildFailures;
    recallLoaded;
    recallRejected;
    recallWriterEpoch;
    checkpoints;
    checkpointFailures;
    checkpointSeconds;
    checkpointBytes;
    checkpointLastSuccess;
    checkpointCoveredEvents;
    lastPublishedAt = 0;
    trainedTotal = 0;
    servedTrained = null;
    unsubscribe = [];
    constructor(instrumentation, options = {}) {
        const registry = (this.registry = new Registry());
        if (options.defaultMetrics ?? true) {
            collectDefaultMetrics({ register: registry, prefix: 'micstream_process_' });
            const heaps = new ThreadHeaps();
            this.unsubscribe.push(() => heaps.close());
            new Gauge({
                name: 'micstream_thread_heap_used_bytes',
                help: 'V8 heap in use per thread (main, and each worker by its job, as the worker last reported it)',
                labelNames: ['thread'],
                registers: [registry],
                collect() {
                    const byThread = new Map();
                    for (const h of heaps.current())
                        byThread.set(h.thread, (byThread.get(h.thread) ?? 0) + h.usedBytes);
                    this.reset();
                    for (const [thread, bytes] of byThread)
                        this.set({ thread }, bytes);
                },
            });
        }
        this.eventsTrained = new Counter({
            name: 'micstream_events_trained_total',
            help: 'Valid events applied by a training step',
            registers: [registry],
        });
        this.eventsInvalid = new Counter({
            name: 'micstream_events_invalid_total',
            help: 'Invalid events, by reason',
            labelNames: ['reason'],
            registers: [registry],
        });
        this.eventsHeldOut = new Counter({
            name: 'micstream_events_heldout_total',
            help: 'Events held back from training for evaluation',
            registers: [registry],
        });
        this.steps = new Counter({ name: 'micstream_trainer_steps_total', help: 'Training steps', registers: [registry] });
        this.stepErrors = new Counter({
            name: 'micstream_trainer_step_errors_total',
            help: 'Training steps that failed (their events went to the dead letter)',
            registers: [registry],
        });
        this.stepSeconds = new Histogram({
            name: 'micstream_trainer_step_seconds',
            help: 'Duration of one training step',
            buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
            registers: [registry],
        });
        this.extrasSides = new Counter({
            name: 'micstream_trainer_extras_sides_total',
            help: 'Step sides (user / item) whose MIC kNN positives and hard negatives came from the extras worker (source="worker") or were computed ' +
                'on the training thread (source="inline": no prefetch, or the snapshot or clustering changed since)',
            labelNames: ['source'],
            registers: [registry],
        });
        this.loss = new Gauge({
            name: 'micstream_trainer_loss',
            help: 'Loss of the latest step, by term (total and each task)',
            labelNames: ['term'],
            registers: [registry],
        });
        this.indexVersion = new Gauge({ name: 'micstream_index_version', help: 'Version of the index being served', registers: [registry] });
        this.indexSize = new Gauge({
            name: 'micstream_index_vectors',
            help: 'Vectors in the served index',
            labelNames: ['kind'],
            registers: [registry],
        });
        this.indexBuildSeconds = new Histogram({
            name: 'micstream_index_build_seconds',
            help: 'Time to build one index version',
            buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30],
            registers: [registry],
        });
        const lastPublishedAt = () => this.lastPublishedAt;
        this.indexAgeSeconds = new Gauge({
            name: 'micstream_index_age_seconds',
            help: 'Seconds since the served index was built (freshness)',
            registers: [registry],
            collect() {
                if (lastPublishedAt() > 0)
                    this.set((Date.now() - lastPublishedAt()) / 1000);
            },
        });
        const unserved = () => (this.servedTrained === null ? null : Math.max(0, this.trainedTotal - this.servedTrained));
        this.indexUnservedEvents = new Gauge({
            name: 'micstream_index_unserved_events',
            help: 'Events trained but not yet in the served index (0 in a quiet period once the idle refresh ran)',
            registers: [registry],
            collect() {
                const n = unserved();
                if (n !== null)
                    this.set(n);
            },
        });
        this.prequentialHits = new Counter({
            name: 'micstream_prequential_hits_total',
            help: 'Prequential (test-then-train) hits: the event item was in the user top-K before learning',
            labelNames: ['k'],
            registers: [registry],
        });
        this.prequentialTrials = new Counter({
            name: 'micstream_prequential_trials_total',
            help: 'Prequential trials (events checked before learning)',
            labelNames: ['k'],
            registers: [registry],
        });
        this.u2iBlend = new Gauge({
            name: 'micstream_u2i_user_blend',
            help: 'Weight of the attribute-only user vector in the U2I queries of the served index (0 = full vectors)',
            registers: [registry],
        });
        this.entityEntries = new Gauge({
            name: 'micstream_entity_entries',
            help: 'Entries held by each per-id structure of the learner besides the embedding rows (seen pairs, histories, frequencies, tables)',
            labelNames: ['structure'],
            registers: [registry],
        });
        this.storeRows = new Gauge({ name: 'micstream_embedding_rows', help: 'Rows in the sparse embedding store', registers: [registry] });
        this.storeBytes = new Gauge({
            name: 'micstream_embedding_bytes',
            help: 'Approximate bytes held by the embedding store',
            registers: [registry],
        });
        const inFlight = options.inFlight;
        this.inFlight = new Gauge({
            name: 'micstream_pipeline_inflight_events',
            help: 'Events emitted by the source and not yet trained (bounded by backpressure)',
            registers: [registry],
            collect() {
                if (inFlight)
                    this.set(inFlight());
            },
        });
        this.consumerLag = new Gauge({
            name: 'micstream_kafka_consumer_lag_messages',
            help: 'Messages behind the end of each partition after the latest batch',
            labelNames: ['topic', 'partition'],
            registers: [registry],
        });
        this.consumerPaused = new Gauge({
            name: 'micstream_kafka_consumer_paused',
            help: '1 while the consumer is paused by backpressure',
            registers: [registry],
        });
        this.consumerCrashes = new Counter({
            name: 'micstream_kafka_consumer_crashes_total',
            help: 'Consumer crashes (restart="true": kafkajs restarts it; "false": micstream re-creates it with backoff)',
            labelNames: ['restart'],
            registers: [registry],
        });
        this.consumerCommits = new Counter({
            name: 'micstream_kafka_offset_commits_total',
            help: 'Offset commit requests of finished records',
            registers: [registry],
        });
        this.consumerRebalances = new Counter({
            name: 'micstream_kafka_rebalances_total',
            help: 'Consumer group (re)joins',
            registers: [registry],
        });
        this.deadLetterErrors = new Counter({
            name: 'micstream_deadletter_errors_total',
            help: 'Dead-letter writes that failed (the source record stays uncommitted and is re-read)',
            registers: [registry],
        });
        this.indexPublishFailures = new Counter({
            name: 'micstream_index_publish_failures_total',
            help: 'Index versions that could not be published to the recall topic',
            registers: [registry],
        });
        this.indexBuildFailures = new Counter({
            name: 'micstream_index_build_failures_total',
            help: 'Background index builds that failed (the previous snapshot stays live)',
            registers: [registry],
        });
        this.recallLoaded = new Counter({
            name: 'micstream_recall_versions_loaded_total',
            help: 'Index versions assembled, verified and swapped in by a recall server',
            registers: [registry],
        });
        this.recallRejected = new Counter({
            name: 'micstream_recall_versions_rejected_total',
            help: 'Index versions rejected as torn or corrupt (the previous one stays live)',
            registers: [registry],
        });
        this.recallWriterEpoch = new Gauge({
            name: 'micstream_recall_writer_epoch',
            help: 'Writer epoch (learner start time, ms) of the served version: one value across replicas = one writer',
            registers: [registry],
        });
        this.checkpoints = new Counter({
            name: 'micstream_checkpoints_total',
            help: 'Learner checkpoints made durable, by why they were taken (interval, drain)',
            labelNames: ['reason'],
            registers: [registry],
        });
        this.checkpointFailures = new Counter({
            name: 'micstream_checkpoint_failures_total',
            help: 'Checkpoints (or their offset commits) that failed; offsets stay uncommitted until the next one',
            registers: [registry],
        });
        this.checkpointSeconds = new Histogram({
            name: 'micstream_checkpoint_seconds',
            help: 'Checkpoint time: capture (training waits) and total (until durable)',
            labelNames: ['phase'],
            buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 120],
            registers: [registry],
        });
        this.checkpointBytes = new Gauge({
            name: 'micstream_checkpoint_bytes',
            help: 'Size of the last durable checkpoint',
            registers: [registry],
        });
        this.checkpointLastSuccess = new Gauge({
            name: 'micstream_checkpoint_last_success_timestamp_seconds',
            help: 'When the last checkpoint became durable (Unix time)',
            registers: [registry],
        });
        this.checkpointCoveredEvents = new Gauge({
            name: 'micstream_checkpoint_covered_events',
            help: 'Trained events the last durable checkpoint covers (a restart loses no learning up to here)',
            registers: [registry],
        });
        this.unsubscribe.push(...servingChoiceMetrics(registry, instrumentation), instrumentation.on('checkpoint.written', (e) => {
            this.checkpoints.inc({ reason: e.reason });
            this.checkpointSeconds.observe({ phase: 'capture' }, e.captureMs / 1000);
            this.checkpointSeconds.observe({ phase: 'total' }, e.totalMs / 1000);
            this.checkpointBytes.set(e.bytes);
            this.checkpointLastSuccess.set(Date.now() / 1000);
            this.checkpointCoveredEvents.set(e.trainedEvents);
        }), instrumentation.on('checkpoint.failed', () => this.checkpointFailures.inc()), instrumentation.on('consumer.lag', (e) => this.consumerLag.set({ topic: e.topic, partition: String(e.partition) }, e.lag)), instrumentation.on('consumer.paused', () => this.consumerPaused.set(1)), instrumentation.on('consumer.resumed', () => this.consumerPaused.set(0)), instrumentation.on('consumer.crash', (e) => this.consumerCrashes.inc({ restart: String(e.restart) })), instrumentation.on('consumer.commit', () => this.consumerCommits.inc()), instrumentation.on('consumer.rebalance', () => this.consumerRebalances.inc()), instrumentation.on('deadletter.error', () => this.deadLetterErrors.inc()), instrumentation.on('index.publish_failed', () => this.indexPublishFailures.inc()), instrumentation.on('index.build_failed', () => this.indexBuildFailures.inc()), instrumentation.on('recall.loaded', (e) => {
            this.recallLoaded.inc();
            if (e.writerEpoch !== undefined)
                this.recallWriterEpoch.set(e.writerEpoch);
        }), instrumentation.on('recall.rejected', () => this.recallRejected.inc()), instrumentation.on('trainer.step', (e) => {
            this.steps.inc();
            this.eventsTrained.inc(e.events);
            this.trainedTotal = e.totalEvents;
            this.stepSeconds.observe(e.durationMs / 1000);
            if (e.extrasFrom?.worker)
                this.extrasSides.inc({ source: 'worker' }, e.extrasFrom.worker);
            if (e.extrasFrom?.inline)
                this.extrasSides.inc({ source: 'inline' }, e.extrasFrom.inline);
            this.loss.set({ term: 'total' }, e.loss);
            for (const [term, value] of Object.entries(e.terms))
                this.loss.set({ term }, value);
        }), instrumentation.on('trainer.error', () => this.stepErrors.inc()), instrumentation.on('event.invalid', (e) => this.eventsInvalid.inc({ reason: e.reason })), instrumentation.on('event.holdout', () => this.eventsHeldOut.inc()), instrumentation.on('index.published', (e) => {
            this.lastPublishedAt = e.createdAt;
            if (e.trainedEvents !== undefined)
                this.servedTrained = e.trainedEvents;
            this.indexVersion.set(e.version);
            this.indexSize.set({ kind: 'user' }, e.users);
            this.indexSize.set({ kind: 'item' }, e.items);
            this.indexBuildSeconds.observe(e.durationMs / 1000);
            if (e.u2iBlend !== undefined)
                this.u2iBlend.set(e.u2iBlend);
        }), instrumentation.on('prequential.hit', (e) => {
            this.prequentialTrials.inc({ k: String(e.k) });
            if (e.hit)
                this.prequentialHits.inc({ k: String(e.k) });
        }), instrumentation.on('store.size', (e) => {
            this.storeRows.set(e.rows);
            this.storeBytes.set(e.bytes);
        }), instrumentation.on('entity.sizes', (e) => {
            for (const [structure, n] of Object.entries(e))
                this.entityEntries.set({ structure }, n);
        }));
    }
    close() {
        for (const off of this.unsubscribe)
            off();
    }
}
//# sourceMappingURL=metrics.js.map