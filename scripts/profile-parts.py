#!/usr/bin/env python3
"""Share of a CPU profile's samples per part of the learner (docs/BENCHMARKS.md, "Where training time goes").

  node --cpu-prof --cpu-prof-dir=/tmp/prof dist/src/cli/main.js train --exit-on-end --port 0
  scripts/profile-parts.py /tmp/prof/CPU.*.0.001.cpuprofile     # the main thread's profile

A sample counts for the first part in PARTS that any frame of its stack belongs to (a probe's HNSW
query counts for the probe, a replayed step's kernels for replay).
"""
import collections
import json
import re
import sys

PARTS = [
    ('the popularity prior\'s beta checks', r'popularityPriorProbe'),
    ('train\'s own prequential metric', r'^rank .*src/cli/train\.js'),
    ('the I2I and U2U fusion-weight checks', r'fusionWeightProbe|i2iFusionProbe|u2uFusionProbe'),
    ('the merged fusion checks', r'mergedFusionProbe'),
    ('the U2I blend checks', r'u2iBlendProbe'),
    ('building batches', r'prepareBatch|assembleReplayBatch|buildTowerInput|batchAssembly|batchBuilder'),
    ('training steps on replayed events', r'^replayStep '),
    ('training steps on the live batch', r'^step .*src/model/trainer\.js'),
    ('co-occurrence / co-consumption tables', r'itemCooccurrence|userCoconsumption'),
    ('entity state, decayed frequencies', r'entityState|frequencyEstimator|featureState'),
    ('snapshots, index hand-over, publishing', r'snapshotBuilder|hnswIndex|backgroundIndexBuilder|indexVectors|postMessage|publish|checkpoint'),
    ('pipeline, validation', r'zod|trainingPipeline|interactionEvent|syntheticSource|gatedObservable'),
    ('garbage collection', r'^\(garbage collector\)'),
    ('idle', r'^\(idle\)|^\(program\)'),
]


def main() -> None:
    profile = json.load(open(sys.argv[1]))
    nodes = {n['id']: n for n in profile['nodes']}
    parent = {c: n['id'] for n in profile['nodes'] for c in n.get('children', [])}
    time = collections.Counter()
    for sample, delta in zip(profile['samples'], profile['timeDeltas']):
        time[sample] += delta

    def frame(node: dict) -> str:
        cf = node['callFrame']
        return f"{cf['functionName'] or '(anonymous)'} {re.sub(r'.*/dist/', '', cf['url'])}"

    total = sum(time.values())
    parts = collections.Counter()
    for node_id, t in time.items():
        stack = []
        while node_id is not None:
            stack.append(frame(nodes[node_id]))
            node_id = parent.get(node_id)
        part = next((name for name, rx in PARTS if any(re.search(rx, f) for f in stack)), 'other')
        parts[part] += t
    print(f'{total / 1e6:.1f} s of samples')
    print('| part | share |\n|---|---|')
    for name, t in parts.most_common():
        print(f'| {name} | {100 * t / total:.1f}% |')


if __name__ == '__main__':
    main()
