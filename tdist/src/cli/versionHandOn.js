import { LatestOnly } from '../util/latestOnly.js';
/**
 * Hands each new index version of the learner on: to the recall topic and to the API thread, each
 * one at a time with the latest version winning over a queued one. The published form of a version
 * (IndexVectors with the writer epoch) is built once and shared by both. `fence` stops all of it
 * (another learner is the writer).
 */
export class VersionHandOn {
    deps;
    current = null;
    fenced = false;
    publishedCount = 0;
    publishing;
    serving;
    constructor(deps) {
        this.deps = deps;
        const { publisher, thread, instrumentation, logger, writerEpoch } = deps;
        this.publishing = new LatestOnly(async () => {
            const index = this.currentVersion()?.vectors;
            if (!index || !publisher)
                return;
            try {
                await publisher.publish(index);
                this.publishedCount++;
                logger.info({ version: index.version, users: index.users.ids.length, items: index.items.ids.length }, 'published index version');
            }
            catch (error) {
                instrumentation.emit('index.publish_failed', { version: index.version, error });
            }
        });
        // The API thread serves each version once its graphs are loaded there.
        this.serving = new LatestOnly(async () => {
            const live = this.currentVersion();
            if (!live || !thread)
                return;
            try {
                if (await thread.serve(live.vectors, live.snapshot))
                    instrumentation.emit('recall.loaded', { version: live.vectors.version, channel: 'all', writerEpoch });
            }
            catch (error) {
                instrumentation.emit('index.build_failed', { error });
            }
        });
    }
    /** Versions the recall topic took. */
    get published() {
        return this.publishedCount;
    }
    get isFenced() {
        return this.fenced;
    }
    /** Hand the learner's live version on (call when a new one is live). */
    request() {
        if (this.fenced)
            return;
        if (this.deps.thread)
            this.serving.request();
        if (this.deps.publisher)
            this.publishing.request();
    }
    /** Nothing more is handed on. */
    fence() {
        this.fenced = true;
    }
    /** Resolves when the API thread serves the latest version handed on. */
    servingIdle() {
        return this.serving.idle();
    }
    /** Resolves when no publish is in flight or queued. */
    publishingIdle() {
        return this.publishing.idle();
    }
    /** The live version as published, built once per version. */
    currentVersion() {
        const snapshot = this.deps.learner.snapshot;
        if (!snapshot)
            return null;
        if (this.current?.version !== snapshot.version) {
            const publishable = this.deps.learner.publishable();
            this.current = publishable
                ? { version: snapshot.version, snapshot, vectors: { ...publishable, writerEpoch: this.deps.writerEpoch } }
                : null;
        }
        return this.current;
    }
}
//# sourceMappingURL=versionHandOn.js.map