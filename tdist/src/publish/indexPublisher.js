import { ARTIFACT_FORMAT, chunk, encodeVectors, sha256, } from './indexArtifact.js';
/**
 * Publishes each index version to the recall topic. A version is larger than a Kafka message, so
 * each channel (users, items, seen) is cut into chunks, followed by a channel manifest (version,
 * channel, dims, count, bytes, chunk count, sha256, created-at), and the version ends with a
 * version manifest: a reader serves a version only once that is in and every checksum matches.
 * Keys are `v<version>/<channel>/<n>`; old versions leave with the topic's retention.
 */
export class IndexPublisher {
    connection;
    topic;
    chunkBytes;
    constructor(connection, topic, chunkBytes) {
        this.connection = connection;
        this.topic = topic;
        this.chunkBytes = chunkBytes;
    }
    async publish(index) {
        const createdAt = new Date().toISOString();
        const payloads = {
            users: { payload: encodeVectors(index.users.ids, index.users.vectors, index.dim), count: index.users.ids.length, dim: index.dim },
            items: { payload: encodeVectors(index.items.ids, index.items.vectors, index.dim), count: index.items.ids.length, dim: index.dim },
            seen: { payload: Buffer.from(JSON.stringify(index.seen)), count: Object.keys(index.seen).length, dim: 0 },
        };
        if (index.u2iQueries)
            payloads.u2iQueries = {
                payload: encodeVectors(index.u2iQueries.ids, index.u2iQueries.vectors, index.dim),
                count: index.u2iQueries.ids.length,
                dim: index.dim,
            };
        if (index.generic)
            payloads.generic = { payload: Buffer.from(JSON.stringify(index.generic)), count: index.generic.items.length, dim: 0 };
        if (index.prior)
            payloads.prior = { payload: Buffer.from(JSON.stringify(index.prior)), count: index.prior.logQ.length, dim: 0 };
        if (index.mergedWeights)
            payloads.fusion = {
                payload: Buffer.from(JSON.stringify(index.mergedWeights)),
                count: Object.keys(index.mergedWeights).length,
                dim: 0,
            };
        if (index.cooccurrence)
            payloads.cooccurrence = { payload: Buffer.from(JSON.stringify(index.cooccurrence)), count: index.cooccurrence.lists.length, dim: 0 };
        if (index.coconsumption)
            payloads.coconsumption = {
                payload: Buffer.from(JSON.stringify(index.coconsumption)),
                count: index.coconsumption.table.windows.length,
                dim: 0,
            };
        const channels = Object.keys(payloads);
        for (const channel of channels) {
            const { payload, count, dim } = payloads[channel];
            const parts = chunk(payload, this.chunkBytes);
            const headers = (kind, n) => ({
                'micstream-kind': kind,
                'micstream-version': String(index.version),
                'micstream-channel': channel,
                ...(n !== undefined ? { 'micstream-chunk': String(n) } : {}),
            });
            // One chunk per produce request: the messages of one request travel as one record batch, and
            // the topic's max.message.bytes bounds the batch, not each message (several chunks of a large
            // version in one request were refused by the broker).
            for (const [n, value] of parts.entries())
                await this.connection.send(this.topic, [{ key: `v${index.version}/${channel}/${n}`, value, headers: headers('chunk', n) }]);
            const manifest = {
                format: ARTIFACT_FORMAT,
                version: index.version,
                channel,
                dim,
                count,
                bytes: payload.length,
                chunks: parts.length,
                checksum: sha256(payload),
                createdAt,
            };
            await this.connection.send(this.topic, [
                { key: `v${index.version}/${channel}/manifest`, value: JSON.stringify(manifest), headers: headers('channel-manifest') },
            ]);
        }
        const version = {
            format: ARTIFACT_FORMAT,
            version: index.version,
            channels,
            createdAt,
            trainedEvents: index.trainedEvents,
            ...(index.writerEpoch !== undefined ? { writerEpoch: index.writerEpoch } : {}),
        };
        await this.connection.send(this.topic, [
            {
                key: `v${index.version}/manifest`,
                value: JSON.stringify(version),
                headers: { 'micstream-kind': 'version-manifest', 'micstream-version': String(index.version) },
            },
        ]);
        return version;
    }
}
//# sourceMappingURL=indexPublisher.js.map