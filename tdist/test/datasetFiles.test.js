import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectFormat, loadDataset } from '../src/sources/datasetFiles.js';
import { firstLine, forEachLine } from '../src/sources/textLines.js';
import { DatasetError } from '../src/errors.js';
import { ML100K } from './helpers/datasets.js';
const tmp = (prefix) => mkdtempSync(join(tmpdir(), prefix));
test('forEachLine: chunk boundaries inside multi-byte characters, CRLF, a byte-order mark, an early stop', () => {
    const dir = tmp('micstream-lines-');
    const file = join(dir, 'big.txt');
    // 'é' (2 bytes) and '€' (3 bytes) lines make a 1 MiB chunk end inside a character somewhere.
    const lines = Array.from({ length: 120_000 }, (_, i) => `${i}\t${i % 3 === 0 ? 'é€' : 'x'}`);
    writeFileSync(file, '\ufeff' + lines.join('\r\n'));
    const read = [];
    forEachLine(file, (line, n) => {
        assert.equal(n, read.length + 1);
        read.push(line);
    });
    assert.deepEqual(read, lines);
    const stopped = [];
    forEachLine(file, (line) => (stopped.push(line), stopped.length < 3));
    assert.deepEqual(stopped, lines.slice(0, 3));
    assert.equal(firstLine(file), lines[0]);
});
test('RecBole atomic: item column by RecBole name (business_id), date as time, side columns kept or dropped by what they hold', () => {
    const dir = tmp('micstream-recbole-');
    const inter = ['review_id:token\tuser_id:token\tbusiness_id:token\tstars:float\tdate:float'];
    for (let r = 0; r < 200; r++)
        inter.push(`r${r}\tu${r % 7}\tb${r % 40}\t${1 + (r % 5)}\t${1_546_300_800 + ((r * 37) % 200)}`);
    writeFileSync(join(dir, 'yelp.inter'), inter.join('\n') + '\n');
    const item = ['business_id:token\titem_name:token_seq\tlatitude:float\titem_stars:float\tcategories:token_seq\tpostal:token'];
    for (let b = 0; b < 40; b++)
        item.push(`b${b}\tPlace number ${b}\t${36 + b / 100}\t${(b % 9) / 2 + 1}\tFood Bars\tz${b}`);
    writeFileSync(join(dir, 'yelp.item'), item.join('\n') + '\n');
    assert.equal(detectFormat(dir), 'atomic');
    const data = loadDataset(dir);
    assert.equal(data.events.length, 200);
    assert.ok(data.notes.some((n) => n.includes('user user_id, item business_id, time date')), data.notes.join('\n'));
    const note = data.notes.find((n) => n.startsWith('yelp.item'));
    assert.match(note, /attributes item_stars, categories/);
    assert.match(note, /item_name \(free text\)/);
    assert.match(note, /latitude \(continuous, 40 values\)/);
    const b3 = data.events.find((e) => e.itemId === 'b3');
    // postal is one code per business here (40 of 40), but a table this small cannot tell: kept.
    assert.deepEqual(b3.itemAttributes, { item_stars: '2.5', categories: ['Food', 'Bars'], postal: 'z3' });
    assert.equal(b3.userAttributes, undefined);
    for (let i = 1; i < data.events.length; i++)
        assert.ok(data.events[i].timestamp >= data.events[i - 1].timestamp);
    assert.equal(data.events[0].timestamp, 1_546_300_800_000, 'seconds become milliseconds');
});
test('RecBole atomic: milliseconds and date strings read as times, no time column keeps file order, bad rows counted or refused', () => {
    const dir = tmp('micstream-times-');
    const later = Array.from({ length: 10 }, (_, i) => `u3\ti${i}\t${1_546_300_900_000 + i}\n`).join('');
    writeFileSync(join(dir, 'a.inter'), `user_id:token\titem_id:token\ttimestamp:float\nu1\ti1\t1546300800500\nu2\ti2\t1546300800000\nu1\ti2\t\n${later}`);
    const ms = loadDataset(dir);
    assert.equal(ms.events.length, 12);
    assert.deepEqual(ms.events.slice(0, 2).map((e) => [e.userId, e.timestamp]), [
        ['u2', 1_546_300_800_000],
        ['u1', 1_546_300_800_500],
    ]);
    assert.ok(ms.notes.some((n) => n.includes('milliseconds')));
    assert.ok(ms.notes.some((n) => n.includes('skipped 1 unreadable rows of 13 (first: a.inter:4: time "" unreadable)')), ms.notes.join('\n'));
    const dates = tmp('micstream-dates-');
    writeFileSync(join(dates, 'd.inter'), 'uid:token\tbook_id:token\tdate:token\nu1\tx\t2019-01-02T00:00:00Z\nu1\ty\t2019-01-01T00:00:00Z\n');
    assert.deepEqual(loadDataset(dates).events.map((e) => [e.itemId, e.timestamp]), [
        ['y', Date.parse('2019-01-01T00:00:00Z')],
        ['x', Date.parse('2019-01-02T00:00:00Z')],
    ]);
    const untimed = tmp('micstream-untimed-');
    writeFileSync(join(untimed, 'b.inter'), 'user_id:token\tartist_id:token\tweight:float\nu1\ta9\t3\nu2\ta1\t1\nu1\ta5\t2\n');
    const order = loadDataset(untimed);
    assert.deepEqual(order.events.map((e) => e.itemId), ['a9', 'a1', 'a5']);
    assert.ok(order.notes.some((n) => n.includes('no time column')));
    const broken = tmp('micstream-broken-');
    writeFileSync(join(broken, 'c.inter'), 'user_id:token\titem_id:token\ttimestamp:float\nu1\ti1\tnoon\nu2\ti2\t5\n');
    assert.throws(() => loadDataset(broken), (err) => err instanceof DatasetError && /1 of 2 rows unreadable.*c\.inter:2/.test(err.message));
    const ambiguous = tmp('micstream-ambiguous-');
    writeFileSync(join(ambiguous, 'e.inter'), 'user_id:token\tshop_id:token\tbrand_id:token\treview_id:token\nu\ts\tb\tr\n');
    assert.throws(() => loadDataset(ambiguous), (err) => err instanceof DatasetError && /candidates shop_id, brand_id;/.test(err.message));
    const noUser = tmp('micstream-nouser-');
    writeFileSync(join(noUser, 'f.inter'), 'person:token\titem_id:token\nu\ti\n');
    assert.throws(() => loadDataset(noUser), (err) => err instanceof DatasetError && /no user column/.test(err.message));
});
test("MovieLens' three layouts: ml-100k's u.* files give the same interactions as its atomic files", () => {
    const dir = tmp('micstream-u-');
    for (const f of ['u.data', 'u.item', 'u.user', 'u.genre'])
        copyFileSync(join(ML100K, f), join(dir, f));
    assert.equal(detectFormat(dir), 'movielens-100k');
    const raw = loadDataset(dir);
    const atomic = loadDataset(ML100K);
    const key = (e) => `${e.userId} ${e.itemId} ${e.timestamp}`;
    assert.deepEqual(raw.events.map(key).sort(), atomic.events.map(key).sort());
    const e = raw.events.find((x) => x.userId === '1');
    assert.deepEqual(e.userAttributes, { age: '24', gender: 'M', occupation: 'technician' });
    const toyStory = raw.events.find((x) => x.itemId === '1');
    assert.deepEqual(toyStory.itemAttributes, { release_year: '1995', genres: ['Animation', "Children's", 'Comedy'] });
    assert.ok(raw.notes.some((n) => /u\.user: attributes age, gender, occupation; dropped zip_code/.test(n)), raw.notes.join('\n'));
    const dat = tmp('micstream-dat-');
    writeFileSync(join(dat, 'ratings.dat'), '1::10::4::300\n2::20::3::100\n');
    writeFileSync(join(dat, 'movies.dat'), '10::Heat (1995)::Action|Crime\n20::Toy Story (1995)::(no genres listed)\n');
    writeFileSync(join(dat, 'users.dat'), '1::F::1::10::48067\n2::M::56::16::70072\n');
    assert.equal(detectFormat(dat), 'movielens-dat');
    assert.deepEqual(loadDataset(dat).events.map((x) => [x.userId, x.itemId, x.timestamp, x.itemAttributes, x.userAttributes?.['gender']]), [
        ['2', '20', 100_000, undefined, 'M'],
        ['1', '10', 300_000, { genres: ['Action', 'Crime'] }, 'F'],
    ]);
    assert.equal(detectFormat(join(dat, 'ratings.dat')), 'movielens-dat');
});
//# sourceMappingURL=datasetFiles.test.js.map