/** The config content hash: what a reload compares, on real files and symlinks. */
import fs from 'node:fs';
import path from 'node:path';
import { changedOffices, contentByOffice, readConfigContent, SHARED_PART, shortHash } from '../../src/app/config-content';
import { makeTempDir } from './bot-harness';

describe('readConfigContent', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir('herald-content-');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (file: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };

  it('changes exactly when a file content or name changes, not when only the time does', () => {
    write('herald.yaml', 'office: {}\n');
    write('calendar.yaml', 'releases: []\n');
    const first = readConfigContent([dir]);
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(shortHash(first.hash)).toBe(first.hash.slice(0, 12));

    fs.utimesSync(path.join(dir, 'calendar.yaml'), new Date('2030-01-01T00:00:00Z'), new Date('2030-01-01T00:00:00Z'));
    const touched = readConfigContent([dir]);
    expect(touched.hash).toBe(first.hash);
    expect(touched.files.find((f) => f.file.endsWith('calendar.yaml'))!.modifiedAt.toISOString()).toBe('2030-01-01T00:00:00.000Z');

    write('calendar.yaml', 'releases: [] # edited\n');
    expect(readConfigContent([dir]).hash).not.toBe(first.hash);
    write('calendar.yaml', 'releases: []\n');
    expect(readConfigContent([dir]).hash).toBe(first.hash);

    fs.renameSync(path.join(dir, 'calendar.yaml'), path.join(dir, 'kalender.yaml'));
    expect(readConfigContent([dir]).hash).not.toBe(first.hash);
  });

  it('reads through ConfigMap symlinks and skips dot entries (swap files, ..data copies, .env)', () => {
    write('..2026_12_02_01/calendar.yaml', 'releases: []\n');
    fs.symlinkSync('..2026_12_02_01', path.join(dir, '..data'));
    fs.symlinkSync('..data/calendar.yaml', path.join(dir, 'calendar.yaml'));
    write('.calendar.yaml.swp', 'editor noise');
    write('.env', 'X_APP_KEY=secret');
    const first = readConfigContent([dir]);
    expect(first.files.map((f) => path.relative(dir, f.file))).toEqual(['calendar.yaml']);

    // The same content in a new timestamped directory: nothing to reload.
    write('..2026_12_02_02/calendar.yaml', 'releases: []\n');
    fs.symlinkSync('..2026_12_02_02', path.join(dir, '..data_tmp'));
    fs.renameSync(path.join(dir, '..data_tmp'), path.join(dir, '..data'));
    fs.rmSync(path.join(dir, '..2026_12_02_01'), { recursive: true });
    expect(readConfigContent([dir]).hash).toBe(first.hash);

    write('..2026_12_02_03/calendar.yaml', 'releases: [] # new\n');
    fs.symlinkSync('..2026_12_02_03', path.join(dir, '..data_tmp'));
    fs.renameSync(path.join(dir, '..data_tmp'), path.join(dir, '..data'));
    expect(readConfigContent([dir]).hash).not.toBe(first.hash);
  });

  it('counts a file once when the templates directory is inside the config directory', () => {
    write('herald.yaml', 'office: {}\n');
    write('templates/captions/opening.hbs', 'Kuota dibuka');
    const content = readConfigContent([dir, path.join(dir, 'templates')]);
    expect(content.files.map((f) => path.relative(dir, f.file)).sort()).toEqual(['herald.yaml', path.join('templates', 'captions', 'opening.hbs')]);
    expect(readConfigContent([dir, path.join(dir, 'missing')]).hash).toBe(readConfigContent([dir]).hash);
  });
});

describe('contentByOffice / changedOffices', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir('herald-content-offices-');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (file: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };
  const parts = (): Map<string, string> => contentByOffice(readConfigContent([dir]), dir);

  it('names the offices whose folders changed, added or removed; a shared file changed means all', () => {
    write('herald.yaml', 'services: []\n');
    write('offices/kanim-a/herald.yaml', 'office: { name: A }\n');
    write('offices/kanim-a/calendar.yaml', 'releases: []\n');
    write('offices/kanim-b/herald.yaml', 'office: { name: B }\n');
    write('offices/kanim-b/templates/captions/h-1.hbs', 'B\n');
    write('offices/README.md', 'not an office\n');
    const first = parts();
    expect([...first.keys()].sort()).toEqual([SHARED_PART, 'kanim-a', 'kanim-b']);
    expect(changedOffices(first, parts())).toEqual({ all: false, ids: [] });

    write('offices/kanim-b/templates/captions/h-1.hbs', 'B edited\n');
    expect(changedOffices(first, parts())).toEqual({ all: false, ids: ['kanim-b'] });

    write('offices/kanim-c/herald.yaml', 'office: { name: C }\n');
    fs.rmSync(path.join(dir, 'offices', 'kanim-a'), { recursive: true });
    expect(changedOffices(first, parts())).toEqual({ all: false, ids: ['kanim-a', 'kanim-b', 'kanim-c'] });

    const before = parts();
    write('offices/README.md', 'still not an office, but shared\n');
    expect(changedOffices(before, parts())).toEqual({ all: true });
    const again = parts();
    write('herald.yaml', 'services: [] # edited\n');
    expect(changedOffices(again, parts())).toEqual({ all: true });
  });
});
