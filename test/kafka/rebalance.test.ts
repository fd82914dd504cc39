import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runTrain } from '../../src/cli/train.js';
import { runReplay, runTopology } from '../../src/cli/kafkaCommands.js';
import { kafkaTestConfig, lagOf } from '../helpers/kafka.js';

test('a second group member joining mid-stream takes over partitions: nothing is lost, every offset is committed', async (t) => {
  const config = kafkaTestConfig(['--source', 'kafka', '--model', 'views', '--holdout-fraction', '0', '--no-publish-index', '--prequential-sample-rate', '0', '--max-in-flight', '512']);
  await runTopology(config, 'apply', () => {});
  const total = 30000;
  await runReplay({ ...config, maxEvents: total }, () => {}, null);
  const topic = `${config.topicPrefix}interactions`;
  const stopA = new AbortController();
  const stopB = new AbortController();
  // A slower model (views) so that the stream is still flowing when the second member joins.
  const logs: string[] = [];
  const a = runTrain(config, (l) => logs.push(`${Date.now() % 100000} A ${l}`), stopA.signal);
  await new Promise((r) => setTimeout(r, 2500));
  const b = runTrain(config, (l) => logs.push(`${Date.now() % 100000} B ${l}`), stopB.signal);
  const deadline = Date.now() + 120000;
  for (;;) {
    const lag = await lagOf(config.kafkaGroupId, topic).catch(() => null);
    if (lag && lag.end === total && lag.committed === total) break;
    assert.ok(Date.now() < deadline, `not fully committed within 120 s: ${JSON.stringify(lag)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  stopA.abort();
  stopB.abort();
  const [ra, rb] = await Promise.all([a, b]);
  for (const l of logs.filter((x) => x.includes('kafka:'))) t.diagnostic(l);
  t.diagnostic(`member A trained ${ra.summary.trainedEvents}, member B ${rb.summary.trainedEvents} (sum ${ra.summary.trainedEvents + rb.summary.trainedEvents} for ${total} events)`);
  assert.ok(rb.summary.trainedEvents > 0, 'the joining member got partitions');
  assert.ok(ra.summary.trainedEvents + rb.summary.trainedEvents >= total, 'no event lost');
  await ra.close();
  await rb.close();
});
