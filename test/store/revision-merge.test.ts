import { describeRange, MAX_CHANGED_LINES, mergeRevisionFiles, splitLines } from '../../src/store/revision-merge';

const lines = (...items: string[]): string => items.map((item) => `${item}\n`).join('');
const BASE = lines('a', 'b', 'c', 'd', 'e', 'f', 'g');

describe('store/revision-merge', () => {
  it('takes both sides when they changed lines apart from each other, line for line', () => {
    const ours = lines('a', 'B', 'c', 'd', 'e', 'f', 'g');
    const theirs = lines('a', 'b', 'c', 'd', 'E', 'f', 'g', 'h');
    const merged = mergeRevisionFiles({ 'x.yaml': BASE }, { 'x.yaml': ours }, { 'x.yaml': theirs });
    expect(merged.conflicts).toEqual([]);
    expect(splitLines(merged.files!['x.yaml']!)).toEqual(['a\n', 'B\n', 'c\n', 'd\n', 'E\n', 'f\n', 'g\n', 'h\n']);
  });

  it('refuses the same lines changed differently, and lines right next to each other', () => {
    const same = mergeRevisionFiles({ f: BASE }, { f: lines('a', 'b', 'C', 'd', 'e', 'f', 'g') }, { f: lines('a', 'b', 'c3', 'd', 'e', 'f', 'g') });
    expect(same.conflicts).toEqual([{ file: 'f', lines: { base: { from: 3, count: 1 }, ours: { from: 3, count: 1 }, theirs: { from: 3, count: 1 } } }]);
    // Line 3 and line 4: adjacent edits are not merged (as git and diff3 do): the result could read wrong.
    const adjacent = mergeRevisionFiles({ f: BASE }, { f: lines('a', 'b', 'C', 'd', 'e', 'f', 'g') }, { f: lines('a', 'b', 'c', 'D', 'D2', 'e', 'f', 'g') });
    expect(adjacent.conflicts).toEqual([{ file: 'f', lines: { base: { from: 3, count: 2 }, ours: { from: 3, count: 2 }, theirs: { from: 3, count: 3 } } }]);
    // Both added lines at the end of the file.
    const appended = mergeRevisionFiles({ f: BASE }, { f: `${BASE}x\n` }, { f: `${BASE}y\n` });
    expect(appended.conflicts).toEqual([{ file: 'f', lines: { base: { from: 8, count: 0 }, ours: { from: 8, count: 1 }, theirs: { from: 8, count: 1 } } }]);
    expect(describeRange({ from: 8, count: 0 })).toBe('after line 7');
    expect(describeRange({ from: 3, count: 2 })).toBe('lines 3-4');
  });

  it('takes the same change made on both sides once', () => {
    const both = lines('a', 'b', 'C', 'd', 'e', 'f', 'g');
    expect(mergeRevisionFiles({ f: BASE }, { f: both }, { f: both })).toEqual({ files: { f: both }, conflicts: [] });
    const ours = lines('A', 'b', 'C', 'd', 'e', 'f', 'g');
    expect(mergeRevisionFiles({ f: BASE }, { f: ours }, { f: both }).files).toEqual({ f: ours });
  });

  it('adds and removes files; a file removed by one side and edited by the other, or added twice differently, conflicts', () => {
    const base = { keep: BASE, gone: BASE, edited: BASE };
    const ours = { keep: BASE, edited: BASE, 'ours-new': 'o\n' };
    const theirs = { keep: BASE, gone: BASE, edited: lines('a', 'b', 'c', 'd', 'e', 'f', 'G'), 'theirs-new': 't\n' };
    expect(mergeRevisionFiles(base, ours, theirs)).toEqual({ files: { keep: BASE, edited: theirs.edited, 'ours-new': 'o\n', 'theirs-new': 't\n' }, conflicts: [] });

    const conflicts = mergeRevisionFiles({ a: BASE, b: BASE }, { a: `${BASE}x\n`, c: 'one\n' }, { b: `${BASE}y\n`, c: 'two\n' });
    expect(conflicts.conflicts).toEqual([
      { file: 'a', whole: 'removed-by-theirs' },
      { file: 'b', whole: 'removed-by-ours' },
      { file: 'c', whole: 'added-by-both' },
    ]);
  });

  it('keeps line endings byte for byte, and lines or file names that are Object.prototype names', () => {
    const base = 'constructor\r\n__proto__\r\ntoString\r\nend';
    const ours = 'constructor\r\n__proto__\r\ntoString\r\nend\n';
    const theirs = 'hasOwnProperty\r\n__proto__\r\ntoString\r\nend';
    expect(mergeRevisionFiles({ constructor: base }, { constructor: ours }, { constructor: theirs }).files).toEqual({ constructor: 'hasOwnProperty\r\n__proto__\r\ntoString\r\nend\n' });
    expect(mergeRevisionFiles({}, {}, JSON.parse('{"__proto__":"x"}') as Record<string, string>).files).toEqual(JSON.parse('{"__proto__":"x"}'));
  });

  it('a file with more changed lines than can be merged quickly is a conflict of the whole file', () => {
    const base = Array.from({ length: 3 * MAX_CHANGED_LINES }, (_, i) => `row ${i}\n`).join('');
    const rewritten = Array.from({ length: 3 * MAX_CHANGED_LINES }, (_, i) => `new ${i}\n`).join('');
    expect(mergeRevisionFiles({ 'kuota.csv': base }, { 'kuota.csv': `x\n${base}` }, { 'kuota.csv': rewritten }).conflicts).toEqual([{ file: 'kuota.csv', whole: 'too-many-changes' }]);
  });

  it('random edits of regions apart from each other merge to both edits applied (500 cases, seeded)', () => {
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    let fresh = 0;
    for (let round = 0; round < 500; round++) {
      const base = Array.from({ length: 1 + random(30) }, (_, i) => `line ${i}\n`);
      // Cut the base into regions separated by at least one untouched line; each region edited by one side or none.
      const ours = [...base];
      const theirs = [...base];
      const expected = [...base];
      let at = base.length; // from the end, so indexes before stay valid
      while (at > 0) {
        const length = random(Math.min(at, 4) + 1);
        const from = at - length;
        const who = random(3);
        const added = Array.from({ length: random(3) }, () => `new ${fresh++}\n`);
        if (length + added.length > 0 && who > 0) {
          (who === 1 ? ours : theirs).splice(from, length, ...added);
          expected.splice(from, length, ...added);
        }
        at = from - 1; // one line left as it is between regions
      }
      const merged = mergeRevisionFiles({ f: base.join('') }, { f: ours.join('') }, { f: theirs.join('') });
      expect({ round, conflicts: merged.conflicts }).toEqual({ round, conflicts: [] });
      expect({ round, lines: splitLines(merged.files!.f!) }).toEqual({ round, lines: expected });
    }
  });
});
