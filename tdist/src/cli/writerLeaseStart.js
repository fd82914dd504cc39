import { StandbyStoppedError } from '../errors.js';
import { kafkaConnection, topologyFromConfig } from '../kafka/connectionFromConfig.js';
import { topicFor } from '../kafka/topology.js';
import { WriterLease } from '../kafka/writerLease.js';
/**
 * With a Kafka source and `--writer-lease on`: join the writer lease group and wait until this
 * learner holds the lease (a hot standby meanwhile: nothing restored, trained, published or
 * committed; the recall API, already listening, answers /healthz and says 503 on /readyz). Null
 * without a lease.
 * @throws StandbyStoppedError when `signal` aborts first; KafkaAdapterError when the group cannot be joined.
 */
export async function writerLease(config, logger, signal) {
    if (config.source !== 'kafka' || config.writerLease === 'off')
        return null;
    const connection = kafkaConnection(config);
    const topic = topicFor(topologyFromConfig(config), 'writer-lease').name;
    const groupId = `${config.kafkaGroupId}.writer`;
    const lease = new WriterLease(connection, { groupId, topic, sessionTimeoutMs: config.kafkaSessionTimeoutMs });
    const started = Date.now();
    logger.info({ group: groupId, topic }, 'writer lease: joining (one learner writes; the others wait as hot standbys)');
    try {
        const held = await lease.acquire(signal, () => logger.info({ group: groupId, waitedMs: Date.now() - started }, 'standby: waiting for the writer lease (another learner is the writer; it passes on when that one leaves, or when its session times out if it died)'), 5000);
        if (!held)
            throw new StandbyStoppedError();
    }
    catch (err) {
        await lease.release();
        await connection.close();
        throw err;
    }
    logger.info({ group: groupId, waitedMs: Date.now() - started }, 'writer lease acquired: this learner is the writer');
    return { lease, connection };
}
//# sourceMappingURL=writerLeaseStart.js.map