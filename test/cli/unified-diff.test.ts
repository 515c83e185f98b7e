import { unifiedDiff } from '../../src/cli/unified-diff';

const lines = (n: number): string => Array.from({ length: n }, (_, i) => `line ${i}`).join('\n') + '\n';

describe('cli/unified-diff', () => {
  it('prints hunks as `diff -u` does: three lines of context, separate hunks for distant changes', () => {
    const before = lines(20);
    const after = before.replace('line 3\n', 'line three\n').replace('line 15\n', '') + 'new\n';
    // Output of `diff -u` (GNU diffutils) on the same two files, names aside.
    expect(unifiedDiff(before, after, { from: 'a/x', to: 'b/x' })).toBe(
      ['--- a/x', '+++ b/x', '@@ -1,7 +1,7 @@', ' line 0', ' line 1', ' line 2', '-line 3', '+line three', ' line 4', ' line 5', ' line 6',
        '@@ -13,8 +13,8 @@', ' line 12', ' line 13', ' line 14', '-line 15', ' line 16', ' line 17', ' line 18', ' line 19', '+new', ''].join('\n'),
    );
  });

  it('shows a new file as all added and equal texts as nothing', () => {
    expect(unifiedDiff('', 'a\nb\n', { from: '/dev/null', to: 'b/new' })).toBe('--- /dev/null\n+++ b/new\n@@ -0,0 +1,2 @@\n+a\n+b\n');
    expect(unifiedDiff('a\n', 'a\n', { from: 'a', to: 'b' })).toBe('');
  });
});
