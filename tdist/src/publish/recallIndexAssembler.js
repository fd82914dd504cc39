import { cooccurrenceFromData } from '../index/itemNeighbours.js';
import { coconsumptionFromData } from '../index/userNeighbours.js';
import { mergedWeightsFromData } from '../index/mergedRecall.js';
import { priorFromData, priorToData } from '../index/popularityPrior.js';
import { IndexArtifactError } from '../errors.js';
import { ARTIFACT_CHANNELS, ARTIFACT_FORMAT, decodeVectors, sha256, } from './indexArtifact.js';
/**
 * Rebuilds published index versions from recall-topic messages. `accept` returns an assembled
 * version when its version manifest arrives and every channel is complete and matches its
 * checksum; it throws IndexArtifactError for a torn or corrupt version (which is then dropped),
 * and returns null otherwise. Versions not newer than the newest assembled one are ignored, and a
 * version from an older writer (a lower writer epoch than the newest accepted: a learner that
 * still runs after its successor started) is rejected, so servers never alternate between writers.
 */
export class RecallIndexAssembler {
    partial = new Map();
    newest = 0;
    epoch = 0;
    get newestVersion() {
        return this.newest;
    }
    /** The writer epoch of the versions being accepted (0 before any, or from learners without one). */
    get writerEpoch() {
        return this.epoch;
    }
    accept(message) {
        const version = Number(message.headers['micstream-version']);
        const kind = message.headers['micstream-kind'];
        if (!Number.isFinite(version) || version <= this.newest)
            return null;
        let p = this.partial.get(version);
        if (!p)
            this.partial.set(version, (p = { chunks: new Map(), manifests: new Map() }));
        const channel = message.headers['micstream-channel'];
        if (kind === 'chunk' && channel && ARTIFACT_CHANNELS.includes(channel)) {
            let m = p.chunks.get(channel);
            if (!m)
                p.chunks.set(channel, (m = new Map()));
            m.set(Number(message.headers['micstream-chunk']), message.value);
            return null;
        }
        if (kind === 'channel-manifest' && channel) {
            p.manifests.set(channel, this.parse(message.value, version));
            return null;
        }
        if (kind !== 'version-manifest')
            return null;
        const manifest = this.parse(message.value, version);
        this.partial.delete(version);
        const writerEpoch = manifest.writerEpoch ?? 0;
        if (!Number.isFinite(writerEpoch) || writerEpoch < this.epoch)
            throw new IndexArtifactError(`version ${version}: written by an older writer (epoch ${writerEpoch} < ${this.epoch}); not taken`);
        // Older partial versions can never complete usefully once a newer one is decided.
        for (const v of [...this.partial.keys()])
            if (v < version)
                this.partial.delete(v);
        const payload = (channel) => {
            const cm = p.manifests.get(channel);
            if (!cm)
                throw new IndexArtifactError(`version ${version}: manifest of channel ${channel} is missing`);
            const parts = p.chunks.get(channel) ?? new Map();
            const ordered = [];
            for (let i = 0; i < cm.chunks; i++) {
                const part = parts.get(i);
                if (!part)
                    throw new IndexArtifactError(`version ${version}: chunk ${i} of ${cm.chunks} of channel ${channel} is missing (torn)`);
                ordered.push(part);
            }
            const data = Buffer.concat(ordered);
            if (data.length !== cm.bytes)
                throw new IndexArtifactError(`version ${version}: channel ${channel} has ${data.length} bytes, manifest says ${cm.bytes}`);
            if (sha256(data) !== cm.checksum)
                throw new IndexArtifactError(`version ${version}: channel ${channel} fails its sha256 checksum (corrupt)`);
            return data;
        };
        const users = decodeVectors(payload('users'));
        const items = decodeVectors(payload('items'));
        let seen;
        try {
            seen = JSON.parse(payload('seen').toString('utf8'));
        }
        catch (err) {
            if (err instanceof IndexArtifactError)
                throw err;
            throw new IndexArtifactError(`version ${version}: seen channel is not JSON`, err);
        }
        if (users.dim !== items.dim)
            throw new IndexArtifactError(`version ${version}: user dim ${users.dim} != item dim ${items.dim}`);
        const u2iQueries = manifest.channels.includes('u2iQueries') ? decodeVectors(payload('u2iQueries')) : undefined;
        if (u2iQueries && u2iQueries.dim !== users.dim)
            throw new IndexArtifactError(`version ${version}: u2iQueries dim ${u2iQueries.dim} != user dim ${users.dim}`);
        let generic;
        if (manifest.channels.includes('generic')) {
            try {
                generic = JSON.parse(payload('generic').toString('utf8'));
            }
            catch (err) {
                if (err instanceof IndexArtifactError)
                    throw err;
                throw new IndexArtifactError(`version ${version}: generic channel is not JSON`, err);
            }
            if (typeof generic?.kind !== 'string' || !Array.isArray(generic.items) || !generic.items.every((i) => typeof i === 'string'))
                throw new IndexArtifactError(`version ${version}: generic channel is not { kind, items: string[] }`);
        }
        let prior;
        if (manifest.channels.includes('prior')) {
            try {
                prior = priorToData(priorFromData(JSON.parse(payload('prior').toString('utf8'))));
            }
            catch (err) {
                if (err instanceof IndexArtifactError)
                    throw err;
                throw new IndexArtifactError(`version ${version}: prior channel is malformed (${err.message})`, err);
            }
        }
        let cooccurrence;
        if (manifest.channels.includes('cooccurrence')) {
            try {
                const data = JSON.parse(payload('cooccurrence').toString('utf8'));
                cooccurrenceFromData(data);
                cooccurrence = data;
            }
            catch (err) {
                if (err instanceof IndexArtifactError)
                    throw err;
                throw new IndexArtifactError(`version ${version}: cooccurrence channel is malformed (${err.message})`, err);
            }
        }
        let coconsumption;
        if (manifest.channels.includes('coconsumption')) {
            try {
                const data = JSON.parse(payload('coconsumption').toString('utf8'));
                coconsumptionFromData(data);
                coconsumption = data;
            }
            catch (err) {
                if (err instanceof IndexArtifactError)
                    throw err;
                throw new IndexArtifactError(`version ${version}: coconsumption channel is malformed (${err.message})`, err);
            }
        }
        let mergedWeights;
        if (manifest.channels.includes('fusion')) {
            try {
                mergedWeights = mergedWeightsFromData(JSON.parse(payload('fusion').toString('utf8')));
            }
            catch (err) {
                if (err instanceof IndexArtifactError)
                    throw err;
                throw new IndexArtifactError(`version ${version}: fusion channel is malformed (${err.message})`, err);
            }
        }
        this.newest = version;
        this.epoch = writerEpoch;
        return {
            version,
            writerEpoch,
            trainedEvents: manifest.trainedEvents,
            dim: users.dim,
            users,
            items,
            seen,
            ...(u2iQueries ? { u2iQueries: { ids: u2iQueries.ids, vectors: u2iQueries.vectors } } : {}),
            ...(generic ? { generic } : {}),
            ...(prior ? { prior } : {}),
            ...(cooccurrence ? { cooccurrence } : {}),
            ...(coconsumption ? { coconsumption } : {}),
            ...(mergedWeights ? { mergedWeights } : {}),
        };
    }
    parse(value, version) {
        let m;
        try {
            m = JSON.parse(value.toString('utf8'));
        }
        catch (err) {
            this.partial.delete(version);
            throw new IndexArtifactError(`version ${version}: manifest is not JSON`, err);
        }
        if (m.format !== ARTIFACT_FORMAT || m.version !== version) {
            this.partial.delete(version);
            throw new IndexArtifactError(`version ${version}: manifest has format ${m.format} / version ${m.version}`);
        }
        return m;
    }
}
//# sourceMappingURL=recallIndexAssembler.js.map