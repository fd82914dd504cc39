import type { IndexSnapshot } from '../index/indexSnapshot.js';
import type { IndexVectors } from '../index/indexVectors.js';
import type { OnlineLearner } from '../learner/onlineLearner.js';
import type { Logger } from '../log/logger.js';
import type { Instrumentation } from '../metrics/instrumentation.js';
import type { IndexPublisher } from '../publish/indexPublisher.js';
import type { RecallThread } from '../serve/recallThread.js';
import { LatestOnly } from '../util/latestOnly.js';

export interface VersionHandOnDeps {
  learner: OnlineLearner;
  /** The recall topic's publisher (null: nothing published). */
  publisher: IndexPublisher | null;
  /** The learner's recall API thread (null: the API reads the learner directly). */
  thread: RecallThread | null;
  writerEpoch: number;
  instrumentation: Instrumentation;
  logger: Logger;
}

/**
 * Hands each new index version of the learner on: to the recall topic and to the API thread, each
 * one at a time with the latest version winning over a queued one. The published form of a version
 * (IndexVectors with the writer epoch) is built once and shared by both. `fence` stops all of it
 * (another learner is the writer).
 */
export class VersionHandOn {
  private current: { version: number; snapshot: IndexSnapshot; vectors: IndexVectors } | null = null;
  private fenced = false;
  private publishedCount = 0;
  private readonly publishing: LatestOnly;
  private readonly serving: LatestOnly;

  constructor(private readonly deps: VersionHandOnDeps) {
    const { publisher, thread, instrumentation, logger, writerEpoch } = deps;
    this.publishing = new LatestOnly(async () => {
      const index = this.currentVersion()?.vectors;
      if (!index || !publisher) return;
      try {
        await publisher.publish(index);
        this.publishedCount++;
        logger.info({ version: index.version, users: index.users.ids.length, items: index.items.ids.length }, 'published index version');
      } catch (error) {
        instrumentation.emit('index.publish_failed', { version: index.version, error });
      }
    });
    // The API thread serves each version once its graphs are loaded there.
    this.serving = new LatestOnly(async () => {
      const live = this.currentVersion();
      if (!live || !thread) return;
      try {
        if (await thread.serve(live.vectors, live.snapshot))
          instrumentation.emit('recall.loaded', { version: live.vectors.version, channel: 'all', writerEpoch });
      } catch (error) {
        instrumentation.emit('index.build_failed', { error });
      }
    });
  }

  /** Versions the recall topic took. */
  get published(): number {
    return this.publishedCount;
  }

  get isFenced(): boolean {
    return this.fenced;
  }

  /** Hand the learner's live version on (call when a new one is live). */
  request(): void {
    if (this.fenced) return;
    if (this.deps.thread) this.serving.request();
    if (this.deps.publisher) this.publishing.request();
  }

  /** Nothing more is handed on. */
  fence(): void {
    this.fenced = true;
  }

  /** Resolves when the API thread serves the latest version handed on. */
  servingIdle(): Promise<void> {
    return this.serving.idle();
  }

  /** Resolves when no publish is in flight or queued. */
  publishingIdle(): Promise<void> {
    return this.publishing.idle();
  }

  /** The live version as published, built once per version. */
  private currentVersion(): VersionHandOn['current'] {
    const snapshot = this.deps.learner.snapshot;
    if (!snapshot) return null;
    if (this.current?.version !== snapshot.version) {
      const publishable = this.deps.learner.publishable();
      this.current = publishable
        ? { version: snapshot.version, snapshot, vectors: { ...publishable, writerEpoch: this.deps.writerEpoch } }
        : null;
    }
    return this.current;
  }
}
