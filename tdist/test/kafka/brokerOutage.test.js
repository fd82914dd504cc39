import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runTrain } from '../../src/cli/train.js';
import { memoryLogger } from '../../src/log/logger.js';
import { runReplay, runTopology } from '../../src/cli/kafkaCommands.js';
import { brokerControl, kafkaTestConfig, lagOf, PLAIN_KAFKA_LEARNER } from '../helpers/kafka.js';
const control = brokerControl();
test('the broker is stopped for 10 s mid-stream and restarted: the learner recovers by itself and loses no event', { skip: control ? false : 'needs the broker started by scripts/run-tests.sh (MICSTREAM_KAFKA_CONTROL)' }, async (t) => {
    const config = kafkaTestConfig([...PLAIN_KAFKA_LEARNER, '--max-in-flight', '512']);
    await runTopology(config, 'apply', () => { });
    const total = 40000;
    await runReplay({ ...config, maxEvents: total }, () => { }, null);
    const { logger, lines: logs } = memoryLogger();
    // No --max-events: redelivered records (at least once) would count against it. Stop once everything is committed.
    const stop = new AbortController();
    const running = runTrain(config, logger, stop.signal);
    // Let it get going, then take the broker away for 10 s.
    await new Promise((r) => setTimeout(r, 4000));
    const halted = Date.now();
    control('halt');
    await new Promise((r) => setTimeout(r, 10000));
    control('start');
    t.diagnostic(`broker was down for ${((Date.now() - halted) / 1000).toFixed(1)} s`);
    const deadline = Date.now() + 120000;
    for (;;) {
        const lag = await lagOf(config.kafkaGroupId, `${config.topicPrefix}interactions`).catch(() => null);
        if (lag && lag.end === total && lag.committed === total)
            break;
        if (Date.now() >= deadline)
            for (const l of logs.filter((x) => String(x.msg).includes('kafka')))
                t.diagnostic(JSON.stringify(l));
        assert.ok(Date.now() < deadline, `no full commit within 120 s after the outage: ${JSON.stringify(lag)}`);
        await new Promise((r) => setTimeout(r, 1000));
    }
    stop.abort();
    const run = await running;
    t.diagnostic(`trained ${run.summary.trainedEvents} of ${total} in ${run.summary.seconds.toFixed(1)} s`);
    assert.equal(run.summary.trainedEvents >= total, true, 'every event was applied (at least once)');
    await run.close();
    const lag = await lagOf(config.kafkaGroupId, `${config.topicPrefix}interactions`);
    assert.equal(lag.committed, lag.end, 'committed offsets reach the end after the outage');
});
//# sourceMappingURL=brokerOutage.test.js.map