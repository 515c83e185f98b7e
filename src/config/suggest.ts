/**
 * "Did you mean …?" for typos in keys, ids and column names. Staff type
 * `quotaa` or `reguler`; pointing at the near miss saves them a search.
 */

/** Edit distance (insert, delete, substitute, and swap of two neighbours). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = best;
    }
  }
  return d[rows - 1]![cols - 1]!;
}

/**
 * The candidate closest to `input`, if it is close enough to be a plausible
 * typo (a third of the word's length, at least one edit), else undefined.
 * Case and `_`/`-`/space differences count as nothing.
 */
export function suggest(input: string, candidates: readonly string[]): string | undefined {
  const squash = (s: string): string => s.toLowerCase().replace(/[\s_-]/g, '');
  const wanted = squash(input);
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(wanted, squash(candidate));
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  if (!best) return undefined;
  const allowed = Math.max(1, Math.floor(Math.max(wanted.length, 3) / 3));
  return best.distance <= allowed ? best.candidate : undefined;
}

/** ` Did you mean \`x\`?` or an empty string, ready to append to a message. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const hit = suggest(input, candidates);
  return hit === undefined ? '' : ` Did you mean \`${hit}\`?`;
}
