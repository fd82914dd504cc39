import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { loadConfig } from '../../src/config/config.js';
/** The broker of this test run (scripts/run-tests.sh starts one, or reuses MICSTREAM_KAFKA_BROKERS). */
export function brokers() {
    const b = process.env.MICSTREAM_KAFKA_BROKERS;
    if (!b)
        throw new Error('MICSTREAM_KAFKA_BROKERS is not set: run these tests with `npm run test:kafka` or `npm test`, which start a local broker');
    return b;
}
export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
/**
 * A learner reading the interactions topic with nothing but training in the way: plain DSSM, no
 * hold-out, no publishing, no prequential checks (what most Kafka tests want besides their own flags).
 */
export const PLAIN_KAFKA_LEARNER = [
    '--source',
    'kafka',
    '--model',
    'dssm',
    '--holdout-fraction',
    '0',
    '--no-publish-index',
    '--prequential-sample-rate',
    '0',
];
/** The flags that isolate one run on the shared broker: its brokers, a topic prefix and a group of its own. */
export function isolationFlags(prefix) {
    return [
        '--kafka-brokers',
        brokers(),
        '--topic-prefix',
        prefix,
        '--kafka-group-id',
        `${prefix}learner`,
        '--topology',
        `${REPO}topology/topics.json`,
    ];
}
/** A config for an isolated run: unique topic prefix and group, everything else from flags. */
/**
 * The flags of a learner process on an isolated topic set and group, consuming Kafka with every
 * event trained (no hold-out, no prequential sampling): what the fault tests start, plus `extra`.
 */
export function kafkaLearnerFlags(prefix, extra = []) {
    return ['--source', 'kafka', ...isolationFlags(prefix), '--holdout-fraction', '0', '--prequential-sample-rate', '0', ...extra];
}
export function kafkaTestConfig(extra = [], prefix = `t${randomUUID().slice(0, 8)}-`) {
    return loadConfig({
        argv: [...isolationFlags(prefix), '--port', '0', ...extra],
        env: {},
    }).config;
}
export function rawKafka() {
    return new Kafka({ clientId: 'micstream-test', brokers: brokers().split(','), logLevel: logLevel.NOTHING });
}
/** Committed offsets of a group vs the end of each partition. */
export async function lagOf(groupId, topic) {
    const admin = rawKafka().admin();
    await admin.connect();
    try {
        const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
        const ends = await admin.fetchTopicOffsets(topic);
        const partitions = ends.map((e) => ({
            partition: e.partition,
            high: e.high,
            committed: offsets.partitions.find((p) => p.partition === e.partition)?.offset ?? '-1',
        }));
        return {
            committed: partitions.reduce((s, p) => s + Math.max(0, Number(p.committed)), 0),
            end: partitions.reduce((s, p) => s + Number(p.high), 0),
            partitions,
        };
    }
    finally {
        await admin.disconnect();
    }
}
/** Read every message of a topic from the beginning (until `expected` messages or the timeout). */
export async function readAll(topic, expected, timeoutMs = 30000) {
    const consumer = rawKafka().consumer({ groupId: `reader-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const out = [];
    await new Promise((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        void consumer.run({
            eachMessage: async ({ message }) => {
                const headers = {};
                for (const [k, v] of Object.entries(message.headers ?? {}))
                    if (v !== undefined)
                        headers[k] = v.toString();
                out.push({ value: message.value ?? Buffer.alloc(0), headers, key: message.key?.toString() ?? '' });
                if (out.length >= expected) {
                    clearTimeout(timer);
                    resolve();
                }
            },
        });
    });
    await consumer.disconnect();
    return out;
}
/** Halt / start the broker of this run (only when scripts/run-tests.sh started it). */
export function brokerControl() {
    const script = process.env.MICSTREAM_KAFKA_CONTROL;
    if (!script)
        return null;
    return (action) => {
        execFileSync(`${REPO}${script}`, [action], { stdio: ['ignore', 'ignore', 'inherit'] });
    };
}
//# sourceMappingURL=kafka.js.map