#!/usr/bin/env node
import { configForLog, configMarkdownTable, describeConfig, flagHelp, loadConfig } from '../config/config.js';
import { MicstreamError, StandbyStoppedError } from '../errors.js';
import { runTrain } from './train.js';
import { formatSummary } from './trainSummary.js';
import { runEval } from './eval.js';
import { runServe } from './serve.js';
import { runReplay, runTopology } from './kafkaCommands.js';
import { createLogger, errorFields, resolveLogFormat } from '../log/logger.js';
/** The logger of an always-on command (train, serve), once the config is known; null before. */
let processLogger = null;
function startLogger(loaded) {
    const logger = createLogger({ level: loaded.config.logLevel, format: loaded.config.logFormat });
    processLogger = logger;
    logger.info({ config: configForLog(loaded) }, 'config');
    return logger;
}
const USAGE = `micstream — stream-processing online learner for recommendation retrieval (MIC)

usage:
  micstream train [flags]        the always-on job: stream -> train -> index -> recall API
  micstream eval --data PATH [--split temporal:0.8] [--seeds 3] [--out DIR] [--models LIST] [--epochs 1]
                                 offline evaluation of all channels, baselines and the MIC ablation ladder
  micstream serve [flags]        a recall server fed by the recall topic (Kafka)
  micstream replay [--data PATH] [--topic T] [--rate N]
                                 produce a dataset (or the synthetic stream) into a topic
  micstream topology check|apply [--dry-run]
                                 validate topology/topics.json / create or align the topics
  micstream config --markdown    print the configuration table
  micstream --help

Without --data the embedded synthetic stream is used. With --max-events N the job stops after N
records, prints its summary and exits; otherwise it keeps serving after the stream ends until Ctrl-C.

flags (each also settable by env var, or as a camelCase key of a JSON file given by --config):
  --config PATH                 JSON file of settings            env MICSTREAM_CONFIG
`;
async function main(args) {
    const markdown = args.includes('--markdown');
    const argv = args.filter((a) => a !== '--markdown');
    const loaded = loadConfig({ argv, env: process.env });
    const [command = 'train'] = loaded.positionals;
    if (loaded.help || command === 'help') {
        console.log(`${USAGE}${flagHelp()}`);
        return 0;
    }
    if (command === 'config') {
        console.log(markdown ? configMarkdownTable() : describeConfig(loaded));
        return 0;
    }
    if (command === 'topology')
        return runTopology(loaded.config, loaded.positionals[1] ?? 'check');
    if (command === 'replay')
        return runReplay(loaded.config);
    if (command === 'serve') {
        const logger = startLogger(loaded);
        const handle = await runServe(loaded.config, logger);
        const stopped = new Promise((resolve) => {
            process.once('SIGINT', () => resolve());
            process.once('SIGTERM', () => resolve());
        });
        try {
            await Promise.race([handle.kafkaReady, stopped]);
        }
        catch (err) {
            // Kafka never answered: one clear line, not a stack trace, and a non-zero exit.
            logger.fatal({ code: err instanceof MicstreamError ? err.code : undefined }, err instanceof Error ? err.message : String(err));
            await handle.close();
            return 1;
        }
        await stopped;
        logger.info('shutting down');
        await handle.close();
        return 0;
    }
    if (command === 'eval') {
        console.log(describeConfig(loaded));
        await runEval(loaded.config);
        return 0;
    }
    if (command !== 'train') {
        console.error(`micstream: unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
    const { config } = loaded;
    const logger = startLogger(loaded);
    // On a terminal the summary is the text block; in JSON logs it is one record with every field.
    const printSummary = (summary, url) => {
        if (resolveLogFormat(config.logFormat) === 'pretty')
            console.log(formatSummary(summary, url));
        else
            logger.info({ summary }, 'summary');
    };
    const stop = new AbortController();
    const onSignal = () => {
        logger.info({ shutdownTimeoutMs: config.shutdownTimeoutMs }, 'stopping: finishing the records in flight, checkpointing, committing, then exiting');
        stop.abort();
        // The drain bounds each of its waits; this backstop only fires if something unbounded hangs.
        setTimeout(() => {
            logger.fatal({ shutdownTimeoutMs: config.shutdownTimeoutMs }, 'drain did not finish in time; exiting now');
            process.exit(1);
        }, config.shutdownTimeoutMs + 5000).unref();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    let handle;
    try {
        // A learner that loses the writer lease exits at once (code 1): the orchestrator restarts it as a standby.
        handle = await runTrain(config, logger, stop.signal, { onLeaseLost: () => process.exit(1) });
    }
    catch (err) {
        if (!(err instanceof StandbyStoppedError))
            throw err;
        logger.info('stopped while waiting as a standby; nothing was written');
        return 0;
    }
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    printSummary(handle.summary, handle.url);
    if (stop.signal.aborted) {
        await handle.close();
        return 0;
    }
    if (config.maxEvents !== undefined || config.exitOnEnd) {
        await handle.close();
        return 0;
    }
    logger.info({ url: handle.url }, 'stream ended; still serving until Ctrl-C');
    await new Promise((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
    });
    logger.info('shutting down');
    await handle.close();
    return 0;
}
main(process.argv.slice(2)).then((code) => process.exit(code), (err) => {
    if (processLogger)
        processLogger.fatal(errorFields(err), 'micstream stopped');
    else if (err instanceof MicstreamError)
        console.error(`micstream: ${err.message} [${err.code}]`);
    else
        console.error(err);
    process.exit(err instanceof MicstreamError && err.code === 'MICSTREAM_ERR_CONFIG' ? 2 : 1);
});
//# sourceMappingURL=main.js.map