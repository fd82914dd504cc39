import { ConfigError } from '../errors.js';
import { loadDataset } from '../sources/datasetFiles.js';
import { kafkaConnection, topologyFromConfig } from '../kafka/connectionFromConfig.js';
import { produceRecords } from '../kafka/recordProducer.js';
import { applyTopology, formatDrift, topicFor } from '../kafka/topology.js';
import { SyntheticWorld } from '../sources/syntheticSource.js';
import { progressBar } from './progressBar.js';
/** `micstream topology check|apply`. Exit code 1 when apply finds drift it cannot fix. */
export async function runTopology(config, action, log = console.log) {
    const topology = topologyFromConfig(config);
    if (action === 'check') {
        log(`${config.topology}: valid (${topology.topics.map((t) => `${t.name} [${t.role}, ${t.partitions} partitions]`).join(', ')})`);
        return 0;
    }
    if (action !== 'apply')
        throw new ConfigError([`topology: unknown action "${action}" (check or apply)`]);
    const connection = kafkaConnection(config);
    try {
        const report = await applyTopology(connection, topology, config.dryRun);
        log(formatDrift(report, config.dryRun));
        return report.unfixable.length ? 1 : 0;
    }
    finally {
        await connection.close();
    }
}
/** `micstream replay`: produce a dataset (or the synthetic stream) into a topic, with a progress bar. */
export async function runReplay(config, log = console.log, progress = (done, total) => progressBar(done, total, 'events')) {
    const topic = config.topic ?? topicFor(topologyFromConfig(config), 'interactions').name;
    let records;
    if (config.data) {
        const data = loadDataset(config.data);
        for (const note of data.notes)
            log(`dataset: ${note}`);
        records = data.format === 'jsonl' ? data.lines : data.events;
    }
    else {
        const world = new SyntheticWorld({
            events: config.maxEvents ?? config.syntheticEvents,
            users: config.syntheticUsers,
            items: config.syntheticItems,
            clusters: config.syntheticClusters,
            seed: config.seed,
            ...(config.driftAt !== undefined ? { driftAt: config.driftAt } : {}),
        });
        records = [...world.events()];
    }
    if (config.maxEvents !== undefined)
        records = records.slice(0, config.maxEvents);
    const connection = kafkaConnection(config);
    const started = Date.now();
    try {
        const sent = await produceRecords(connection, records, {
            topic,
            batchSize: 500,
            ...(config.rate !== undefined ? { rate: config.rate } : {}),
            ...(progress ? { onProgress: progress } : {}),
        });
        const secs = (Date.now() - started) / 1000;
        log(`replayed ${sent} records into ${topic} in ${secs.toFixed(1)} s (${(sent / Math.max(secs, 1e-3)).toFixed(0)} records/s)`);
        return 0;
    }
    finally {
        await connection.close();
    }
}
//# sourceMappingURL=kafkaCommands.js.map