import { u2iRanking } from '../index/indexSnapshot.js';
import { BadRequestError, IndexNotReadyError, UnknownIdError } from '../errors.js';
import { u2iQueryVector } from '../index/indexSnapshot.js';
import { similarItems } from '../index/itemNeighbours.js';
import { MERGED_RECALL_DEFAULTS, mergedRecall } from '../index/mergedRecall.js';
import { similarUsers, usersWithoutItems } from '../index/userNeighbours.js';
export const MAX_K = 1000;
export function validateK(k) {
    if (!Number.isInteger(k) || k < 1 || k > MAX_K)
        throw new BadRequestError(`k must be an integer from 1 to ${MAX_K}`);
    return k;
}
/**
 * The three recall channels and their fusion (`merged`, see mergedRecall.ts) over one
 * IndexSnapshot (read once per request, so a concurrent swap never mixes versions). U2I and merged
 * exclude the user's seen items; I2I excludes the query item; U2U answers the nearest users that
 * have seen items (those a recommendation through neighbours can use), never the query user.
 * `micstream eval` scores these very answers.
 * @throws IndexNotReadyError before the first index, UnknownIdError for ids not in the index,
 *   BadRequestError for a bad k.
 */
export class RecallService {
    provider;
    merged;
    /**
     * Per user index (one per snapshot version; the learner's per-step list updates keep it): its
     * users without seen items (merged U2U skips them), built on first use.
     */
    withoutItems = new WeakMap();
    constructor(provider, merged = MERGED_RECALL_DEFAULTS) {
        this.provider = provider;
        this.merged = merged;
    }
    recall(channel, id, k, options = {}) {
        validateK(k);
        const snap = this.provider.snapshot;
        if (!snap)
            throw new IndexNotReadyError();
        const base = { channel, query: id, k, indexVersion: snap.version, indexCreatedAt: new Date(snap.createdAt).toISOString() };
        // Every user gets an answer: one the model knows nothing about gets the generic list (U2I, merged).
        if ((channel === 'u2i' || channel === 'merged') && !options.strict && snap.generic && !u2iQueryVector(snap, id)) {
            const seen = this.provider.seenItems(id);
            const items = snap.generic.items.filter((item) => !seen.has(item)).slice(0, k);
            return { ...base, results: items.map((item, rank) => ({ id: item, score: 1 / (1 + rank) })), fallback: snap.generic.kind };
        }
        let results;
        if (channel === 'merged') {
            const seenItems = (u) => this.provider.seenItems(u);
            const merged = mergedRecall({ snapshot: snap, seenItems, usersWithoutItems: this.usersWithoutItems(snap) }, id, k, this.merged);
            if (!merged)
                throw new UnknownIdError('user', id);
            results = merged;
        }
        else if (channel === 'i2i') {
            const found = similarItems(snap, id, k, new Set([id]));
            if (!found)
                throw new UnknownIdError('item', id);
            results = found;
        }
        else if (channel === 'u2u') {
            const neighbours = similarUsers(snap, id, k, this.usersWithoutItems(snap));
            if (!neighbours)
                throw new UnknownIdError('user', id);
            results = neighbours;
        }
        else {
            const v = u2iQueryVector(snap, id);
            if (!v)
                throw new UnknownIdError('user', id);
            results = u2iRanking(snap, v, k, this.provider.seenItems(id));
        }
        return { ...base, results };
    }
    /**
     * What a channel serves for `id`, or null where the API answers 404 or 503 (unknown id, no index
     * yet): what prequential and offline evaluation score, so that they score what is served.
     */
    answer(channel, id, k) {
        try {
            return this.recall(channel, id, k).results;
        }
        catch (error) {
            if (error instanceof UnknownIdError || error instanceof IndexNotReadyError)
                return null;
            throw error;
        }
    }
    /** The ids of `answer`, best first (the ranking function of the evaluations). */
    served(channel, id, k) {
        return this.answer(channel, id, k)?.map((n) => n.id) ?? null;
    }
    /** The snapshot's users without seen items, built once per snapshot. */
    usersWithoutItems(snap) {
        let without = this.withoutItems.get(snap.users);
        if (!without)
            this.withoutItems.set(snap.users, (without = usersWithoutItems(snap.users, (u) => this.provider.seenItems(u))));
        return without;
    }
}
//# sourceMappingURL=recallService.js.map