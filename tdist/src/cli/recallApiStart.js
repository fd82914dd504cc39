import { mergedOptionsFromConfig } from '../index/mergedRecall.js';
import { RecallServer } from '../serve/recallServer.js';
import { RecallService } from '../serve/recallService.js';
import { RecallThread } from '../serve/recallThread.js';
import { prioritiseApiThread } from './apiThreadPriority.js';
const limitsOf = (config) => ({
    host: config.host,
    port: config.port,
    maxConnections: config.maxConnections,
    headersTimeoutMs: config.headersTimeoutMs,
});
const internalErrorLog = (logger) => (error, request) => logger.error({ url: request.url, err: error }, 'recall request failed with an internal error');
const urlOf = (address) => `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;
/** The recall API on its own thread (versions are handed to it), listening, every other thread reniced. */
export async function startRecallThread(config, logger, registry) {
    const thread = new RecallThread({
        ...limitsOf(config),
        merged: mergedOptionsFromConfig(config),
        registry,
        onInternalError: internalErrorLog(logger),
        // Liveness fails from then on: the orchestrator restarts the process (a checkpoint keeps what was learned).
        onCrash: (err) => logger.error({ err }, 'the recall API thread died; nothing is served until the process restarts'),
    });
    const address = await thread.listen();
    // Before the threads that train or build start: they take their creator's nice value.
    prioritiseApiThread(thread.threadId, config.trainingNice, logger);
    return { api: thread, url: urlOf(address) };
}
/**
 * The recall API of `train`: on its own thread (startRecallThread), or, given `onThisThread`, on the
 * calling thread over that provider (`--api-thread main`: answers wait for each training step).
 */
export async function startRecallApi(config, logger, registry, onThisThread) {
    if (!onThisThread)
        return startRecallThread(config, logger, registry);
    const api = new RecallServer({
        ...limitsOf(config),
        service: new RecallService(onThisThread.provider, mergedOptionsFromConfig(config)),
        registry,
        isReady: onThisThread.isReady,
        onInternalError: internalErrorLog(logger),
    });
    return { api, url: urlOf(await api.listen()) };
}
//# sourceMappingURL=recallApiStart.js.map