/** The first `n` of `items` that `exclude` lacks, in order (a ranked list with seen or query items left out). */
export function firstNotIn(items: Iterable<string>, exclude: ReadonlySet<string>, n: number): string[] {
  const out: string[] = [];
  for (const id of items) {
    if (out.length >= n) break;
    if (!exclude.has(id)) out.push(id);
  }
  return out;
}
