import { parseYamlText, readYamlFile } from '../../src/config/yaml-source';
import path from 'node:path';
import { writeTempDir } from './helpers';

describe('config/yaml-source', () => {
  const text = ['office:', '  id: kanim', '  when: { at: 14.00 }', 'list:', '  - a', '  - { b: 2026-12-24, c: 09:30 }', ''].join('\n');
  const source = parseYamlText(text, 'herald.yaml');

  it('keeps dates and colon times as text and reads unquoted HH.mm times as text', () => {
    expect(source.problems).toEqual([]);
    expect(source.data).toEqual({ office: { id: 'kanim', when: { at: '14.00' } }, list: ['a', { b: '2026-12-24', c: '09:30' }] });
  });

  it('locates values, keys, list items and the nearest parent of a missing key', () => {
    expect(source.locate(['office', 'id'])).toEqual({ file: 'herald.yaml', line: 2, col: 7 });
    expect(source.locateKey(['office', 'id'])).toEqual({ file: 'herald.yaml', line: 2, col: 3 });
    expect(source.locate(['list', 1, 'c'])).toEqual({ file: 'herald.yaml', line: 6, col: 25 });
    expect(source.locate(['office', 'name'])).toEqual({ file: 'herald.yaml', line: 2, col: 3 });
    expect(source.locate([])).toEqual({ file: 'herald.yaml', line: 1, col: 1 });
  });

  it('reports duplicate keys as syntax errors with a hint', () => {
    const dup = parseYamlText('a: 1\na: 2\n', 'x.yaml');
    expect(dup.data).toBeUndefined();
    expect(dup.problems).toEqual([
      expect.objectContaining({ location: { file: 'x.yaml', line: 2, col: 1 }, message: expect.stringContaining('rename the repeated one') }),
    ]);
  });

  it('allows a few aliases but refuses an exponential alias bomb', () => {
    expect(parseYamlText('a: &x [1, 2]\nb: *x\n', 'ok.yaml').data).toEqual({ a: [1, 2], b: [1, 2] });
    const layers = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      layers.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    }
    const bomb = parseYamlText(layers.join('\n'), 'bomb.yaml');
    expect(bomb.data).toBeUndefined();
    expect(bomb.problems).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringContaining('too many YAML alias expansions') })]);
  });

  it('returns null for a missing file and refuses a huge one before parsing', () => {
    const dir = writeTempDir({ 'huge.yaml': `a: "${'x'.repeat(1_000_001)}"\n` });
    expect(readYamlFile(path.join(dir, 'nope.yaml'), 'nope.yaml')).toBeNull();
    const huge = readYamlFile(path.join(dir, 'huge.yaml'), 'huge.yaml')!;
    expect(huge.data).toBeUndefined();
    expect(huge.problems[0]!.message).toContain('limit');
  });

  it('does not hang or throw on hostile input', () => {
    for (const hostile of ['{{{{{{{{{{', '- - - - - -\n  :', '"\\uD800"', '!!js/function "x"', '? [a, b]\n: c', '\u0000\u0001']) {
      const parsed = parseYamlText(hostile, 'h.yaml');
      expect(Array.isArray(parsed.problems)).toBe(true);
      expect(parsed.problems.every((p) => !p.message.includes('\n'))).toBe(true);
    }
  });
});

describe('config/yaml-source: complex keys', () => {
  it('refuses a list used as a key', () => {
    const parsed = parseYamlText('? [a, b]\n: c\n', 'k.yaml');
    expect(parsed.data).toBeUndefined();
    expect(parsed.problems).toEqual([expect.objectContaining({ location: { file: 'k.yaml', line: 1, col: 3 }, message: expect.stringContaining('plain word') })]);
  });
});
