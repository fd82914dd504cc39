const USER_ATTR = 'ua:';
const ITEM_ATTR = 'ia:';
/** Key namespaces of the embedding store. Histories reuse the id rows of the other side. */
export const keys = {
    user: (id) => `u:${id}`,
    item: (id) => `i:${id}`,
    userAttr: (field, value) => `${USER_ATTR}${field}=${value}`,
    itemAttr: (field, value) => `${ITEM_ATTR}${field}=${value}`,
};
function attributeKeys(attrs, make) {
    const out = [];
    for (const [field, value] of Object.entries(attrs)) {
        if (Array.isArray(value))
            for (const v of value)
                out.push(make(field, v));
        else
            out.push(make(field, value));
    }
    return out;
}
/**
 * Whether `keys` (as attributeKeys made them, with `prefix` such as "ua:") already say exactly
 * what `attrs` says, checked without building a string: entities usually carry the same
 * attributes on every event, and rebuilding their keys took ~0.7 ms of a ~13 ms DSSM step at
 * batch 256.
 */
function sameAttributeKeys(keys, attrs, prefix) {
    let i = 0;
    const matches = (field, value) => {
        const key = keys[i++];
        return (key !== undefined &&
            key.length === prefix.length + field.length + 1 + value.length &&
            key.startsWith(field, prefix.length) &&
            key.charCodeAt(prefix.length + field.length) === 61 && // '='
            key.endsWith(value));
    };
    for (const [field, value] of Object.entries(attrs)) {
        if (Array.isArray(value)) {
            for (const v of value)
                if (!matches(field, v))
                    return false;
        }
        else if (!matches(field, value))
            return false;
    }
    return i === keys.length;
}
/** A bounded most-recent-last list. */
class Recent {
    limit;
    values = [];
    constructor(limit) {
        this.limit = limit;
    }
    push(value) {
        this.values.push(value);
        if (this.values.length > this.limit)
            this.values.shift();
    }
}
/**
 * What the towers know about each user and item beyond its id: the latest attributes seen on an
 * event (as store keys) and the most recent interactions (the user's items, the item's users).
 * Histories are appended only after the step that trained on the event, so an example never sees
 * its own target in its history.
 */
export class FeatureState {
    historyLength;
    userAttrs = new Map();
    itemAttrs = new Map();
    userHistory = new Map();
    itemHistory = new Map();
    constructor(historyLength) {
        this.historyLength = historyLength;
    }
    /** Entries held per structure (ids with attributes, history entries), for the memory metrics. */
    sizes() {
        let userHistory = 0;
        for (const r of this.userHistory.values())
            userHistory += r.values.length;
        let itemHistory = 0;
        for (const r of this.itemHistory.values())
            itemHistory += r.values.length;
        return { userAttributes: this.userAttrs.size, itemAttributes: this.itemAttrs.size, userHistory, itemHistory };
    }
    /** Record the attributes carried by an event (latest wins). */
    observeAttributes(event) {
        if (event.userAttributes) {
            const known = this.userAttrs.get(event.userId);
            if (!known || !sameAttributeKeys(known, event.userAttributes, USER_ATTR))
                this.userAttrs.set(event.userId, attributeKeys(event.userAttributes, keys.userAttr));
        }
        if (event.itemAttributes) {
            const known = this.itemAttrs.get(event.itemId);
            if (!known || !sameAttributeKeys(known, event.itemAttributes, ITEM_ATTR))
                this.itemAttrs.set(event.itemId, attributeKeys(event.itemAttributes, keys.itemAttr));
        }
    }
    /** Append the interaction to both histories. */
    appendInteraction(event) {
        if (this.historyLength === 0)
            return;
        let uh = this.userHistory.get(event.userId);
        if (!uh)
            this.userHistory.set(event.userId, (uh = new Recent(this.historyLength)));
        uh.push(keys.item(event.itemId));
        let ih = this.itemHistory.get(event.itemId);
        if (!ih)
            this.itemHistory.set(event.itemId, (ih = new Recent(this.historyLength)));
        ih.push(keys.user(event.userId));
    }
    userAttributeKeys(userId) {
        return this.userAttrs.get(userId) ?? [];
    }
    /**
     * Attributes computed from the stream rather than carried by events (e.g. the item's current
     * popularity bucket); appended to the item's attributes for training and encoding alike.
     */
    dynamicItemAttributes = null;
    itemAttributeKeys(itemId) {
        const fixed = this.itemAttrs.get(itemId) ?? [];
        return this.dynamicItemAttributes ? [...fixed, ...this.dynamicItemAttributes(itemId)] : fixed;
    }
    userHistoryKeys(userId) {
        return this.userHistory.get(userId)?.values ?? [];
    }
    itemHistoryKeys(itemId) {
        return this.itemHistory.get(itemId)?.values ?? [];
    }
    /**
     * Drop every interaction history (attributes stay). A replay of the stream from its start (another
     * training epoch) rebuilds them in order, so that no example sees its own target in its history.
     */
    clearHistories() {
        this.userHistory.clear();
        this.itemHistory.clear();
    }
    /** Forget everything about a user / item (after its id expired). */
    forgetUser(userId) {
        this.userAttrs.delete(userId);
        this.userHistory.delete(userId);
    }
    forgetItem(itemId) {
        this.itemAttrs.delete(itemId);
        this.itemHistory.delete(itemId);
    }
    /** Users and items with known attributes or history (those the learner can encode). */
    knownUsers() {
        return new Set([...this.userAttrs.keys(), ...this.userHistory.keys()]).values();
    }
    knownItems() {
        return new Set([...this.itemAttrs.keys(), ...this.itemHistory.keys()]).values();
    }
    /** Attributes and histories as plain data (JSON-safe), in insertion order (encoding order follows it). */
    toData() {
        const entries = (m) => [...m].map(([id, v]) => [id, [...v]]);
        const histories = (m) => [...m].map(([id, r]) => [id, [...r.values]]);
        return {
            historyLength: this.historyLength,
            userAttributes: entries(this.userAttrs),
            itemAttributes: entries(this.itemAttrs),
            userHistories: histories(this.userHistory),
            itemHistories: histories(this.itemHistory),
        };
    }
    /** The state `toData` described (dynamic item attributes are not data: set them again). */
    static fromData(data) {
        const s = new FeatureState(data.historyLength);
        for (const [id, v] of data.userAttributes)
            s.userAttrs.set(id, [...v]);
        for (const [id, v] of data.itemAttributes)
            s.itemAttrs.set(id, [...v]);
        const recent = (values) => {
            const r = new Recent(data.historyLength);
            for (const v of values)
                r.push(v);
            return r;
        };
        for (const [id, v] of data.userHistories)
            s.userHistory.set(id, recent(v));
        for (const [id, v] of data.itemHistories)
            s.itemHistory.set(id, recent(v));
        return s;
    }
}
//# sourceMappingURL=featureState.js.map