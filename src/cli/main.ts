#!/usr/bin/env node
import { configMarkdownTable, describeConfig, flagHelp, loadConfig } from '../config/config.js';
import { MicstreamError } from '../errors.js';
import { formatSummary, runTrain } from './train.js';
import { runEval } from './eval.js';
import { runServe } from './serve.js';
import { runReplay, runTopology } from './kafkaCommands.js';

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

async function main(args: string[]): Promise<number> {
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
  if (command === 'topology') return runTopology(loaded.config, loaded.positionals[1] ?? 'check');
  if (command === 'replay') return runReplay(loaded.config);
  if (command === 'serve') {
    console.log(describeConfig(loaded));
    const handle = await runServe(loaded.config);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    console.log('shutting down');
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
  console.log(describeConfig(loaded));
  const stop = new AbortController();
  const onSignal = () => {
    console.log('stopping: finishing the records in flight, committing, then exiting');
    stop.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const handle = await runTrain(config, undefined, stop.signal);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  if (stop.signal.aborted) {
    console.log(formatSummary(handle.summary, handle.url));
    await handle.close();
    return 0;
  }
  console.log(formatSummary(handle.summary, handle.url));
  console.log(`summary-json ${JSON.stringify(handle.summary)}`);
  if (config.maxEvents !== undefined || config.exitOnEnd) {
    await handle.close();
    return 0;
  }
  console.log(`stream ended; still serving on ${handle.url} — Ctrl-C to stop`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  console.log('shutting down');
  await handle.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof MicstreamError) {
      console.error(`micstream: ${err.message} [${err.code}]`);
      process.exit(err.code === 'MICSTREAM_ERR_CONFIG' ? 2 : 1);
    }
    console.error(err);
    process.exit(1);
  },
);
