import { errorFields } from './logger.js';
/**
 * Every instrumentation event that reports a failure, logged once at its level (metrics count
 * them; this says what happened). @returns the function that unsubscribes them all.
 */
export function logInstrumentationErrors(instrumentation, logger) {
    const offs = [
        instrumentation.on('trainer.error', (e) => logger.error({ event: 'trainer.error', events: e.events, ...errorFields(e.error) }, 'training step failed; its events were dead-lettered')),
        instrumentation.on('trainer.fatal', (e) => logger.fatal({ event: 'trainer.fatal', events: e.events, consecutiveFailures: e.consecutiveFailures, ...errorFields(e.error) }, 'training stopped: a step failed with a programmer error or too many steps failed in a row')),
        instrumentation.on('index.build_failed', (e) => logger.error({ event: 'index.build_failed', ...errorFields(e.error) }, 'background index build failed; the previous index stays live')),
        instrumentation.on('index.publish_failed', (e) => logger.error({ event: 'index.publish_failed', version: e.version, ...errorFields(e.error) }, 'index version could not be published')),
        instrumentation.on('deadletter.error', (e) => logger.error({ event: 'deadletter.error', ...errorFields(e.error) }, 'a record could not be dead-lettered; it is not committed')),
        instrumentation.on('consumer.crash', (e) => logger.warn({ event: 'consumer.crash', restart: e.restart, ...errorFields(e.error) }, e.restart ? 'kafka: consumer crashed; kafkajs restarts it' : 'kafka: consumer crashed; re-creating it with backoff')),
        instrumentation.on('checkpoint.failed', (e) => logger.error({ event: 'checkpoint.failed', reason: e.reason, ...errorFields(e.error) }, 'checkpoint failed; offsets stay uncommitted and the next interval tries again')),
        instrumentation.on('checkpoint.skipped', (e) => logger.warn({ event: 'checkpoint.skipped', checkpoint: e.name, why: e.why }, 'skipped an invalid checkpoint at restore')),
        instrumentation.on('recall.rejected', (e) => logger.warn({ event: 'recall.rejected', version: e.version, reason: e.reason }, 'rejected an index version from the recall topic')),
        instrumentation.on('instrumentation.listener_error', (e) => logger.error({ event: 'instrumentation.listener_error', source: e.event, ...errorFields(e.error) }, 'an instrumentation listener threw')),
    ];
    return () => {
        for (const off of offs)
            off();
    };
}
/** The failure events logInstrumentationErrors covers (tests check each is logged). */
export const LOGGED_FAILURE_EVENTS = [
    'trainer.error',
    'trainer.fatal',
    'index.build_failed',
    'index.publish_failed',
    'deadletter.error',
    'consumer.crash',
    'recall.rejected',
    'checkpoint.failed',
    'checkpoint.skipped',
    'instrumentation.listener_error',
];
//# sourceMappingURL=instrumentationLog.js.map