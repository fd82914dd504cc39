import { randomUUID } from 'node:crypto';
import { kafkaCall } from './kafkaConnection.js';
/**
 * Reads the recall topic from the beginning of what is retained, with a group of its own per
 * process (every recall server sees every version), and hands each message to `onMessage`.
 */
export class RecallTopicReader {
    connection;
    topic;
    instrumentation;
    groupPrefix;
    consumer = null;
    constructor(connection, topic, instrumentation, groupPrefix = 'micstream-serve') {
        this.connection = connection;
        this.topic = topic;
        this.instrumentation = instrumentation;
        this.groupPrefix = groupPrefix;
    }
    async start(onMessage) {
        const consumer = this.connection.consumer({
            groupId: `${this.groupPrefix}-${randomUUID()}`,
            allowAutoTopicCreation: false,
            maxBytesPerPartition: 4 * 1048576,
        });
        this.consumer = consumer;
        consumer.on(consumer.events.CRASH, (e) => this.instrumentation.emit('consumer.crash', { error: e.payload.error, restart: Boolean(e.payload.restart) }));
        await kafkaCall('cannot connect the recall-topic consumer', () => consumer.connect());
        await kafkaCall(`cannot subscribe to ${this.topic}`, () => consumer.subscribe({ topic: this.topic, fromBeginning: true }));
        await kafkaCall('cannot start reading the recall topic', () => consumer.run({
            autoCommit: true,
            eachMessage: async ({ message }) => {
                const headers = {};
                for (const [k, v] of Object.entries(message.headers ?? {}))
                    if (v !== undefined)
                        headers[k] = Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
                onMessage({ key: message.key?.toString('utf8') ?? '', value: message.value ?? Buffer.alloc(0), headers });
            },
        }));
    }
    async stop() {
        const c = this.consumer;
        this.consumer = null;
        if (c)
            await this.connection.release(c);
    }
}
//# sourceMappingURL=recallTopicReader.js.map