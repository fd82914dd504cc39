import { stateToParts } from '../checkpoint/stateCodec.js';
/**
 * Writes learner checkpoints between training steps (Kafka Streams' state+offset rule): the
 * source position is read first, then the learner state is captured (training waits only for
 * this), then the parts are saved and fsynced in the background while training goes on, and only
 * once the checkpoint is durable is the position committed. One save at a time (a checkpoint due
 * while one is saving waits for the next chance). A failure is reported, never thrown: training goes
 * on and the position stays uncommitted.
 */
export class Checkpointer {
    store;
    learner;
    positions;
    instrumentation;
    options;
    lastStep = 0;
    lastAt = Date.now();
    lastTrained;
    saving = null;
    fenced = false;
    constructor(store, learner, positions, instrumentation, options) {
        this.store = store;
        this.learner = learner;
        this.positions = positions;
        this.instrumentation = instrumentation;
        this.options = options;
        this.lastTrained = learner.trainedEvents;
    }
    /** Events trained since the last checkpoint's capture. */
    get unsaved() {
        return this.learner.trainedEvents - this.lastTrained;
    }
    /** Whether a checkpoint is due after `step` (the pipeline's step count): by steps, or by time with events trained since. */
    due(step) {
        if (this.fenced || this.saving || this.unsaved === 0)
            return false;
        return step - this.lastStep >= this.options.everySteps || Date.now() - this.lastAt >= this.options.everyMs;
    }
    /**
     * Capture now and save in the background (call between steps). @returns once the state is
     * captured; `flush` waits for the save.
     */
    async checkpoint(step, reason) {
        await this.saving;
        if (this.fenced)
            return;
        this.lastStep = step;
        this.lastAt = Date.now();
        this.lastTrained = this.learner.trainedEvents;
        const started = Date.now();
        let parts;
        let position;
        let trainedEvents;
        try {
            position = this.positions.capture();
            const state = await this.learner.captureState();
            trainedEvents = state.counters.trainedEvents;
            parts = stateToParts(state);
        }
        catch (error) {
            this.instrumentation.emit('checkpoint.failed', { reason, error });
            return;
        }
        const captureMs = Date.now() - started;
        this.saving = (async () => {
            try {
                const manifest = await this.store.save(parts, { ...this.options.meta, source: position, trainedEvents, step });
                const bytes = manifest.parts.reduce((sum, p) => sum + p.bytes, 0);
                this.instrumentation.emit('checkpoint.written', {
                    sequence: manifest.sequence,
                    bytes,
                    captureMs,
                    totalMs: Date.now() - started,
                    trainedEvents,
                    reason,
                });
            }
            catch (error) {
                this.instrumentation.emit('checkpoint.failed', { reason, error });
                return;
            }
            // Not awaited by `flush`: with the broker away a commit can take kafkajs's whole retry budget,
            // and the checkpoint is durable already (a restart skips what it covers). The source serialises
            // its commits, and its stop waits for this one within the drain deadline.
            if (this.fenced)
                return;
            void this.positions
                .commit?.(position)
                .catch((error) => this.instrumentation.emit('checkpoint.failed', { reason: `${reason}: commit`, error }));
        })().finally(() => {
            this.saving = null;
        });
    }
    /**
     * Write and commit nothing more (another learner holds the writer lease: its checkpoints and
     * offsets must not be overtaken by this one's).
     */
    fence() {
        this.fenced = true;
    }
    /** Wait for the save in progress, if any (not for its offset commit). */
    async flush() {
        await this.saving;
    }
}
//# sourceMappingURL=checkpointer.js.map