import { didYouMean, editDistance, suggest } from '../../src/config/suggest';

describe('config/suggest', () => {
  it('measures edits, counting a swap of neighbours as one', () => {
    expect(editDistance('quota', 'quota')).toBe(0);
    expect(editDistance('quotaa', 'quota')).toBe(1);
    expect(editDistance('qouta', 'quota')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests near misses only, ignoring case and separators', () => {
    expect(suggest('quotaa', ['id', 'quota', 'at'])).toBe('quota');
    expect(suggest('Opens_At', ['opensAt', 'closesAt'])).toBe('opensAt');
    expect(suggest('reguler', ['regular', 'express'])).toBe('regular');
    expect(suggest('weather', ['quota', 'at'])).toBeUndefined();
    expect(suggest('x', [])).toBeUndefined();
  });

  it('formats the hint for appending to a message', () => {
    expect(didYouMean('chanels', ['channels'])).toBe(' Did you mean `channels`?');
    expect(didYouMean('zzz', ['channels'])).toBe('');
  });
});
