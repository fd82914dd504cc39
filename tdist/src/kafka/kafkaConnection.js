import { Kafka, logLevel, } from 'kafkajs';
import { KafkaAdapterError } from '../errors.js';
/**
 * Run one kafkajs call: its errors come out as KafkaAdapterError, `retriable` as kafkajs says
 * (kafkajs has already retried the request within its own retry budget by then). Programmer
 * errors pass through unwrapped.
 */
export async function kafkaCall(what, call) {
    try {
        return await call();
    }
    catch (err) {
        if (err instanceof KafkaAdapterError || err instanceof TypeError || err instanceof RangeError)
            throw err;
        throw new KafkaAdapterError(`${what}: ${err instanceof Error ? err.message : String(err)}`, err);
    }
}
/**
 * One kafkajs client per process, with the admin and producer created lazily and shared.
 * The only room that imports kafkajs is src/kafka (the adapter).
 */
export class KafkaConnection {
    options;
    kafka;
    adminClient = null;
    producerClient = null;
    consumers = new Set();
    constructor(options) {
        this.options = options;
        const config = {
            clientId: options.clientId,
            brokers: options.brokers,
            ssl: options.ssl,
            logLevel: logLevel.NOTHING,
            // kafkajs retries with exponential backoff and jitter (randomisation factor 0.2).
            retry: {
                initialRetryTime: 300,
                maxRetryTime: 5000,
                retries: Math.max(5, Math.ceil(options.maxRetryTimeMs / 3000)),
                factor: 0.2,
                multiplier: 2,
            },
            connectionTimeout: 3000,
            requestTimeout: 30000,
        };
        if (options.sasl)
            config.sasl = options.sasl;
        this.kafka = new Kafka(config);
    }
    async admin() {
        if (!this.adminClient) {
            const admin = this.kafka.admin();
            await kafkaCall(`cannot connect to Kafka at ${this.options.brokers.join(',')}`, () => admin.connect());
            this.adminClient = admin;
        }
        return this.adminClient;
    }
    /** A shared idempotent producer (acks=all), so retries never duplicate a record. */
    producer() {
        this.producerClient ??= (async () => {
            const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
            try {
                await kafkaCall(`cannot connect a producer to ${this.options.brokers.join(',')}`, () => producer.connect());
            }
            catch (err) {
                this.producerClient = null;
                throw err;
            }
            return producer;
        })();
        return this.producerClient;
    }
    /** Produce `messages` to `topic` with acks=all; resolves once the brokers have them. */
    async send(topic, messages) {
        const producer = await this.producer();
        await kafkaCall(`cannot produce to ${topic}`, () => producer.send({ topic, acks: -1, messages }));
    }
    /** A consumer that `close` will disconnect too (also ones replaced after a crash). */
    consumer(config) {
        const consumer = this.kafka.consumer(config);
        this.consumers.add(consumer);
        return consumer;
    }
    /** Disconnect a consumer and forget it. */
    async release(consumer) {
        this.consumers.delete(consumer);
        await consumer.disconnect().catch(() => { });
    }
    async close() {
        const producer = this.producerClient;
        this.producerClient = null;
        const consumers = [...this.consumers];
        this.consumers.clear();
        await Promise.allSettled([
            this.adminClient?.disconnect(),
            producer?.then((p) => p.disconnect()),
            ...consumers.map((c) => c.disconnect()),
        ]);
        this.adminClient = null;
    }
}
//# sourceMappingURL=kafkaConnection.js.map