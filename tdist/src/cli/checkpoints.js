// The learner at start: restored from the newest valid checkpoint (with the source position it covers), or new.
import { DirectoryCheckpointStore } from '../checkpoint/checkpointStore.js';
import { stateFromParts } from '../checkpoint/stateCodec.js';
import { CheckpointError } from '../errors.js';
import { learnerOptionsFromConfig, resolveLearnerOptions } from '../learner/learnerOptions.js';
import { restoreProblem } from '../learner/learnerState.js';
import { OnlineLearner } from '../learner/onlineLearner.js';
/**
 * With --checkpoint-dir: the newest checkpoint that is complete and passes its checksums (the others
 * are reported and skipped) restored, snapshot included, so the recall API is ready before the first
 * new step. A checkpoint written under other tower shapes stops the start with a CheckpointError
 * (starting over would delete the trained model's checkpoints one interval at a time).
 */
export async function startingLearner(config, logger, instrumentation) {
    const options = learnerOptionsFromConfig(config);
    const now = Date.now();
    if (!config.checkpointDir)
        return { learner: new OnlineLearner(options), store: null, position: null, writerEpoch: now };
    const store = new DirectoryCheckpointStore(config.checkpointDir, config.checkpointKeep);
    const started = Date.now();
    const loaded = await store.loadNewest((name, why) => instrumentation.emit('checkpoint.skipped', { name, why }));
    if (!loaded) {
        logger.info({ checkpointDir: config.checkpointDir }, 'checkpoints: none to restore, starting a new model');
        return { learner: new OnlineLearner(options), store, position: null, writerEpoch: now };
    }
    const { manifest } = loaded;
    const readMs = Date.now() - started;
    const state = stateFromParts(loaded.parts);
    const decodeMs = Date.now() - started - readMs;
    const problem = restoreProblem(resolveLearnerOptions(options), state);
    if (problem)
        throw new CheckpointError(`checkpoint ${manifest.sequence} in ${config.checkpointDir} cannot be restored: ${problem}. ` +
            'Restore the old settings, or point --checkpoint-dir at an empty directory to start a new model');
    const learner = await OnlineLearner.restore(options, state);
    const position = (manifest.meta.source ?? null);
    const restoredEpoch = Number(manifest.meta.writerEpoch ?? 0);
    const writerEpoch = Math.max(now, (Number.isFinite(restoredEpoch) ? restoredEpoch : 0) + 1);
    logger.info({
        checkpoint: manifest.sequence,
        trainedEvents: learner.trainedEvents,
        steps: learner.stepCount,
        ageSeconds: Math.round((Date.now() - manifest.createdAt) / 1000),
        indexVersion: learner.snapshot?.createdAt ?? null,
        source: position,
        writerEpoch,
        // Reading and checking the parts, decoding them, and the restore itself (rows, weights, entities, indexes).
        readMs,
        decodeMs,
        restoreMs: Date.now() - started,
    }, `checkpoints: restored checkpoint ${manifest.sequence} (${learner.trainedEvents} trained events)`);
    return { learner, store, position, writerEpoch };
}
//# sourceMappingURL=checkpoints.js.map