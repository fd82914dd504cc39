function bytesOf(raw) {
    if (Buffer.isBuffer(raw))
        return raw;
    if (raw instanceof Uint8Array)
        return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    if (typeof raw === 'string')
        return Buffer.from(raw);
    return Buffer.from(JSON.stringify(raw) ?? 'undefined');
}
/**
 * Writes rejected records to the dead-letter topic: the original bytes as the value, and the
 * reason, message and source topic/partition/offset as headers. `send` resolves once the broker
 * has the record (acks=all, idempotent producer), so the source may then commit past it.
 */
export class KafkaDeadLetterSink {
    connection;
    topic;
    next;
    constructor(connection, topic, next) {
        this.connection = connection;
        this.topic = topic;
        this.next = next;
    }
    async send(record) {
        const headers = {
            'micstream-reason': record.reason,
            'micstream-message': record.message.slice(0, 1000),
            'micstream-rejected-at': new Date(record.at).toISOString(),
        };
        if (record.source) {
            headers['micstream-source-topic'] = record.source.topic;
            headers['micstream-source-partition'] = String(record.source.partition);
            headers['micstream-source-offset'] = record.source.offset;
        }
        await this.connection.send(this.topic, [{ value: bytesOf(record.raw), headers }]);
        this.next?.send(record);
    }
}
//# sourceMappingURL=kafkaDeadLetterSink.js.map