import { cooccurrenceFromData, type CooccurrenceData } from '../index/itemNeighbours.js';
import { coconsumptionFromData, type CoconsumptionData } from '../index/userNeighbours.js';
import { mergedWeightsFromData } from '../index/mergedRecall.js';
import { priorFromData, priorToData, type PopularityPriorData } from '../index/popularityPrior.js';
import { IndexArtifactError } from '../errors.js';
import type { RecallMessage } from '../kafka/recallTopicReader.js';
import {
  ARTIFACT_CHANNELS,
  ARTIFACT_FORMAT,
  decodeVectors,
  sha256,
  type ArtifactChannel,
  type ChannelManifest,
  type IndexVectors,
  type VersionManifest,
} from './indexArtifact.js';

export type { RecallMessage };

export type AssembledIndex = IndexVectors;

interface Partial {
  chunks: Map<ArtifactChannel, Map<number, Buffer>>;
  manifests: Map<ArtifactChannel, ChannelManifest>;
}

/**
 * Rebuilds published index versions from recall-topic messages. `accept` returns an assembled
 * version when its version manifest arrives and every channel is complete and matches its
 * checksum; it throws IndexArtifactError for a torn or corrupt version (which is then dropped),
 * and returns null otherwise. Versions not newer than the newest assembled one are ignored, and a
 * version from an older writer (a lower writer epoch than the newest accepted: a learner that
 * still runs after its successor started) is rejected, so servers never alternate between writers.
 */
export class RecallIndexAssembler {
  private readonly partial = new Map<number, Partial>();
  private newest = 0;
  private epoch = 0;

  get newestVersion(): number {
    return this.newest;
  }

  /** The writer epoch of the versions being accepted (0 before any, or from learners without one). */
  get writerEpoch(): number {
    return this.epoch;
  }

  accept(message: RecallMessage): AssembledIndex | null {
    const version = Number(message.headers['micstream-version']);
    const kind = message.headers['micstream-kind'];
    if (!Number.isFinite(version) || version <= this.newest) return null;
    let p = this.partial.get(version);
    if (!p) this.partial.set(version, (p = { chunks: new Map(), manifests: new Map() }));
    const channel = message.headers['micstream-channel'] as ArtifactChannel | undefined;
    if (kind === 'chunk' && channel && ARTIFACT_CHANNELS.includes(channel)) {
      let m = p.chunks.get(channel);
      if (!m) p.chunks.set(channel, (m = new Map()));
      m.set(Number(message.headers['micstream-chunk']), message.value);
      return null;
    }
    if (kind === 'channel-manifest' && channel) {
      p.manifests.set(channel, this.parse<ChannelManifest>(message.value, version));
      return null;
    }
    if (kind !== 'version-manifest') return null;
    const manifest = this.parse<VersionManifest>(message.value, version);
    this.partial.delete(version);
    const writerEpoch = manifest.writerEpoch ?? 0;
    if (!Number.isFinite(writerEpoch) || writerEpoch < this.epoch)
      throw new IndexArtifactError(`version ${version}: written by an older writer (epoch ${writerEpoch} < ${this.epoch}); not taken`);
    // Older partial versions can never complete usefully once a newer one is decided.
    for (const v of [...this.partial.keys()]) if (v < version) this.partial.delete(v);
    const payload = (channel: ArtifactChannel): Buffer => {
      const cm = p.manifests.get(channel);
      if (!cm) throw new IndexArtifactError(`version ${version}: manifest of channel ${channel} is missing`);
      const parts = p.chunks.get(channel) ?? new Map<number, Buffer>();
      const ordered: Buffer[] = [];
      for (let i = 0; i < cm.chunks; i++) {
        const part = parts.get(i);
        if (!part) throw new IndexArtifactError(`version ${version}: chunk ${i} of ${cm.chunks} of channel ${channel} is missing (torn)`);
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
    let seen: Record<string, string[]>;
    try {
      seen = JSON.parse(payload('seen').toString('utf8')) as Record<string, string[]>;
    } catch (err) {
      if (err instanceof IndexArtifactError) throw err;
      throw new IndexArtifactError(`version ${version}: seen channel is not JSON`, err);
    }
    if (users.dim !== items.dim) throw new IndexArtifactError(`version ${version}: user dim ${users.dim} != item dim ${items.dim}`);
    const u2iQueries = manifest.channels.includes('u2iQueries') ? decodeVectors(payload('u2iQueries')) : undefined;
    if (u2iQueries && u2iQueries.dim !== users.dim)
      throw new IndexArtifactError(`version ${version}: u2iQueries dim ${u2iQueries.dim} != user dim ${users.dim}`);
    let generic: IndexVectors['generic'];
    if (manifest.channels.includes('generic')) {
      try {
        generic = JSON.parse(payload('generic').toString('utf8')) as IndexVectors['generic'];
      } catch (err) {
        if (err instanceof IndexArtifactError) throw err;
        throw new IndexArtifactError(`version ${version}: generic channel is not JSON`, err);
      }
      const isList = (l: unknown): boolean => {
        const o = l as { kind?: unknown; items?: unknown } | null;
        return typeof o?.kind === 'string' && Array.isArray(o.items) && o.items.every((i) => typeof i === 'string');
      };
      if (!isList(generic) || (generic!.returning !== undefined && !isList(generic!.returning)))
        throw new IndexArtifactError(`version ${version}: generic channel is not { kind, items: string[], returning?: { kind, items } }`);
    }
    let prior: PopularityPriorData | undefined;
    if (manifest.channels.includes('prior')) {
      try {
        prior = priorToData(priorFromData(JSON.parse(payload('prior').toString('utf8'))));
      } catch (err) {
        if (err instanceof IndexArtifactError) throw err;
        throw new IndexArtifactError(`version ${version}: prior channel is malformed (${(err as Error).message})`, err);
      }
    }
    let cooccurrence: CooccurrenceData | undefined;
    if (manifest.channels.includes('cooccurrence')) {
      try {
        const data = JSON.parse(payload('cooccurrence').toString('utf8')) as CooccurrenceData;
        cooccurrenceFromData(data);
        cooccurrence = data;
      } catch (err) {
        if (err instanceof IndexArtifactError) throw err;
        throw new IndexArtifactError(`version ${version}: cooccurrence channel is malformed (${(err as Error).message})`, err);
      }
    }
    let coconsumption: CoconsumptionData | undefined;
    if (manifest.channels.includes('coconsumption')) {
      try {
        const data = JSON.parse(payload('coconsumption').toString('utf8')) as CoconsumptionData;
        coconsumptionFromData(data);
        coconsumption = data;
      } catch (err) {
        if (err instanceof IndexArtifactError) throw err;
        throw new IndexArtifactError(`version ${version}: coconsumption channel is malformed (${(err as Error).message})`, err);
      }
    }
    let mergedWeights: NonNullable<AssembledIndex['mergedWeights']> | undefined;
    if (manifest.channels.includes('fusion')) {
      try {
        mergedWeights = mergedWeightsFromData(JSON.parse(payload('fusion').toString('utf8')));
      } catch (err) {
        if (err instanceof IndexArtifactError) throw err;
        throw new IndexArtifactError(`version ${version}: fusion channel is malformed (${(err as Error).message})`, err);
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

  private parse<T extends { format: string; version: number }>(value: Buffer, version: number): T {
    let m: T;
    try {
      m = JSON.parse(value.toString('utf8')) as T;
    } catch (err) {
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
