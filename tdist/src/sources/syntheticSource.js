import { Rng, ZipfSampler } from '../util/random.js';
import { gatedObservable } from './gatedObservable.js';
export const SYNTHETIC_DEFAULTS = {
    users: 3000,
    items: 1500,
    clusters: 12,
    events: 60000,
    seed: 7,
    inClusterProbability: 0.85,
    zipfExponent: 0.9,
    meanSessionLength: 4,
    startTimestamp: Date.UTC(2026, 0, 1),
};
const AGE_BUCKETS = ['18-24', '25-34', '35-44', '45-54', '55+'];
const REGIONS = ['north', 'south', 'east', 'west'];
/**
 * The latent world behind the synthetic stream: users and items with attributes correlated with
 * their taste cluster, and Zipf popularity. Deterministic for a seed.
 */
export class SyntheticWorld {
    options;
    users = [];
    items = [];
    /** Items of each cluster, most popular first. */
    itemsByCluster = [];
    /** All items, most popular first. */
    itemsByPopularity = [];
    constructor(options = {}) {
        const o = (this.options = { ...SYNTHETIC_DEFAULTS, ...options });
        if (o.users < 1 || o.items < o.clusters || o.clusters < 1)
            throw new RangeError('synthetic world needs users >= 1 and items >= clusters >= 1');
        // Users never repeat an item, so a stream longer than users x items could never end.
        if (o.events > o.users * o.items)
            throw new RangeError(`synthetic world: ${o.events} events cannot be drawn without repeats from ${o.users} users x ${o.items} items`);
        const rng = new Rng(o.seed);
        const genresPerCluster = Array.from({ length: o.clusters }, (_, c) => [`genre${c}`, `genre${(c * 7 + 3) % o.clusters}b`]);
        for (let c = 0; c < o.clusters; c++)
            this.itemsByCluster.push([]);
        const order = Array.from({ length: o.items }, (_, i) => i);
        for (let i = order.length - 1; i > 0; i--) {
            const j = rng.int(i + 1);
            [order[i], order[j]] = [order[j], order[i]];
        }
        for (let i = 0; i < o.items; i++) {
            const cluster = i % o.clusters;
            const genres = [...genresPerCluster[cluster]];
            if (rng.next() < 0.3)
                genres.push(`genre${rng.int(o.clusters)}`);
            this.items.push({
                id: `i${i}`,
                cluster,
                attributes: { genre: [...new Set(genres)], decade: `${1960 + 10 * rng.int(7)}s` },
            });
        }
        // `order` is the popularity rank: position 0 is the most popular item.
        for (const i of order) {
            this.itemsByPopularity.push(i);
            this.itemsByCluster[this.items[i].cluster].push(i);
        }
        for (let u = 0; u < o.users; u++) {
            const cluster = rng.int(o.clusters);
            const age = rng.next() < 0.7 ? AGE_BUCKETS[cluster % AGE_BUCKETS.length] : rng.pick(AGE_BUCKETS);
            const gender = rng.next() < 0.75 ? (cluster % 2 === 0 ? 'F' : 'M') : rng.pick(['F', 'M']);
            this.users.push({ id: `u${u}`, cluster, attributes: { age, gender, region: rng.pick(REGIONS) } });
        }
    }
    /** The user's taste cluster at a given event index (drift moves it by one). */
    clusterOf(user, eventIndex) {
        const base = this.users[user].cluster;
        const { driftAt, clusters } = this.options;
        return driftAt !== undefined && eventIndex >= driftAt ? (base + 1) % clusters : base;
    }
    *events() {
        const o = this.options;
        const rng = new Rng(o.seed ^ 0x5bd1e995);
        const userActivity = new ZipfSampler(o.users, 0.6);
        const global = new ZipfSampler(o.items, o.zipfExponent);
        const perCluster = this.itemsByCluster.map((list) => new ZipfSampler(list.length, o.zipfExponent));
        const seen = new Map();
        let timestamp = o.startTimestamp;
        let emitted = 0;
        while (emitted < o.events) {
            const user = userActivity.sample(rng);
            const session = 1 + Math.floor(-Math.log(1 - rng.next()) * (o.meanSessionLength - 1));
            let userSeen = seen.get(user);
            if (!userSeen)
                seen.set(user, (userSeen = new Set()));
            for (let s = 0; s < session && emitted < o.events; s++) {
                const cluster = this.clusterOf(user, emitted);
                let item = -1;
                for (let attempt = 0; attempt < 20; attempt++) {
                    const candidate = rng.next() < o.inClusterProbability
                        ? this.itemsByCluster[cluster][perCluster[cluster].sample(rng)]
                        : this.itemsByPopularity[global.sample(rng)];
                    if (!userSeen.has(candidate)) {
                        item = candidate;
                        break;
                    }
                }
                if (item < 0)
                    break;
                userSeen.add(item);
                timestamp += 1 + Math.floor(-Math.log(1 - rng.next()) * 1000);
                const u = this.users[user];
                const it = this.items[item];
                yield {
                    userId: u.id,
                    itemId: it.id,
                    timestamp,
                    type: 'view',
                    userAttributes: u.attributes,
                    itemAttributes: it.attributes,
                };
                emitted++;
            }
        }
    }
}
/** The embedded default source: a seeded synthetic stream (see SyntheticWorld); `skip` as fileReplaySource's. */
export function syntheticSource(options = {}, gate, skip = 0) {
    const world = new SyntheticWorld(options);
    return gatedObservable(() => world.events(), gate, skip);
}
//# sourceMappingURL=syntheticSource.js.map