import { ConfigError } from '../errors.js';
import { KafkaConnection } from './kafkaConnection.js';
import { loadTopology } from './topology.js';
export function kafkaConnection(config) {
    const mechanism = config.kafkaSaslMechanism;
    if (mechanism !== 'none' && (!config.kafkaSaslUsername || !config.kafkaSaslPassword)) {
        throw new ConfigError([`kafkaSaslMechanism ${mechanism} needs kafkaSaslUsername and kafkaSaslPassword`]);
    }
    return new KafkaConnection({
        brokers: config.kafkaBrokers
            .split(',')
            .map((b) => b.trim())
            .filter(Boolean),
        clientId: config.kafkaClientId,
        ssl: config.kafkaSsl,
        ...(mechanism !== 'none' ? { sasl: { mechanism, username: config.kafkaSaslUsername, password: config.kafkaSaslPassword } } : {}),
        maxRetryTimeMs: 30000,
    });
}
export function topologyFromConfig(config) {
    return loadTopology(config.topology, config.topicPrefix ?? '');
}
//# sourceMappingURL=connectionFromConfig.js.map