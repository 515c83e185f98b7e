/**
 * Three-way merge of two config revisions made from the same one (issue 8):
 * `base` is the revision both started from, `ours` the one that became
 * current first, `theirs` the change that came second. Per file, line by line
 * (node-diff3, the diff3 algorithm): changes of one side only are taken; a
 * region of the base that both sides changed — or changed right next to each
 * other, or inserted at the same place — is a conflict unless both made the
 * same change. Files: added by one side, taken; removed by one side and left
 * as it was by the other, removed; removed by one side and edited by the
 * other, or added by both with different content, a conflict.
 *
 * Pure: what the merged files mean (do they still load?) is checked by the caller.
 */
import { diff3MergeRegions } from 'node-diff3';

type Files = Readonly<Record<string, string>>;

/** 1-based, inclusive; `count` 0 means an insertion after line `from - 1`. */
export interface LineRange {
  from: number;
  count: number;
}

export interface FileConflict {
  file: string;
  /** Both edited the same lines: where, in the base and in each side. */
  lines?: { base: LineRange; ours: LineRange; theirs: LineRange };
  /** A whole-file conflict: one side removed the file the other edited, or both added it differently. */
  whole?: 'removed-by-ours' | 'removed-by-theirs' | 'added-by-both';
}

export type MergeOutcome = { files: Record<string, string>; conflicts: [] } | { files?: undefined; conflicts: FileConflict[] };

export function mergeRevisionFiles(base: Files, ours: Files, theirs: Files): MergeOutcome {
  // A Map, then fromEntries: `files['__proto__'] = text` would not make a file of that name.
  const files = new Map<string, string>();
  const conflicts: FileConflict[] = [];
  const names = [...new Set([...Object.keys(base), ...Object.keys(ours), ...Object.keys(theirs)])].sort();
  for (const file of names) {
    const [o, a, b] = [own(base, file), own(ours, file), own(theirs, file)];
    if (a === b) {
      if (a !== undefined) files.set(file, a);
    } else if (a === o) {
      if (b !== undefined) files.set(file, b);
    } else if (b === o) {
      if (a !== undefined) files.set(file, a);
    } else if (o === undefined) {
      conflicts.push({ file, whole: 'added-by-both' });
    } else if (a === undefined) {
      conflicts.push({ file, whole: 'removed-by-ours' });
    } else if (b === undefined) {
      conflicts.push({ file, whole: 'removed-by-theirs' });
    } else {
      const merged = mergeText(o, a, b);
      if (typeof merged === 'string') files.set(file, merged);
      else conflicts.push(...merged.map((lines) => ({ file, lines })));
    }
  }
  return conflicts.length === 0 ? { files: Object.fromEntries(files), conflicts: [] } : { conflicts };
}

/** A record's own property only: a file named `constructor` or `__proto__` is a file like any other. */
function own(files: Files, name: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(files, name) ? files[name] : undefined;
}

/** The merged text, or the conflicting regions. */
function mergeText(base: string, ours: string, theirs: string): string | NonNullable<FileConflict['lines']>[] {
  const [o, a, b] = [splitLines(base), splitLines(ours), splitLines(theirs)];
  const out: string[] = [];
  const conflicts: NonNullable<FileConflict['lines']>[] = [];
  for (const region of diff3MergeRegions(a, o, b)) {
    if (region.stable) {
      out.push(...region.bufferContent);
      continue;
    }
    // Both sides touched this region; it merges only when one of them left it as it was or both made the same change.
    if (same(region.aContent, region.bContent) || same(region.bContent, region.oContent)) out.push(...region.aContent);
    else if (same(region.aContent, region.oContent)) out.push(...region.bContent);
    else {
      conflicts.push({
        base: { from: region.oStart + 1, count: region.oLength },
        ours: { from: region.aStart + 1, count: region.aLength },
        theirs: { from: region.bStart + 1, count: region.bLength },
      });
    }
  }
  return conflicts.length > 0 ? conflicts : out.join('');
}

/**
 * Lines with their endings (`\n`, and a `\r` before it stays part of the line), so
 * joining them gives the text back byte for byte and a last line without a newline
 * differs from the same line with one.
 */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function same(x: readonly string[], y: readonly string[]): boolean {
  return x.length === y.length && x.every((line, i) => line === y[i]);
}

/** "lines 4-6", "line 4", "after line 3" (no line: an insertion there), "at the start". */
export function describeRange(range: LineRange): string {
  if (range.count === 0) return range.from === 1 ? 'at the start' : `after line ${range.from - 1}`;
  return range.count === 1 ? `line ${range.from}` : `lines ${range.from}-${range.from + range.count - 1}`;
}
