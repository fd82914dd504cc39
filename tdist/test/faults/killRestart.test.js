import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runReplay, runTopology } from '../../src/cli/kafkaCommands.js';
import { DirectoryCheckpointStore } from '../../src/checkpoint/checkpointStore.js';
import { stateFromParts } from '../../src/checkpoint/stateCodec.js';
import { loadConfig } from '../../src/config/config.js';
import { learnerOptionsFromConfig } from '../../src/learner/learnerOptions.js';
import { OnlineLearner } from '../../src/learner/onlineLearner.js';
import { Rng } from '../../src/util/random.js';
import { useTestBackend } from '../helpers/backend.js';
import { brokerControl, kafkaLearnerFlags, lagOf } from '../helpers/kafka.js';
import { LearnerProcess, waitForCommitted } from '../helpers/learnerProcess.js';
await useTestBackend();
const quiet = () => { };
const EVENTS = Number(process.env.MICSTREAM_FAULTS_EVENTS ?? 50_000);
const KILLS = Number(process.env.MICSTREAM_FAULTS_KILLS ?? 20);
const CHECKPOINT_STEPS = 10;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** Flags of a learner on an isolated topic set and group, checkpointing often, with a short session timeout. */
function learnerArgs(prefix, dir, extra = []) {
    return kafkaLearnerFlags(prefix, [
        '--checkpoint-dir',
        dir,
        '--checkpoint-every-steps',
        String(CHECKPOINT_STEPS),
        '--checkpoint-every-ms',
        '1000',
        '--kafka-session-timeout-ms',
        '6000',
        '--no-publish-index',
        ...extra,
    ]);
}
/** The newest checkpoint of `dir`, restored in this process (its snapshot comes from the saved vectors and graphs). */
async function restoredOffline(dir, args) {
    const loaded = await new DirectoryCheckpointStore(dir, 3).loadNewest();
    if (!loaded)
        return null;
    const options = learnerOptionsFromConfig(loadConfig({ argv: args, env: {} }).config);
    const learner = await OnlineLearner.restore(options, stateFromParts(loaded.parts));
    return { learner, trainedEvents: learner.trainedEvents };
}
async function produce(prefix, events) {
    const config = loadConfig({ argv: learnerArgs(prefix, tmpdir()), env: {} }).config;
    assert.equal(await runTopology(config, 'apply', quiet), 0);
    assert.equal(await runReplay({ ...config, maxEvents: events, syntheticEvents: events }, quiet, null), 0);
}
test(`kill test: ${KILLS} SIGKILLs while consuming ${EVENTS} events; all learned once in the surviving model; restored recall = checkpoint's`, async (t) => {
    const prefix = `kill${Date.now().toString(36)}-`;
    const dir = await mkdtemp(join(tmpdir(), 'micstream-kill-'));
    const topic = `${prefix}interactions`;
    const rng = new Rng(Number(process.env.MICSTREAM_FAULTS_SEED ?? 7));
    // No refresh while consuming: a restarted learner serves its restored snapshot until the end, so
    // its answers can be compared with the checkpoint's without racing a refresh.
    const args = learnerArgs(prefix, dir, ['--index-refresh-steps', '1000000', '--index-refresh-ms', '86400000']);
    try {
        await produce(prefix, EVENTS);
        const redone = [];
        const joinWaits = [];
        let probesChecked = 0;
        let lastCovered = 0;
        for (let run = 0; run < KILLS; run++) {
            const offline = await restoredOffline(dir, args);
            if (offline)
                assert.ok(offline.trainedEvents >= lastCovered, `run ${run}: the newest checkpoint covers no less than the last one reported`);
            const learner = new LearnerProcess(args);
            try {
                if (offline) {
                    // Ready at once with the checkpoint's index, and answering exactly as the checkpoint does.
                    await learner.waitFor((l) => String(l.msg).startsWith('checkpoints: restored checkpoint'), 120_000, 'restore');
                    // (with a snapshot, the API serves it before the first step: the learner says so)
                    if (offline.learner.snapshot)
                        await learner.waitFor((l) => l.msg === 'serving the restored index', 60_000, 'restored index served');
                    // Ready at once when the checkpoint holds a snapshot (one taken before the first index has none).
                    const readiness = (await learner.get('/readyz')).status;
                    assert.equal(readiness, offline.learner.snapshot ? 200 : 503, `run ${run}: readiness right after the restore`);
                    const users = [...offline.learner.entities.features.knownUsers()].slice(0, 20);
                    for (const u of users) {
                        const expected = offline.learner.recallItemsForUser(u, 10)?.map((n) => n.id) ?? null;
                        const res = await learner.get(`/v1/recall/u2i?user=${encodeURIComponent(u)}&k=10`);
                        const got = res.status === 200 ? JSON.parse(res.body).results.map((x) => x.id) : null;
                        if (expected) {
                            assert.deepEqual(got, expected, `run ${run}: recall of ${u} after the restore`);
                            probesChecked++;
                        }
                    }
                    offline.learner.dispose();
                }
                const joinedAt = Date.now();
                await learner.waitFor((l) => String(l.msg).startsWith('kafka: joined group'), 120_000, 'group join');
                joinWaits.push(Date.now() - joinedAt);
                await sleep(300 + rng.int(2200));
                const covered = await learner.metric('micstream_checkpoint_covered_events');
                const trained = await learner.metric('micstream_events_trained_total');
                const restored = offline?.trainedEvents ?? 0;
                learner.kill('SIGKILL');
                await learner.exited;
                if (Number.isFinite(covered))
                    lastCovered = covered;
                // Learned by this process but not in a durable checkpoint: what the next run learns again (an upper bound: the metrics are read just before the kill).
                if (Number.isFinite(trained))
                    redone.push(Math.max(0, restored + trained - (Number.isFinite(covered) ? covered : restored)));
            }
            catch (error) {
                learner.kill('SIGKILL');
                throw error;
            }
            if ((await lagOf(`${prefix}learner`, topic)).committed >= EVENTS)
                break;
        }
        // The last run consumes to the end; then a graceful stop writes the drain checkpoint.
        const last = new LearnerProcess(args);
        try {
            // (A signal before the job has started its pipeline would just end the process: nothing trained yet.)
            await last.waitFor((l) => String(l.msg).startsWith('kafka: joined group'), 120_000, 'group join');
            await waitForCommitted(last, `${prefix}learner`, topic, EVENTS, 300_000);
            last.kill('SIGTERM');
            assert.equal(await last.exited, 0);
        }
        finally {
            last.kill('SIGKILL');
        }
        const final = await new DirectoryCheckpointStore(dir, 3).loadNewest();
        assert.ok(final);
        assert.equal(final.manifest.meta.trainedEvents, EVENTS, 'every produced event learned exactly once by the surviving model');
        const lag = await lagOf(`${prefix}learner`, topic);
        assert.equal(lag.committed, EVENTS);
        const maxRedone = Math.max(0, ...redone);
        t.diagnostic(`kills ${redone.length}; probe answers compared after restores: ${probesChecked}; events learned again after a kill: ` +
            `mean ${(redone.reduce((s, x) => s + x, 0) / Math.max(1, redone.length)).toFixed(0)}, max ${maxRedone}; ` +
            `wait for the group after a start: median ${[...joinWaits].sort((a, b) => a - b)[Math.floor(joinWaits.length / 2)]} ms`);
        // One checkpoint interval (steps of at most 256 events, or one second of training) plus the batch in flight.
        assert.ok(maxRedone <= (CHECKPOINT_STEPS + 2) * 256 + 3000, `at most about one checkpoint interval learned again (max ${maxRedone})`);
        assert.ok(probesChecked > 0, 'restored answers were compared');
    }
    finally {
        await rm(dir, { recursive: true, force: true });
    }
});
test('drain test: SIGTERM with the broker up / stopped exits 0 within --shutdown-timeout-ms; checkpoint and offsets stay consistent', async (t) => {
    const control = brokerControl();
    for (const brokerDown of [false, true]) {
        if (brokerDown && !control) {
            t.diagnostic('broker-down case skipped: the broker was not started by scripts/run-tests.sh');
            continue;
        }
        const prefix = `drain${brokerDown ? 'down' : 'up'}${Date.now().toString(36)}-`;
        const dir = await mkdtemp(join(tmpdir(), 'micstream-drain-'));
        const topic = `${prefix}interactions`;
        const args = learnerArgs(prefix, dir, ['--shutdown-timeout-ms', '8000', '--checkpoint-every-ms', '600000']);
        try {
            await produce(prefix, 20_000);
            const learner = new LearnerProcess(args);
            try {
                await learner.waitFor((l) => String(l.msg).startsWith('kafka: joined group'), 120_000, 'group join');
                await sleep(3000);
                if (brokerDown)
                    control('halt');
                const signalled = Date.now();
                learner.kill('SIGTERM');
                const code = await learner.exited;
                const took = Date.now() - signalled;
                t.diagnostic(`broker ${brokerDown ? 'stopped' : 'up'}: exit ${code} after ${took} ms`);
                assert.equal(code, 0);
                assert.ok(took < 8000 + 2000, `drained within the timeout (${took} ms)`);
            }
            finally {
                learner.kill('SIGKILL');
                if (brokerDown)
                    control('start');
            }
            const drained = await new DirectoryCheckpointStore(dir, 3).loadNewest();
            assert.ok(drained, 'the drain wrote a checkpoint');
            const covered = drained.manifest.meta.source.offsets.reduce((s, o) => s + Number(o.offset), 0);
            assert.equal(covered, drained.manifest.meta.trainedEvents, 'the checkpoint covers exactly the records it learned (holdout 0, no invalid)');
            const lag = await lagOf(`${prefix}learner`, topic);
            assert.ok(lag.committed <= covered, `offsets never committed past the checkpoint (${lag.committed} > ${covered})`);
            if (!brokerDown)
                assert.equal(lag.committed, covered, 'with the broker up the drain commits what the checkpoint covers');
            // The restart resumes from the checkpoint and finishes: every event learned exactly once.
            const next = new LearnerProcess(learnerArgs(prefix, dir, ['--shutdown-timeout-ms', '8000']));
            try {
                await waitForCommitted(next, `${prefix}learner`, topic, 20_000, 180_000);
                next.kill('SIGTERM');
                assert.equal(await next.exited, 0);
            }
            finally {
                next.kill('SIGKILL');
            }
            assert.equal((await new DirectoryCheckpointStore(dir, 3).loadNewest())?.manifest.meta.trainedEvents, 20_000);
        }
        finally {
            await rm(dir, { recursive: true, force: true });
        }
    }
});
/** The log lines of a learner that waits for a dead member's session: for the writer lease, or for partitions. */
const saysWhatItWaitsFor = (l) => String(l.msg).startsWith('standby: waiting for the writer lease') ||
    String(l.msg).startsWith('kafka: waiting for the group to assign partitions');
test('crash loop: four SIGKILL restarts inside one session timeout still make progress, and the learner says what it waits for', async (t) => {
    const prefix = `loop${Date.now().toString(36)}-`;
    const dir = await mkdtemp(join(tmpdir(), 'micstream-loop-'));
    const topic = `${prefix}interactions`;
    // A session timeout longer than the four restarts together: the dead members hold the partitions meanwhile.
    const args = learnerArgs(prefix, dir, ['--kafka-session-timeout-ms', '20000']);
    try {
        await produce(prefix, 30_000);
        const started = Date.now();
        let waitLogged = false;
        for (let run = 0; run < 4; run++) {
            const learner = new LearnerProcess(args);
            await learner.url();
            await sleep(2500);
            waitLogged ||= learner.lines.some(saysWhatItWaitsFor);
            learner.kill('SIGKILL');
            await learner.exited;
        }
        t.diagnostic(`four restarts in ${Date.now() - started} ms`);
        const last = new LearnerProcess(args);
        try {
            const joined = await last.waitFor((l) => String(l.msg).startsWith('kafka: joined group'), 120_000, 'group join');
            waitLogged ||= last.lines.some(saysWhatItWaitsFor);
            t.diagnostic(`the fifth start joined after ${Date.parse(String(joined.time)) - last.startedAt} ms`);
            await waitForCommitted(last, `${prefix}learner`, topic, 30_000, 180_000);
            last.kill('SIGTERM');
            assert.equal(await last.exited, 0);
        }
        finally {
            last.kill('SIGKILL');
        }
        assert.ok(waitLogged, 'a restarted learner logs that it waits for partitions');
        assert.equal((await new DirectoryCheckpointStore(dir, 3).loadNewest())?.manifest.meta.trainedEvents, 30_000);
    }
    finally {
        await rm(dir, { recursive: true, force: true });
    }
});
//# sourceMappingURL=killRestart.test.js.map