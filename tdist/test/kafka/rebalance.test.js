import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runTrain } from '../../src/cli/train.js';
import { memoryLogger } from '../../src/log/logger.js';
import { runReplay, runTopology } from '../../src/cli/kafkaCommands.js';
import { kafkaTestConfig, lagOf } from '../helpers/kafka.js';
// The consumer's rebalance handling (a group that changes members: at a takeover, or with --writer-lease off), two members at once.
test('a second group member joining mid-stream takes over partitions: nothing is lost, every offset is committed', async (t) => {
    const config = kafkaTestConfig([
        '--source',
        'kafka',
        '--model',
        'views',
        '--holdout-fraction',
        '0',
        '--no-publish-index',
        '--prequential-sample-rate',
        '0',
        '--max-in-flight',
        '512',
        // Without the lease a second learner joins the group (with it, it would wait as a standby: test/faults/standby.test.ts).
        '--writer-lease',
        'off',
    ]);
    await runTopology(config, 'apply', () => { });
    const backlog = 10000;
    const live = 20000;
    const total = backlog + live;
    await runReplay({ ...config, maxEvents: backlog }, () => { }, null);
    const topic = `${config.topicPrefix}interactions`;
    const stopA = new AbortController();
    const stopB = new AbortController();
    const logs = [];
    const member = (name) => {
        const { logger, lines } = memoryLogger();
        const push = lines.push.bind(lines);
        lines.push = (...records) => {
            for (const r of records)
                logs.push(`${Date.now() % 100000} ${name} ${JSON.stringify(r)}`);
            return push(...records);
        };
        return logger;
    };
    const a = runTrain(config, member('A'), stopA.signal);
    // Events keep arriving at a bounded rate for ~13 s, longer than a join under load takes (~11 s):
    // the stream is still flowing when the second member joins, however fast training is.
    const producing = runReplay({ ...config, maxEvents: live, seed: config.seed + 1, rate: 1500 }, () => { }, null);
    await new Promise((r) => setTimeout(r, 2500));
    const b = runTrain(config, member('B'), stopB.signal);
    await producing;
    const deadline = Date.now() + 120000;
    for (;;) {
        const lag = await lagOf(config.kafkaGroupId, topic).catch(() => null);
        if (lag && lag.end === total && lag.committed === total)
            break;
        assert.ok(Date.now() < deadline, `not fully committed within 120 s: ${JSON.stringify(lag)}`);
        await new Promise((r) => setTimeout(r, 500));
    }
    stopA.abort();
    stopB.abort();
    const [ra, rb] = await Promise.all([a, b]);
    for (const l of logs.filter((x) => x.includes('kafka:')))
        t.diagnostic(l);
    t.diagnostic(`member A trained ${ra.summary.trainedEvents}, member B ${rb.summary.trainedEvents} (sum ` +
        `${ra.summary.trainedEvents + rb.summary.trainedEvents} for ${total} events)`);
    assert.ok(rb.summary.trainedEvents > 0, 'the joining member got partitions');
    assert.ok(ra.summary.trainedEvents + rb.summary.trainedEvents >= total, 'no event lost');
    await ra.close();
    await rb.close();
});
//# sourceMappingURL=rebalance.test.js.map