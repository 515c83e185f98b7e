/**
 * A unified diff of two texts (`config diff`), as `diff -u` prints it.
 *
 * Hand-written because no line-diff library is a runtime dependency (`diff`
 * is not installed; jest's diff-sequences is a dev dependency). Config files
 * are small: after trimming the common head and tail, a plain LCS table is
 * cheap; past MAX_CELLS the changed middle is shown as removed then added
 * (still a correct diff, only a longer one).
 */

const CONTEXT = 3;
const MAX_CELLS = 4_000_000;

type Op = { kind: ' ' | '-' | '+'; line: string };

/** One `@@ -oldStart,oldLines +newStart,newLines @@` hunk; `kind` is the line's diff prefix. */
export interface DiffHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: { kind: ' ' | '-' | '+'; text: string }[];
}

export function unifiedDiff(a: string, b: string, names: { from: string; to: string }): string {
  if (a === b) return '';
  const out = [`--- ${names.from}`, `+++ ${names.to}`];
  for (const hunk of diffHunks(a, b)) out.push(hunkHeader(hunk), ...hunk.lines.map((line) => `${line.kind}${line.text}`));
  return `${out.join('\n')}\n`;
}

/** The hunks `unifiedDiff` prints, as data (the web console shows them); none when the texts are equal. */
export function diffHunks(a: string, b: string): DiffHunk[] {
  if (a === b) return [];
  return hunks(diffLines(splitLines(a), splitLines(b)));
}

/** `@@ -l,s +l,s @@` as diff -u writes it (an empty side starts one line before). */
export function hunkHeader(hunk: DiffHunk): string {
  return `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function diffLines(a: string[], b: string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const same = (lines: string[]): Op[] => lines.map((line) => ({ kind: ' ', line }));
  return [...same(a.slice(0, head)), ...diffMiddle(midA, midB), ...same(a.slice(a.length - tail))];
}

function diffMiddle(a: string[], b: string[]): Op[] {
  const removed = a.map((line): Op => ({ kind: '-', line }));
  const added = b.map((line): Op => ({ kind: '+', line }));
  if (a.length === 0 || b.length === 0 || a.length * b.length > MAX_CELLS) return [...removed, ...added];
  // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
  const width = b.length + 1;
  const lcs = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * width + j] = a[i] === b[j] ? (lcs[(i + 1) * width + j + 1] ?? 0) + 1 : Math.max(lcs[(i + 1) * width + j] ?? 0, lcs[i * width + j + 1] ?? 0);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      ops.push({ kind: ' ', line: a[i++] ?? '' });
      j++;
    } else if ((lcs[(i + 1) * width + j] ?? 0) >= (lcs[i * width + j + 1] ?? 0)) ops.push({ kind: '-', line: a[i++] ?? '' });
    else ops.push({ kind: '+', line: b[j++] ?? '' });
  }
  while (i < a.length) ops.push({ kind: '-', line: a[i++] ?? '' });
  while (j < b.length) ops.push({ kind: '+', line: b[j++] ?? '' });
  return ops;
}

/** Groups changes with CONTEXT lines around them into `@@ -l,s +l,s @@` hunks. */
function hunks(ops: Op[]): DiffHunk[] {
  const changed = ops.flatMap((op, index) => (op.kind === ' ' ? [] : [index]));
  const result: DiffHunk[] = [];
  let k = 0;
  while (k < changed.length) {
    const start = Math.max(0, (changed[k] ?? 0) - CONTEXT);
    let end = (changed[k] ?? 0) + CONTEXT;
    while (k + 1 < changed.length && (changed[k + 1] ?? 0) - CONTEXT <= end + 1) end = (changed[++k] ?? 0) + CONTEXT;
    k++;
    end = Math.min(ops.length - 1, end);
    let lineA = 1;
    let lineB = 1;
    for (const op of ops.slice(0, start)) {
      if (op.kind !== '+') lineA++;
      if (op.kind !== '-') lineB++;
    }
    const body = ops.slice(start, end + 1);
    const countA = body.filter((op) => op.kind !== '+').length;
    const countB = body.filter((op) => op.kind !== '-').length;
    result.push({
      oldStart: countA === 0 ? lineA - 1 : lineA,
      oldLines: countA,
      newStart: countB === 0 ? lineB - 1 : lineB,
      newLines: countB,
      lines: body.map((op) => ({ kind: op.kind, text: op.line })),
    });
  }
  return result;
}
