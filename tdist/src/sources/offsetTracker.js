/**
 * At-least-once bookkeeping per partition: offsets are registered when a record is emitted and
 * marked done when the record's fate is final (trained, held out, or durably dead-lettered).
 * The committable offset of a partition is one past the longest done prefix, so a record is
 * never committed before every earlier record of its partition is done.
 */
export class OffsetTracker {
    partitions = new Map();
    key(topic, partition) {
        return `${topic}\u0000${partition}`;
    }
    entry(topic, partition) {
        const k = this.key(topic, partition);
        let e = this.partitions.get(k);
        if (!e)
            this.partitions.set(k, (e = { pending: [], done: new Set(), committable: null, committed: null }));
        return e;
    }
    /** Register an emitted record (offsets must arrive in order per partition). */
    track(topic, partition, offset) {
        this.entry(topic, partition).pending.push(BigInt(offset));
    }
    done(topic, partition, offset) {
        const e = this.partitions.get(this.key(topic, partition));
        if (!e)
            return; // partition revoked meanwhile: the new owner re-reads it
        e.done.add(BigInt(offset));
        while (e.pending.length && e.done.has(e.pending[0])) {
            const o = e.pending.shift();
            e.done.delete(o);
            e.committable = o + 1n;
        }
    }
    /** Offsets to commit now (Kafka convention: the next offset to read), and marks them committed. */
    takeCommits() {
        const out = [];
        for (const [k, e] of this.partitions) {
            if (e.committable !== null && e.committable !== e.committed) {
                const [topic, partition] = k.split('\u0000');
                out.push({ topic: topic, partition: Number(partition), offset: e.committable.toString() });
                e.committed = e.committable;
            }
        }
        return out;
    }
    /** The committable offset of every partition with one (Kafka convention), without marking anything committed. */
    committable() {
        const out = [];
        for (const [k, e] of this.partitions) {
            if (e.committable === null)
                continue;
            const [topic, partition] = k.split('\u0000');
            out.push({ topic: topic, partition: Number(partition), offset: e.committable.toString() });
        }
        return out;
    }
    /** Put commits back after a failed commit request (they are retried next time). */
    restore(commits) {
        for (const c of commits) {
            const e = this.partitions.get(this.key(c.topic, c.partition));
            if (e && e.committed === BigInt(c.offset))
                e.committed = null;
        }
    }
    /** Forget partitions that are no longer assigned (after a rebalance). */
    retain(assigned) {
        const keep = new Set(assigned.map((a) => this.key(a.topic, a.partition)));
        for (const k of [...this.partitions.keys()])
            if (!keep.has(k))
                this.partitions.delete(k);
    }
    /** Records emitted but not done, over all partitions. */
    get pendingCount() {
        let n = 0;
        for (const e of this.partitions.values())
            n += e.pending.length;
        return n;
    }
}
//# sourceMappingURL=offsetTracker.js.map