/**
 * The evidence behind one served number chosen among fixed candidates, test-then-train: decayed
 * hit counts per candidate (half-life in checks), the argmax served once `minChecks` checks are in
 * (ties: the candidate nearest `initial`), `initial` before. Shared by the fusion weights of I2I
 * and U2U (their probes say what a hit is).
 */
export class DecayedChoice {
    candidates;
    initial;
    minChecks;
    hits;
    total = 0;
    checked = 0;
    decay;
    constructor(candidates, initial, halfLifeChecks, minChecks) {
        this.candidates = candidates;
        this.initial = initial;
        this.minChecks = minChecks;
        this.hits = new Float64Array(candidates.length);
        this.decay = Math.pow(0.5, 1 / halfLifeChecks);
    }
    get checks() {
        return this.checked;
    }
    /** One check: `hit(c)` says whether candidate c's answer held the truth. */
    record(hit) {
        this.candidates.forEach((c, i) => {
            this.hits[i] = this.hits[i] * this.decay + (hit(c, i) ? 1 : 0);
        });
        this.total = this.total * this.decay + 1;
        this.checked++;
    }
    /** The candidate to serve now. */
    best() {
        if (this.checked < this.minChecks)
            return this.initial;
        let best = -1;
        for (let c = 0; c < this.candidates.length; c++) {
            if (best < 0 || this.hits[c] > this.hits[best] + 1e-9)
                best = c;
            else if (Math.abs(this.hits[c] - this.hits[best]) <= 1e-9 && this.nearerInitial(c, best))
                best = c;
        }
        return this.candidates[best];
    }
    /** Decayed hit rate per candidate. */
    hitRates() {
        return Array.from(this.hits, (h) => (this.total > 0 ? h / this.total : 0));
    }
    toData(budget) {
        return { hits: this.hits, weight: this.total, checks: this.checked, budget };
    }
    /** @returns the carried check budget. */
    restore(data, what) {
        if (data.hits.length !== this.hits.length)
            throw new RangeError(`${what} state has ${data.hits.length} candidates, expected ${this.hits.length}`);
        this.hits.set(data.hits);
        this.total = data.weight;
        this.checked = data.checks;
        return data.budget;
    }
    nearerInitial(a, b) {
        return Math.abs(this.candidates[a] - this.initial) < Math.abs(this.candidates[b] - this.initial);
    }
}
//# sourceMappingURL=decayedChoice.js.map