import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { generateJsonSchemas, writeJsonSchemas } from '../../src/config/json-schema';
import { writeTempDir } from './helpers';

describe('config/json-schema', () => {
  const generated = generateJsonSchemas();

  it('the committed schema/ files equal what the code generates (run `npm run schema` after changing schema.ts)', () => {
    for (const [name, text] of Object.entries(generated)) {
      expect(readFileSync(path.join('schema', name), 'utf8')).toBe(text);
    }
  });

  it('forbids unknown keys and carries descriptions for editors', () => {
    const herald = JSON.parse(generated['herald.schema.json']!);
    expect(herald.additionalProperties).toBe(false);
    expect(herald.required).toEqual(['office', 'services', 'channels']);
    expect(herald.properties.office.properties.timezone.description).toContain('Asia/Pontianak');
    const calendar = JSON.parse(generated['calendar.schema.json']!);
    const recurring = calendar.properties.recurring.items;
    expect(recurring.additionalProperties).toBe(false);
    expect(recurring.properties.weekly.properties.weekday.enum).toEqual(expect.arrayContaining(['friday', 'jumat']));
    expect(recurring.properties.quota.additionalProperties).toMatchObject({ type: 'integer', minimum: 0 });
  });

  it('writes both files to a directory', () => {
    const dir = writeTempDir({});
    const written = writeJsonSchemas(path.join(dir, 'out'));
    expect(written.map((f) => path.basename(f)).sort()).toEqual(['calendar.schema.json', 'herald.schema.json']);
    expect(readdirSync(path.join(dir, 'out')).sort()).toEqual(['calendar.schema.json', 'herald.schema.json']);
    expect(readFileSync(written[0]!, 'utf8')).toBe(generated[path.basename(written[0]!)]);
  });

  it('the sample config files point editors at the schemas', () => {
    expect(readFileSync('config/herald.yaml', 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.\.\/schema\/herald\.schema\.json/);
    expect(readFileSync('config/calendar.yaml', 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.\.\/schema\/calendar\.schema\.json/);
  });
});
