/**
 * Three-way merge of two config revisions made from the same one (issue 8):
 * `base` is the revision both started from, `ours` the one that became
 * current first, `theirs` the change that came second. Per file, line by line,
 * as diff3 and git do: changes of one side only are taken; a region of the
 * base that both sides changed — or changed right next to each other, or
 * inserted at the same place — is a conflict unless both made the same change.
 * Files: added by one side, taken; removed by one side and left as it was by
 * the other, removed; removed by one side and edited by the other, or added by
 * both with different content, a conflict.
 *
 * The two-way diffs (base → ours, base → theirs) are jsdiff's (`diff`, Myers:
 * time grows with the number of changed lines, not the file's). node-diff3 was
 * tried first: its LCS took 4.8 s for a 2,000-line file of repeated lines and
 * 102 s for 5,000 (measured here), on the bot's reload path. A file with more
 * than MAX_CHANGED_LINES changed lines on one side is not merged (a conflict):
 * past that a diff costs seconds.
 *
 * Pure: what the merged files mean (do they still load?) is checked by the caller.
 */
import { diffArrays } from 'diff';

/** Changed lines (removed + added) per side and file beyond which a file is not merged: ~0.2 s for the diff at worst, measured. */
export const MAX_CHANGED_LINES = 1000;

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
  /** A whole-file conflict: one side removed the file the other edited, both added it differently, or a side changed too many lines to merge. */
  whole?: 'removed-by-ours' | 'removed-by-theirs' | 'added-by-both' | 'too-many-changes';
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
      if (merged === 'too-many-changes') conflicts.push({ file, whole: merged });
      else if (Array.isArray(merged)) conflicts.push(...merged.map((lines) => ({ file, lines })));
      else files.set(file, merged.text);
    }
  }
  return conflicts.length === 0 ? { files: Object.fromEntries(files), conflicts: [] } : { conflicts };
}

/** A record's own property only: a file named `constructor` or `__proto__` is a file like any other. */
function own(files: Files, name: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(files, name) ? files[name] : undefined;
}

/** One side's change of the base: base lines [oStart, oEnd) became its lines [sStart, sEnd). */
interface Hunk {
  side: 'ours' | 'theirs';
  oStart: number;
  oEnd: number;
  sStart: number;
  sEnd: number;
}

/** The merged text, the conflicting regions, or 'too-many-changes'. */
function mergeText(base: string, ours: string, theirs: string): { text: string } | NonNullable<FileConflict['lines']>[] | 'too-many-changes' {
  const o = splitLines(base);
  const sides = { ours: splitLines(ours), theirs: splitLines(theirs) };
  const oursHunks = hunks(o, sides.ours, 'ours');
  const theirsHunks = hunks(o, sides.theirs, 'theirs');
  if (!oursHunks || !theirsHunks) return 'too-many-changes';
  const all = [...oursHunks, ...theirsHunks].sort((x, y) => x.oStart - y.oStart);
  const out: string[] = [];
  const conflicts: NonNullable<FileConflict['lines']>[] = [];
  /** Per side: its line index minus the base's, after the hunks so far. */
  const shift = { ours: 0, theirs: 0 };
  let done = 0;
  for (let i = 0; i < all.length; ) {
    // A region: hunks whose base ranges overlap or touch (the next one starting where the region ends).
    const region = [all[i]!];
    const start = all[i]!.oStart; // sorted: the region's first
    let end = all[i]!.oEnd;
    for (i++; i < all.length && all[i]!.oStart <= end; i++) {
      region.push(all[i]!);
      end = Math.max(end, all[i]!.oEnd);
    }
    out.push(...o.slice(done, start));
    const span = (side: Hunk['side']): { from: number; to: number } => {
      const grown = region.filter((hunk) => hunk.side === side).reduce((sum, hunk) => sum + (hunk.sEnd - hunk.sStart) - (hunk.oEnd - hunk.oStart), 0);
      const from = start + shift[side];
      shift[side] += grown;
      return { from, to: end + shift[side] };
    };
    const a = span('ours');
    const b = span('theirs');
    const [oLines, aLines, bLines] = [o.slice(start, end), sides.ours.slice(a.from, a.to), sides.theirs.slice(b.from, b.to)];
    // It merges when one side left it as it was, or both made the same change.
    if (same(aLines, bLines) || same(bLines, oLines)) out.push(...aLines);
    else if (same(aLines, oLines)) out.push(...bLines);
    else {
      conflicts.push({
        base: { from: start + 1, count: end - start },
        ours: { from: a.from + 1, count: a.to - a.from },
        theirs: { from: b.from + 1, count: b.to - b.from },
      });
    }
    done = end;
  }
  out.push(...o.slice(done));
  return conflicts.length > 0 ? conflicts : { text: out.join('') };
}

/** The hunks of `side` against the base; undefined past MAX_CHANGED_LINES. */
function hunks(base: string[], side: string[], name: Hunk['side']): Hunk[] | undefined {
  const changes = diffArrays(base, side, { maxEditLength: MAX_CHANGED_LINES });
  if (!changes) return undefined;
  const found: Hunk[] = [];
  let [oAt, sAt] = [0, 0];
  let open: Hunk | undefined;
  for (const change of changes) {
    const count = change.count ?? change.value.length;
    if (!change.added && !change.removed) {
      if (open) found.push(open);
      open = undefined;
      oAt += count;
      sAt += count;
      continue;
    }
    open ??= { side: name, oStart: oAt, oEnd: oAt, sStart: sAt, sEnd: sAt };
    if (change.removed) open.oEnd = oAt += count;
    else open.sEnd = sAt += count;
  }
  if (open) found.push(open);
  return found;
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
