// The Kafka adapter's configuration: a KafkaConnection and the topic topology from the validated Config.
import type { Config } from '../config/config.js';
import { ConfigError } from '../errors.js';
import { KafkaConnection } from './kafkaConnection.js';
import { loadTopology, type Topology } from './topology.js';

export function kafkaConnection(config: Config): KafkaConnection {
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
    ...(mechanism !== 'none' ? { sasl: { mechanism, username: config.kafkaSaslUsername!, password: config.kafkaSaslPassword! } } : {}),
    maxRetryTimeMs: 30000,
  });
}

export function topologyFromConfig(config: Config): Topology {
  return loadTopology(config.topology, config.topicPrefix ?? '');
}
