import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTrain } from '../../src/cli/train.js';
import { runReplay, runTopology } from '../../src/cli/kafkaCommands.js';
import { DirectoryCheckpointStore } from '../../src/checkpoint/checkpointStore.js';
import { memoryLogger } from '../../src/log/logger.js';
import { kafkaTestConfig, lagOf, rawKafka, PLAIN_KAFKA_LEARNER } from '../helpers/kafka.js';
const quiet = () => { };
test('Kafka checkpoints: offsets committed only up to a durable checkpoint; a restart restores and skips what it covers, even if offsets lag', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'micstream-kafka-ckpt-'));
    try {
        const config = kafkaTestConfig([...PLAIN_KAFKA_LEARNER, '--checkpoint-dir', dir, '--checkpoint-every-steps', '5']);
        await runTopology(config, 'apply', quiet);
        const topic = `${config.topicPrefix}interactions`;
        assert.equal(await runReplay({ ...config, maxEvents: 12000, syntheticEvents: 12000 }, quiet, null), 0);
        const first = await runTrain({ ...config, maxEvents: 5000 }, memoryLogger().logger);
        assert.equal(first.summary.trainedEvents, 5000);
        assert.equal(first.summary.restoredEvents, 0);
        const probe = [...first.learner.entities.features.knownUsers()].slice(0, 5);
        await first.close();
        const store = new DirectoryCheckpointStore(dir, 3);
        const newest = await store.loadNewest();
        assert.ok(newest, 'the drain wrote a checkpoint');
        const offsets = newest.manifest.meta.source.offsets;
        assert.equal(offsets.reduce((s, o) => s + Number(o.offset), 0), 5000, 'the drain checkpoint covers every trained record');
        assert.equal(newest.manifest.meta.trainedEvents, 5000);
        assert.equal((await lagOf(config.kafkaGroupId, topic)).committed, 5000, 'committed exactly what the checkpoint covers');
        // A crash after a checkpoint became durable but before its offsets were committed: the group's
        // offsets lag the checkpoint (here: back at 0). The restart must not learn those records twice.
        const admin = rawKafka().admin();
        await admin.connect();
        try {
            await admin.resetOffsets({ groupId: config.kafkaGroupId, topic, earliest: true });
        }
        finally {
            await admin.disconnect();
        }
        const second = await runTrain({ ...config, maxEvents: 7000 }, memoryLogger().logger);
        assert.equal(second.summary.restoredEvents, 5000);
        assert.equal(second.summary.trainedEvents, 12000, 'the 7,000 records after the checkpoint, none of the 5,000 again');
        for (const u of probe)
            assert.ok(second.learner.seenItems(u).size > 0, `restored user ${u} keeps its trained items`);
        await second.close();
        const lag = await lagOf(config.kafkaGroupId, topic);
        assert.equal(lag.committed, 12000);
        assert.equal(lag.end, 12000);
    }
    finally {
        await rm(dir, { recursive: true, force: true });
    }
});
//# sourceMappingURL=checkpoint.test.js.map