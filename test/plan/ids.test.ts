import { postId } from '../../src/plan/ids';

describe('plan/ids postId', () => {
  it('is 20 hex characters and the same for the same post', () => {
    const id = postId('kanim-pontianak', 'h-1', 'mingguan@2026-11-27', 'x');
    expect(id).toMatch(/^[0-9a-f]{20}$/);
    expect(postId('kanim-pontianak', 'h-1', 'mingguan@2026-11-27', 'x')).toBe(id);
  });

  it('never changes between versions: the ledger keys every row by it', () => {
    // Changing how ids are made orphans every pending and published post in every ledger.
    expect(postId('kanim-pontianak', 'h-1', 'mingguan@2026-11-27', 'x')).toBe('8f18152a42ca6042975a');
  });

  it('differs when any part differs', () => {
    const ids = new Set([
      postId('kanim-pontianak', 'h-1', 'mingguan@2026-11-27', 'x'),
      postId('kanim-sambas', 'h-1', 'mingguan@2026-11-27', 'x'),
      postId('kanim-pontianak', 'h-60m', 'mingguan@2026-11-27', 'x'),
      postId('kanim-pontianak', 'h-1', 'mingguan@2026-12-04', 'x'),
      postId('kanim-pontianak', 'h-1', 'mingguan@2026-11-27', 'instagram'),
    ]);
    expect(ids.size).toBe(5);
  });

  it('cannot be fooled by a separator inside a part', () => {
    expect(postId('a|b', 'c', 's', 'x')).not.toBe(postId('a', 'b|c', 's', 'x'));
    expect(postId('a', 'b', 's', 'x')).not.toBe(postId('a', 'bs', '', 'x'));
  });
});
