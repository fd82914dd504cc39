import { test } from 'node:test';
import assert from 'node:assert/strict';
import { latencyInWindows } from '../bench/latencyWindows.js';

const slow: [number, number][] = [
  [500, 12],
  [1_500, 80],
  [4_000, 30],
  [9_000, 400],
];

test('latency in windows: overlapping windows count their requests once, only the slow requests inside are read', () => {
  const r = latencyInWindows(
    slow,
    [
      [1_000, 3_000],
      [2_000, 4_500],
    ],
    1000,
    10,
  );
  assert.deepEqual(r, { requests: 3_500, over10ms: 2, over50ms: 1, maxMs: 80 });
});

test('latency in windows: windows are clipped to the run, and none slow inside them reads as null', () => {
  const r = latencyInWindows(
    slow,
    [
      [-2_000, 200],
      [9_500, 12_000],
    ],
    100,
    10,
  );
  assert.deepEqual(r, { requests: 70, over10ms: 0, over50ms: 0, maxMs: null });
});
