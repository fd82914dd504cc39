import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runReplay, runTopology } from '../../src/cli/kafkaCommands.js';
import { DirectoryCheckpointStore } from '../../src/checkpoint/checkpointStore.js';
import { loadConfig } from '../../src/config/config.js';
import { RecallIndexAssembler } from '../../src/publish/recallIndexAssembler.js';
import { kafkaLearnerFlags, readAll } from '../helpers/kafka.js';
import { LearnerProcess, waitForCommitted } from '../helpers/learnerProcess.js';
const EVENTS = 12_000;
const quiet = () => { };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const joined = (l) => String(l.msg).startsWith('kafka: joined group');
const TITLE = 'standby: of two learners in one group one writes and the other waits; the writer killed, the standby restores its checkpoint ' +
    'and finishes; servers take only the newer writer';
test(TITLE, async (t) => {
    const prefix = `standby${Date.now().toString(36)}-`;
    const dir = await mkdtemp(join(tmpdir(), 'micstream-standby-'));
    const topic = `${prefix}interactions`;
    const args = kafkaLearnerFlags(prefix, [
        // One checkpoint directory for both (a shared volume in Kubernetes): the standby restores the writer's state.
        '--checkpoint-dir',
        dir,
        '--checkpoint-every-steps',
        '5',
        '--kafka-session-timeout-ms',
        '6000',
        '--index-refresh-steps',
        '10',
    ]);
    const config = loadConfig({ argv: args, env: {} }).config;
    assert.equal(await runTopology(config, 'apply', quiet), 0);
    assert.equal(await runReplay({ ...config, maxEvents: EVENTS, syntheticEvents: EVENTS }, quiet, null), 0);
    const writer = new LearnerProcess(args);
    let standby = null;
    try {
        await writer.waitFor(joined, 120_000, 'writer joins the interactions group');
        await writer.waitFor((l) => l.msg === 'published index version', 120_000, 'a published version');
        await writer.waitFor((l) => l.msg === 'checkpoint written', 120_000, 'a checkpoint');
        assert.ok(writer.lines.some((l) => l.msg === 'writer lease acquired: this learner is the writer'));
        // A second learner joins the lease group and waits: not ready, not in the interactions group.
        standby = new LearnerProcess(args);
        await standby.waitFor((l) => String(l.msg).startsWith('writer lease: joining'), 120_000, 'standby joins the lease group');
        await sleep(4000);
        assert.equal((await standby.get('/healthz')).status, 200, 'the standby is alive');
        assert.equal((await standby.get('/readyz')).status, 503, 'the standby is not ready');
        assert.equal(standby.lines.filter(joined).length, 0, 'the standby never joined the interactions group');
        assert.ok(writer.lines.filter(joined).every((l) => l.partitions === 6), 'the writer kept every partition: the stream was never split');
        writer.kill('SIGKILL');
        await writer.exited;
        const killedAt = Date.now();
        // The standby takes the lease once the dead writer's session times out, restores its checkpoint and consumes.
        await standby.waitFor((l) => l.msg === 'writer lease acquired: this learner is the writer', 60_000, 'standby takes the lease');
        const tookOver = Date.now() - killedAt;
        await standby.waitFor((l) => String(l.msg).startsWith('checkpoints: restored checkpoint'), 60_000, 'standby restores');
        await standby.waitFor(joined, 60_000, 'standby joins the interactions group');
        await waitForCommitted(standby, `${prefix}learner`, topic, EVENTS, 300_000);
        standby.kill('SIGTERM');
        assert.equal(await standby.exited, 0);
        t.diagnostic(`standby took the lease ${tookOver} ms after the writer was killed (session timeout 6000 ms)`);
        assert.ok(tookOver < 6000 + 20_000, `took over within the session timeout and a rebalance (${tookOver} ms)`);
    }
    finally {
        writer.kill('SIGKILL');
        standby?.kill('SIGKILL');
    }
    try {
        const final = await new DirectoryCheckpointStore(dir, 3).loadNewest();
        assert.equal(final?.manifest.meta.trainedEvents, EVENTS, 'every event learned exactly once by the surviving model');
        // Recall servers: versions in topic order as a replica sees them; accepted writer epochs never go back,
        // and both writers' versions were published (the standby's above the writer's).
        const assembler = new RecallIndexAssembler();
        const accepted = [];
        const published = new Set();
        for (const m of await readAll(`${prefix}recall-index`, 1_000_000, 8000)) {
            try {
                const v = assembler.accept(m);
                if (v) {
                    accepted.push(v.writerEpoch ?? 0);
                    published.add(v.writerEpoch ?? 0);
                }
            }
            catch {
                // (a version refused as older than the accepted writer: what the assembler is for)
            }
        }
        assert.ok(published.size === 2, `versions of two writers published (${[...published].join(', ')})`);
        assert.ok(accepted.every((e, i) => i === 0 || e >= accepted[i - 1]), `accepted writer epochs never go back: ${accepted.join(', ')}`);
    }
    finally {
        await rm(dir, { recursive: true, force: true });
    }
});
//# sourceMappingURL=standby.test.js.map