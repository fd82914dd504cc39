import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { SyntheticWorld, syntheticSource } from '../src/sources/syntheticSource.js';
import { detectFormat, loadDataset } from '../src/sources/datasetFiles.js';
import { splitCsvLine } from '../src/sources/movieLensFiles.js';
import { fileReplaySource } from '../src/sources/fileReplaySource.js';
import { validateEvent } from '../src/events/interactionEvent.js';
import { DatasetError } from '../src/errors.js';
import { ML100K } from './helpers/datasets.js';
test('synthetic stream: seeded, valid, clustered, Zipf-popular, with drift', async () => {
    const opts = { users: 300, items: 200, clusters: 5, events: 5000, seed: 4 };
    const a = await lastValueFrom(syntheticSource(opts).pipe(toArray()));
    const b = await lastValueFrom(syntheticSource(opts).pipe(toArray()));
    assert.equal(a.length, 5000);
    assert.deepEqual(a, b, 'same seed, same stream');
    const c = await lastValueFrom(syntheticSource({ ...opts, seed: 5 }).pipe(toArray()));
    assert.notDeepEqual(a.slice(0, 50), c.slice(0, 50));
    for (const e of a.slice(0, 200))
        validateEvent(e);
    for (let i = 1; i < a.length; i++)
        assert.ok(a[i].timestamp > a[i - 1].timestamp);
    const world = new SyntheticWorld(opts);
    const clusterOfUser = new Map(world.users.map((u) => [u.id, u.cluster]));
    const clusterOfItem = new Map(world.items.map((i) => [i.id, i.cluster]));
    const inCluster = a.filter((e) => clusterOfUser.get(e.userId) === clusterOfItem.get(e.itemId)).length / a.length;
    assert.ok(inCluster > 0.7, `in-cluster share ${inCluster}`);
    const counts = new Map();
    for (const e of a)
        counts.set(e.itemId, (counts.get(e.itemId) ?? 0) + 1);
    const sorted = [...counts.values()].sort((x, y) => y - x);
    assert.ok(sorted[0] > 4 * sorted[Math.floor(sorted.length / 2)], 'popularity is skewed');
    const drifted = [...new SyntheticWorld({ ...opts, driftAt: 2500 }).events()];
    const after = drifted.slice(2500).filter((e) => clusterOfUser.get(e.userId) === clusterOfItem.get(e.itemId)).length / 2500;
    assert.ok(after < 0.3, `after the drift point users leave their old cluster (${after})`);
});
test('ml-100k atomic files replay in timestamp order with attributes joined', () => {
    const data = loadDataset(ML100K);
    assert.equal(data.format, 'atomic');
    assert.equal(data.events.length, 100000);
    for (let i = 1; i < data.events.length; i++)
        assert.ok(data.events[i].timestamp >= data.events[i - 1].timestamp);
    const e = data.events.find((x) => x.userId === '1');
    assert.deepEqual(e.userAttributes, { age: '24', gender: 'M', occupation: 'technician' });
    const toyStory = data.events.find((x) => x.itemId === '1');
    assert.deepEqual(toyStory.itemAttributes, { release_year: '1995', class: ['Animation', "Children's", 'Comedy'] });
    for (const ev of data.events.slice(0, 500))
        validateEvent(ev);
});
test('MovieLens CSV and JSONL layouts; bad paths are DatasetErrors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'micstream-ml-'));
    writeFileSync(join(dir, 'ratings.csv'), 'userId,movieId,rating,timestamp\n1,10,4.0,300\n2,20,3.5,100\n1,20,5.0,200\n');
    writeFileSync(join(dir, 'movies.csv'), 'movieId,title,genres\n10,"Heat, The (1995)",Action|Crime\n20,Toy Story (1995),Animation\n');
    assert.equal(detectFormat(dir), 'movielens-csv');
    const events = loadDataset(dir).events;
    assert.deepEqual(events.map((e) => [e.userId, e.itemId, e.timestamp]), [
        ['2', '20', 100000],
        ['1', '20', 200000],
        ['1', '10', 300000],
    ]);
    assert.deepEqual(events[2].itemAttributes, { genres: ['Action', 'Crime'] });
    assert.deepEqual(splitCsvLine('a,"b, ""c""",d'), ['a', 'b, "c"', 'd']);
    const jsonl = join(dir, 'events.jsonl');
    writeFileSync(jsonl, '{"userId":"u","itemId":"i","timestamp":1}\nnot json\n');
    const records = await lastValueFrom(fileReplaySource(jsonl).pipe(toArray()));
    assert.deepEqual(records, ['{"userId":"u","itemId":"i","timestamp":1}', 'not json']);
    assert.throws(() => loadDataset(join(dir, 'nope')), DatasetError);
    assert.throws(() => loadDataset(tmpdir() + '/'), DatasetError);
});
test('file replay honours max records and emits the same events as the loader', async () => {
    const first = await lastValueFrom(fileReplaySource(ML100K).pipe(toArray()));
    assert.equal(first.length, 100000);
    assert.deepEqual(first[0].timestamp, loadDataset(ML100K).events[0].timestamp);
});
//# sourceMappingURL=sources.test.js.map