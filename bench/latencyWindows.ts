/**
 * The latency of an open-loop load inside chosen windows of its run (e.g. around a replica's version
 * swaps), from the generator's list of slow requests: the load sends at a fixed rate, so the number
 * of requests due in a window follows from its length, and every request not in the slow list was
 * at most as fast as the list's threshold.
 */
export interface WindowLatency {
  /** Requests due inside the windows (overlapping windows counted once). */
  requests: number;
  over10ms: number;
  over50ms: number;
  /** The slowest of them in ms, or null when none was over the slow list's threshold. */
  maxMs: number | null;
}

/** Windows as [start, end] ms after the load's start; `slow` as [ms after the start it was due, latency ms]. */
export function latencyInWindows(
  slow: readonly (readonly [number, number])[],
  windows: readonly (readonly [number, number])[],
  rps: number,
  seconds: number,
): WindowLatency {
  const merged: [number, number][] = [];
  const clipped = windows
    .map(([a, b]) => [Math.max(0, a), Math.min(seconds * 1000, b)] as [number, number])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  for (const [a, b] of clipped) {
    const last = merged.at(-1);
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  const inside = (at: number) => merged.some(([a, b]) => at >= a && at < b);
  const hits = slow.filter(([at]) => inside(at)).map(([, ms]) => ms);
  return {
    requests: Math.round(merged.reduce((sum, [a, b]) => sum + ((b - a) * rps) / 1000, 0)),
    over10ms: hits.filter((ms) => ms > 10).length,
    over50ms: hits.filter((ms) => ms > 50).length,
    maxMs: hits.length ? Math.max(...hits) : null,
  };
}
