import { maskTowerInput } from './views/fieldMasking.js';
import { keys } from './featureState.js';
import { buildTowerInput, RowTable } from './towerInput.js';
export function userFields(userId, state, withId) {
    return { id: withId ? keys.user(userId) : null, attributes: state.userAttributeKeys(userId), history: state.userHistoryKeys(userId) };
}
export function itemFields(itemId, state, withId) {
    return { id: withId ? keys.item(itemId) : null, attributes: state.itemAttributeKeys(itemId), history: state.itemHistoryKeys(itemId) };
}
/** Each user's batch items and each item's batch users, as history keys. */
function ownTargets(events) {
    const itemsOfUser = new Map();
    const usersOfItem = new Map();
    for (const e of events) {
        let items = itemsOfUser.get(e.userId);
        if (!items)
            itemsOfUser.set(e.userId, (items = new Set()));
        items.add(keys.item(e.itemId));
        let users = usersOfItem.get(e.itemId);
        if (!users)
            usersOfItem.set(e.itemId, (users = new Set()));
        users.add(keys.user(e.userId));
    }
    return { itemsOfUser, usersOfItem };
}
function withoutHistory(f, drop) {
    return f.history.some((k) => drop.has(k)) ? { ...f, history: f.history.filter((k) => !drop.has(k)) } : f;
}
/**
 * Turn B events into a PreparedBatch. The estimators must already have observed the batch (so
 * every candidate has a probability); feature state must hold the events' attributes.
 */
export function prepareBatch(events, state, estimator, options, seed = 0) {
    const userIndex = new Map();
    const itemIndex = new Map();
    const userIds = [];
    const itemIds = [];
    const b = events.length;
    const eventUser = new Int32Array(b);
    const eventItem = new Int32Array(b);
    const weights = new Float32Array(b);
    events.forEach((e, n) => {
        let u = userIndex.get(e.userId);
        if (u === undefined) {
            u = userIds.length;
            userIndex.set(e.userId, u);
            userIds.push(e.userId);
        }
        let i = itemIndex.get(e.itemId);
        if (i === undefined) {
            i = itemIds.length;
            itemIndex.set(e.itemId, i);
            itemIds.push(e.itemId);
        }
        eventUser[n] = u;
        eventItem[n] = i;
        weights[n] = e.weight ?? 1;
    });
    const rows = new RowTable();
    const drop = options.coldDropout;
    const asCold = (f) => ({ id: null, attributes: f.attributes, history: [] });
    const own = options.excludeOwnTargets ? ownTargets(events) : null;
    const userF = userIds
        .map((id) => userFields(id, state, true))
        .map((f, u) => (own ? withoutHistory(f, own.itemsOfUser.get(userIds[u])) : f))
        .map((f) => (drop && drop.user > 0 && drop.rng.next() < drop.user ? asCold(f) : f));
    const itemF = itemIds
        .map((id) => itemFields(id, state, true))
        .map((f, i) => (own ? withoutHistory(f, own.usersOfItem.get(itemIds[i])) : f))
        .map((f) => (drop && drop.item > 0 && drop.rng.next() < drop.item ? asCold(f) : f));
    const inputs = {
        users: buildTowerInput(userF, rows, options.recentLength),
        items: buildTowerInput(itemF, rows, options.recentLength),
    };
    const views = options.views;
    // Views mask the originals' resolved rows (maskFields' draws, no second key lookup).
    if (views?.user)
        inputs.userViews = maskTowerInput(inputs.users, views.rng, views.user, options.recentLength);
    if (views?.item)
        inputs.itemViews = maskTowerInput(inputs.items, views.rng, views.item, options.recentLength);
    const m = itemIds.length;
    const itemLogQ = new Float32Array(m);
    if (options.logQ)
        itemIds.forEach((id, j) => (itemLogQ[j] = estimator.logProbability(id)));
    let userLogQ = null;
    if (options.userEstimator) {
        userLogQ = new Float32Array(userIds.length);
        if (options.logQ)
            userIds.forEach((id, j) => (userLogQ[j] = options.userEstimator.logProbability(id)));
    }
    let accidentalHits = null;
    if (options.accidentalHits !== 'ignore') {
        const positivesOfUser = new Map();
        for (let n = 0; n < b; n++) {
            const list = positivesOfUser.get(eventUser[n]) ?? [];
            list.push(eventItem[n]);
            positivesOfUser.set(eventUser[n], list);
        }
        accidentalHits = new Float32Array(b * m);
        for (let n = 0; n < b; n++) {
            for (const j of positivesOfUser.get(eventUser[n]))
                if (j !== eventItem[n])
                    accidentalHits[n * m + j] = 1;
        }
    }
    let bceNegatives = null;
    if (options.bceNegatives) {
        bceNegatives = new Int32Array(b);
        for (let n = 0; n < b; n++) {
            const pick = m > 1 ? (eventItem[n] + 1 + options.bceNegatives.int(m - 1)) % m : eventItem[n];
            bceNegatives[n] = pick;
        }
    }
    const batch = {
        rows,
        inputs,
        userIds,
        itemIds,
        eventUser,
        eventItem,
        itemLogQ,
        userLogQ,
        accidentalHits,
        accidentalHitMode: options.accidentalHits,
        weights,
        bceNegatives,
        seed,
    };
    if (options.nextItemPairs)
        batch.nextItem = nextItemPairs(events, state, itemIndex);
    return batch;
}
/**
 * The user's previous item before each event (the batch's earlier events first, then the stored
 * history), kept when it is one of the batch's items and differs from the event's item. Bursty
 * streams keep nearly all of them: 97.7% of ml-100k's training events at batch 256.
 */
export function nextItemPairs(events, state, itemIndex) {
    const byKey = new Map();
    for (const [id, j] of itemIndex)
        byKey.set(keys.item(id), j);
    const previous = new Map();
    const query = [];
    const target = [];
    for (const e of events) {
        let p = previous.get(e.userId);
        if (p === undefined) {
            const history = state.userHistoryKeys(e.userId);
            p = history.length ? byKey.get(history[history.length - 1]) : undefined;
        }
        const j = itemIndex.get(e.itemId);
        if (p !== undefined && p !== j) {
            query.push(p);
            target.push(j);
        }
        previous.set(e.userId, j);
    }
    return { query: Int32Array.from(query), target: Int32Array.from(target) };
}
//# sourceMappingURL=batchBuilder.js.map