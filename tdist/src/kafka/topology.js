import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { TopologyError } from '../errors.js';
import { kafkaCall } from './kafkaConnection.js';
export const TOPIC_ROLES = ['interactions', 'dead-letter', 'recall-index', 'writer-lease'];
const topicSchema = z.strictObject({
    name: z.string().regex(/^[a-zA-Z0-9._-]{1,200}$/, 'topic names are 1-200 of [a-zA-Z0-9._-]'),
    role: z.enum(TOPIC_ROLES),
    partitions: z.number().int().min(1).max(10000),
    replicationFactor: z.number().int().min(1).max(10),
    config: z.record(z.string(), z.string()),
});
const topologySchema = z.strictObject({
    $comment: z.string().optional(),
    topics: z.array(topicSchema).min(1),
});
/**
 * Read and validate a topology file. Every problem is listed at once.
 * @throws TopologyError (MICSTREAM_ERR_TOPOLOGY)
 */
export function loadTopology(path, prefix = '') {
    let raw;
    try {
        raw = JSON.parse(readFileSync(path, 'utf8'));
    }
    catch (err) {
        throw new TopologyError([`${path}: ${err instanceof Error ? err.message : String(err)}`]);
    }
    const parsed = topologySchema.safeParse(raw);
    if (!parsed.success)
        throw new TopologyError(parsed.error.issues.map((i) => `${path}: ${i.path.join('.') || '(root)'}: ${i.message}`));
    const problems = [];
    const names = parsed.data.topics.map((t) => t.name);
    for (const dup of new Set(names.filter((n, i) => names.indexOf(n) !== i)))
        problems.push(`${path}: topic "${dup}" is declared twice`);
    for (const role of TOPIC_ROLES) {
        const n = parsed.data.topics.filter((t) => t.role === role).length;
        if (n !== 1)
            problems.push(`${path}: expected exactly one topic with role "${role}", found ${n}`);
    }
    for (const t of parsed.data.topics) {
        const policy = t.config['cleanup.policy'];
        if (policy !== undefined && !['delete', 'compact', 'compact,delete', 'delete,compact'].includes(policy))
            problems.push(`${path}: ${t.name}: cleanup.policy "${policy}" is not delete/compact`);
        for (const key of ['retention.ms', 'max.message.bytes']) {
            const v = t.config[key];
            if (v !== undefined && !/^-?\d+$/.test(v))
                problems.push(`${path}: ${t.name}: ${key} must be an integer string, got "${v}"`);
        }
    }
    if (problems.length)
        throw new TopologyError(problems);
    return { topics: parsed.data.topics.map((t) => ({ ...t, name: `${prefix}${t.name}` })) };
}
export function topicFor(topology, role) {
    return topology.topics.find((t) => t.role === role);
}
/**
 * Bring the cluster in line with the topology: create missing topics, raise partition counts,
 * set differing configs. Running it twice changes nothing the second time.
 * With `dryRun` nothing is changed and the report says what would be.
 */
export async function applyTopology(conn, topology, dryRun = false) {
    const admin = await conn.admin();
    const report = { created: [], partitionsRaised: [], configChanged: [], unfixable: [] };
    const existing = new Set(await kafkaCall('cannot list topics', () => admin.listTopics()));
    const missing = topology.topics.filter((t) => !existing.has(t.name));
    if (missing.length) {
        report.created.push(...missing.map((t) => t.name));
        if (!dryRun) {
            await kafkaCall('cannot create topics', () => admin.createTopics({
                waitForLeaders: true,
                topics: missing.map((t) => ({
                    topic: t.name,
                    numPartitions: t.partitions,
                    replicationFactor: t.replicationFactor,
                    configEntries: Object.entries(t.config).map(([name, value]) => ({ name, value })),
                })),
            }));
        }
    }
    const present = topology.topics.filter((t) => existing.has(t.name));
    if (present.length === 0)
        return report;
    const meta = await kafkaCall('cannot read topic metadata', () => admin.fetchTopicMetadata({ topics: present.map((t) => t.name) }));
    for (const t of present) {
        const m = meta.topics.find((x) => x.name === t.name);
        const count = m.partitions.length;
        if (count < t.partitions)
            report.partitionsRaised.push({ topic: t.name, from: count, to: t.partitions });
        else if (count > t.partitions)
            report.unfixable.push(`${t.name}: has ${count} partitions, topology says ${t.partitions} (Kafka cannot remove partitions)`);
        const rf = m.partitions[0]?.replicas.length ?? 0;
        if (rf !== t.replicationFactor)
            report.unfixable.push(`${t.name}: replication factor ${rf}, topology says ${t.replicationFactor} (reassign partitions to change it)`);
    }
    const described = await kafkaCall('cannot describe topic configs', () => admin.describeConfigs({
        includeSynonyms: false,
        resources: present.map((t) => ({ type: 2, name: t.name, configNames: Object.keys(t.config) })),
    }));
    for (const t of present) {
        const res = described.resources.find((r) => r.resourceName === t.name);
        for (const [key, want] of Object.entries(t.config)) {
            const have = res?.configEntries.find((e) => e.configName === key)?.configValue ?? null;
            if (have !== want)
                report.configChanged.push({ topic: t.name, key, from: have, to: want });
        }
    }
    if (!dryRun) {
        if (report.partitionsRaised.length)
            await kafkaCall('cannot raise partitions', () => admin.createPartitions({ topicPartitions: report.partitionsRaised.map((p) => ({ topic: p.topic, count: p.to })) }));
        const byTopic = new Map();
        for (const c of report.configChanged)
            byTopic.set(c.topic, [...(byTopic.get(c.topic) ?? []), { name: c.key, value: c.to }]);
        if (byTopic.size) {
            // alterConfigs replaces the whole dynamic config of a topic: send every declared key.
            await kafkaCall('cannot alter topic configs', () => admin.alterConfigs({
                validateOnly: false,
                resources: [...byTopic.keys()].map((name) => ({
                    type: 2,
                    name,
                    configEntries: Object.entries(topology.topics.find((t) => t.name === name).config).map(([k, value]) => ({ name: k, value })),
                })),
            }));
        }
    }
    return report;
}
export function formatDrift(report, dryRun) {
    const verb = dryRun ? 'would ' : '';
    const lines = [];
    for (const t of report.created)
        lines.push(`${verb}create topic ${t}`);
    for (const p of report.partitionsRaised)
        lines.push(`${verb}raise partitions of ${p.topic}: ${p.from} -> ${p.to}`);
    for (const c of report.configChanged)
        lines.push(`${verb}set ${c.topic} ${c.key}: ${c.from ?? '(default)'} -> ${c.to}`);
    for (const u of report.unfixable)
        lines.push(`drift (not fixable by apply): ${u}`);
    return lines.length ? lines.join('\n') : 'no drift: the cluster matches the topology';
}
//# sourceMappingURL=topology.js.map