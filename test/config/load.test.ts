import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, resolveTemplatesDir } from '../../src/config/load';
import { FIXTURES, FIXTURE_TEMPLATES, MINIMAL_HERALD, MINIMAL_TEMPLATES, errorsOf, problemAt, writeTempDir } from './helpers';

const fixture = (name: string): string => path.join(FIXTURES, name);
const file = (name: string, which: string): string => path.join(FIXTURES, name, which);

describe('config/load: the sample office', () => {
  const { config, problems } = loadConfig('config');

  it('loads with zero problems', () => {
    expect(problems).toEqual([]);
    expect(config).not.toBeNull();
  });

  it('fills defaults and normalises the office', () => {
    const office = config!.offices[0]!;
    expect(config!.offices).toHaveLength(1);
    expect(office).toMatchObject({ id: 'kanim-pontianak', timezone: 'Asia/Pontianak', locale: 'id-ID', shortName: 'Imigrasi Pontianak' });
    expect(office.services.map((s) => [s.id, s.shortName])).toEqual([['regular', 'Reguler'], ['express', 'Percepatan']]);
    expect(office.channels.map((c) => [c.id, c.driver, c.platform, c.enabled])).toEqual([
      ['instagram', 'outbox', 'instagram', true],
      ['x', 'outbox', 'x', true],
    ]);
    expect(office.announcements.map((r) => [r.id, r.timing, r.deadlineMinutesAfterOpening])).toEqual([
      ['h-1', { kind: 'days-before', days: 1, time: '19:00' }, 0],
      ['h-60m', { kind: 'before-opening', minutes: 60 }, 0],
      ['opening', { kind: 'before-opening', minutes: 0 }, 60],
    ]);
    expect(office.digests[0]).toMatchObject({ id: 'weekly', cron: '0 18 * * 0', rangeDays: 7, startOffsetDays: 1, deadlineMinutes: 180 });
    expect(config!.settings).toEqual({
      renderAheadMinutes: 10,
      horizonDays: 35,
      replanCron: '*/10 * * * *',
      // The sample sets only publicBaseUrl; the rest are the defaults.
      web: { publicBaseUrl: 'https://kuota.pontianak.example.go.id', host: '127.0.0.1', port: 8080, secureCookies: false, trustProxy: false, auditRetentionDays: 366 },
    });
    expect(config!.dir).toBe(path.resolve('config'));
    expect(config!.templatesDir).toBe(path.resolve('templates'));
  });

  it('reads the weekly rule, explicit releases, closures and the CSV import', () => {
    const calendar = config!.offices[0]!.calendar;
    expect(calendar.recurring[0]).toMatchObject({
      id: 'mingguan',
      pattern: { every: 'weekly', weekday: 5, weeksAhead: 1 },
      time: '14:00',
      weekdays: [1, 2, 3, 4, 5],
      quota: { regular: 120, express: 20 },
    });
    expect(calendar.releases.map((r) => [r.id, r.cancelled])).toEqual([['pengganti-tahun-baru', false], ['simpatik-desember', false], ['simpatik-november', true]]);
    expect(calendar.closures.map((c) => [c.from, c.to])).toEqual([['2026-12-24', '2026-12-24'], ['2026-12-28', '2026-12-31']]);
    expect(calendar.imported).toEqual([
      expect.objectContaining({
        id: 'csv:kuota.csv@2027-01-08T10:00',
        origin: 'csv',
        opensAt: { date: '2027-01-08', time: '10:00' },
        closesAt: { date: '2027-01-08', time: '16:00' },
        days: [expect.objectContaining({ date: '2027-01-16', quota: { regular: 60, express: 10 } })],
      }),
    ]);
  });

  it('is deep-frozen', () => {
    const office = config!.offices[0]!;
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(office.calendar.recurring[0]!.quota)).toBe(true);
    expect(Object.isFrozen(office.services[0]!.location)).toBe(true);
    expect(() => {
      (office.calendar.recurring[0]!.quota as Record<string, number>).regular = 1;
    }).toThrow(TypeError);
  });
});

describe('config/load: one fixture per bad input', () => {
  it('points at an unknown key and suggests the right one', () => {
    const { config, problems } = loadConfig(fixture('unknown-key'));
    expect(config).toBeNull();
    expect(problemAt(problems, file('unknown-key', 'calendar.yaml'), 5, 5).message).toContain('unknown key `quotaa`');
    expect(problemAt(problems, file('unknown-key', 'calendar.yaml'), 5, 5).message).toContain('Did you mean `quota`?');
  });

  it('rejects an unknown time zone', () => {
    const { problems } = loadConfig(fixture('bad-timezone'));
    expect(problemAt(problems, file('bad-timezone', 'herald.yaml'), 4, 13).message).toMatch(/unknown time zone `Asia\/Pontianack`.*Asia\/Pontianak/);
  });

  it('rejects negative and fractional counts', () => {
    const { problems } = loadConfig(fixture('bad-counts'));
    expect(problemAt(problems, file('bad-counts', 'calendar.yaml'), 5, 47).message).toContain('cannot be negative');
    expect(problemAt(problems, file('bad-counts', 'calendar.yaml'), 5, 60).message).toContain('whole number');
  });

  it('rejects a quota for an unknown service and a rule naming an unknown channel', () => {
    const { problems } = loadConfig(fixture('unknown-refs'));
    expect(problemAt(problems, file('unknown-refs', 'herald.yaml'), 10, 68).message).toContain('unknown channel `instagam`');
    const service = problemAt(problems, file('unknown-refs', 'calendar.yaml'), 5, 28).message;
    expect(service).toContain('unknown service `reguler`');
    expect(service).toContain('Did you mean `regular`?');
  });

  it('reports duplicate service, channel, rule and release ids', () => {
    const { problems } = loadConfig(fixture('duplicate-ids'));
    const herald = file('duplicate-ids', 'herald.yaml');
    expect(problemAt(problems, herald, 7, 11).message).toContain(`duplicate service id \`regular\` (already used at ${herald}:6:11)`);
    expect(problemAt(problems, herald, 10, 11).message).toContain('duplicate channel id `x`');
    expect(problemAt(problems, herald, 14, 11).message).toContain('duplicate rule id `h-1`');
    expect(problemAt(problems, file('duplicate-ids', 'calendar.yaml'), 5, 5).message).toContain('duplicate release id `khusus`');
  });

  it('reports invalid cron expressions with the parser message', () => {
    const { problems } = loadConfig(fixture('bad-cron'));
    expect(problemAt(problems, file('bad-cron', 'herald.yaml'), 10, 25).message).toMatch(/invalid cron expression `0 18 \* \*`: expected 5 fields/);
    expect(problemAt(problems, file('bad-cron', 'herald.yaml'), 12, 15).message).toContain('invalid cron expression');
  });

  it('requires the media server and an account id for an instagram channel, and https for its public address', () => {
    const herald = MINIMAL_HERALD.replace('  - { id: x, driver: outbox, platform: x }', '  - { id: x, driver: outbox, platform: x }\n  - { id: ig, driver: instagram, credentials: { accessToken: IG_ACCESS_TOKEN } }');
    const dir = writeTempDir({ 'herald.yaml': herald, ...MINIMAL_TEMPLATES });
    const { problems } = loadConfig(dir);
    expect(problemAt(problems, path.join(dir, 'herald.yaml'), 10, 23).message).toMatch(/the instagram driver needs the media server/);
    expect(problemAt(problems, path.join(dir, 'herald.yaml'), 10, 5).message).toMatch(/needs its account id/);

    const withServer = writeTempDir({
      'herald.yaml': `${herald.replace('IG_ACCESS_TOKEN }', 'IG_ACCESS_TOKEN }, accountId: "17841400000000000"')}settings:\n  mediaServer: { publicBaseUrl: "http://media.example.go.id" }\n`,
      ...MINIMAL_TEMPLATES,
    });
    const second = loadConfig(withServer);
    expect(errorsOf(second.problems).map((p) => p.message)).toEqual([expect.stringMatching(/is not a public https:\/\/ address/)]);
  });

  it('takes a cron expression restricting both day fields without a warning: planner and timers read it the same way now', () => {
    const dir = writeTempDir({
      'herald.yaml': `${MINIMAL_HERALD}digests:\n  - { id: weekly, cron: "0 18 1 * 0", channels: [x], template: h-1 }\n`,
      ...MINIMAL_TEMPLATES,
    });
    const { config, problems } = loadConfig(dir);
    expect(config).not.toBeNull();
    expect(problems.filter((p) => p.location?.file.endsWith('herald.yaml'))).toEqual([]);
  });

  it('reports impossible dates and times, closing before opening, days before the opening and reversed ranges', () => {
    const { problems } = loadConfig(fixture('bad-dates'));
    const calendar = file('bad-dates', 'calendar.yaml');
    expect(problemAt(problems, calendar, 3, 14).message).toContain('"YYYY-MM-DD HH:mm"');
    expect(problemAt(problems, calendar, 4, 21).message).toContain('does not exist in the calendar');
    expect(problemAt(problems, calendar, 7, 15).message).toContain('not after it opens');
    expect(problemAt(problems, calendar, 8, 21).message).toContain('service day 2026-12-10 is before the opening on 2026-12-11');
    expect(problemAt(problems, calendar, 10, 29).message).toContain('`to` (2026-12-29) is before `from` (2026-12-31)');
    // `at: 14.00` unquoted is a YAML number; it must still read as 14:00.
    expect(problems.filter((p) => p.location?.line === 14)).toEqual([]);
  });

  it('reports every YAML syntax error of both files', () => {
    const { config, problems } = loadConfig(fixture('yaml-syntax'));
    expect(config).toBeNull();
    expect(problemAt(problems, file('yaml-syntax', 'herald.yaml'), 7, 1).message).toContain('YAML syntax error: Missing closing "quote');
    const tabs = problems.filter((p) => p.location?.file === file('yaml-syntax', 'calendar.yaml') && p.message.includes('Tabs'));
    expect(tabs).toEqual([expect.objectContaining({ location: { file: file('yaml-syntax', 'calendar.yaml'), line: 3, col: 1 } })]);
    expect(tabs[0]!.message).toContain('Indent with spaces');
    expect(problems.every((p) => !p.message.includes('\n'))).toBe(true);
  });

  it('names the caption template file to create', () => {
    const { problems } = loadConfig(fixture('missing-template'));
    expect(problemAt(problems, file('missing-template', 'herald.yaml'), 10, 11).message).toContain(
      `create ${path.join(FIXTURE_TEMPLATES, 'captions', 'besok.hbs')}`,
    );
  });

  it('says what to create when herald.yaml is missing', () => {
    const { config, problems } = loadConfig(fixture('missing-herald'));
    expect(config).toBeNull();
    expect(problemAt(problems, file('missing-herald', 'herald.yaml'), 1, 1).message).toContain('missing herald.yaml: create');
  });

  it('refuses a YAML alias bomb', () => {
    const { config, problems } = loadConfig(fixture('alias-bomb'));
    expect(config).toBeNull();
    expect(problemAt(problems, file('alias-bomb', 'herald.yaml'), 2, 8).message).toContain('too many YAML alias expansions');
  });

  it('names the expected type for wrong types', () => {
    const { problems } = loadConfig(fixture('wrong-types'));
    const herald = file('wrong-types', 'herald.yaml');
    expect(problemAt(problems, herald, 5, 11).message).toContain('`services` should be a list');
    expect(problemAt(problems, herald, 7, 39).message).toContain('should be true or false, not the text "ya"');
    expect(problemAt(problems, herald, 9, 16).message).toContain('should be a number, not the text "35"');
  });

  it('reports CSV rows with file, line and column, and a missing CSV file', () => {
    const { problems } = loadConfig(fixture('csv-errors'));
    const csv = file('csv-errors', 'kuota.csv');
    expect(problemAt(problems, csv, 2, 18).message).toContain('bad date `2027-01-40`');
    expect(problemAt(problems, csv, 3, 29).message).toContain('unknown service `reguler`');
    expect(problemAt(problems, csv, 4, 37).message).toContain('bad count `-5`');
    expect(problemAt(problems, csv, 5, 39).message).toContain('formula');
    expect(problemAt(problems, file('csv-errors', 'calendar.yaml'), 3, 11).message).toContain('CSV file `hilang.csv` not found');
  });
});

describe('config/load: all problems at once', () => {
  it('reports problems of both files and several entries in one pass, sorted by file and line', () => {
    const dir = writeTempDir({
      ...MINIMAL_TEMPLATES,
      'herald.yaml': MINIMAL_HERALD.replace('Asia/Pontianak', 'Mars/Olympus').replace('channels: [x]', 'channels: [x, fb]'),
      'calendar.yaml': [
        'recurring:',
        '  - id: mingguan',
        '    weekly: { weekday: jumat }',
        '    at: "14:00"',
        '    quota: { regular: 120, paspor: 3 }',
        'closures:',
        '  - { date: 2026-12-24 }',
        '',
      ].join('\n'),
    });
    const { config, problems } = loadConfig(dir);
    expect(config).toBeNull();
    expect(errorsOf(problems).map((p) => `${path.basename(p.location!.file)}:${p.location!.line}`)).toEqual([
      'herald.yaml:4',
      'herald.yaml:11',
      'calendar.yaml:5',
      'calendar.yaml:7',
    ]);
  });

  it('refuses a config file over 1 MB', () => {
    const dir = writeTempDir({ 'herald.yaml': `# ${'x'.repeat(1_100_000)}\n` });
    const { problems } = loadConfig(dir);
    expect(problemAt(problems, path.join(dir, 'herald.yaml'), 1, 1).message).toContain('over the 1000000-byte limit');
  });

  it('says the file is empty instead of listing every missing key', () => {
    const dir = writeTempDir({ 'herald.yaml': '# nothing yet\n' });
    const { problems } = loadConfig(dir);
    expect(errorsOf(problems)).toEqual([
      expect.objectContaining({ location: { file: path.join(dir, 'herald.yaml'), line: 1, col: 1 }, message: expect.stringContaining('the file is empty') }),
    ]);
  });

  it('reports a missing config directory without a location', () => {
    const { config, problems } = loadConfig(path.join(FIXTURES, 'does-not-exist'));
    expect(config).toBeNull();
    expect(problems).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringContaining('not found') })]);
  });

  it('accepts Indonesian weekdays, dotted times, derived release ids and a missing calendar as a warning', () => {
    const dir = writeTempDir({
      ...MINIMAL_TEMPLATES,
      'herald.yaml': MINIMAL_HERALD,
      'calendar.yaml': [
        'recurring:',
        '  - { id: bulanan, monthly: { day: last-working-day }, at: 9.30, serviceWeekdays: [Senin, rabu], quota: { regular: 10 } }',
        'releases:',
        '  - { opensAt: "2026-12-11 09.00", closesAt: 17.00, days: [ { date: 2026-12-19, quota: { express: 5 } } ] }',
        '',
      ].join('\n'),
    });
    const { config, problems } = loadConfig(dir);
    expect(problems).toEqual([]);
    const calendar = config!.offices[0]!.calendar;
    expect(calendar.recurring[0]).toMatchObject({ pattern: { every: 'monthly', day: 'last-working-day', monthsAhead: 1 }, time: '09:30', weekdays: [1, 3] });
    expect(calendar.releases[0]).toMatchObject({ id: 'release@2026-12-11T09:00', closesAt: { date: '2026-12-11', time: '17:00' } });

    const withoutCalendar = writeTempDir({ ...MINIMAL_TEMPLATES, 'herald.yaml': MINIMAL_HERALD });
    const loaded = loadConfig(withoutCalendar);
    expect(loaded.config).not.toBeNull();
    expect(loaded.problems).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringContaining('missing calendar.yaml') })]);
  });

  it.each([
    ['empty', '', 'is empty (nothing but comments or blank lines)'],
    ['blank lines', '\n\n   \n', 'is empty (nothing but comments or blank lines)'],
    ['comment-only', '# kalender kuota\n# (belum diisi)\n', 'is empty (nothing but comments or blank lines)'],
    ['empty lists', 'recurring: []\nreleases: []\n', 'lists no recurring, releases or imports entries'],
    ['closures only', 'closures:\n  - { date: 2026-12-24, reason: Cuti bersama }\n', 'lists no recurring, releases or imports entries'],
  ])('warns, like a missing one, when calendar.yaml is %s', (_label, text, what) => {
    const dir = writeTempDir({ ...MINIMAL_TEMPLATES, 'herald.yaml': MINIMAL_HERALD, 'calendar.yaml': text });
    try {
      const { config, problems } = loadConfig(dir);
      expect(config).not.toBeNull();
      expect(problems).toEqual([
        {
          location: { file: path.join(dir, 'calendar.yaml'), line: 1, col: 1 },
          message: `calendar.yaml ${what}: no quota openings will be announced; add recurring or one-off releases (see docs/config.md).`,
          severity: 'warning',
        },
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('warns about a cancelled date that the weekly rule never opens on', () => {
    const dir = writeTempDir({
      ...MINIMAL_TEMPLATES,
      'herald.yaml': MINIMAL_HERALD,
      'calendar.yaml': [
        'recurring:',
        '  - id: mingguan',
        '    weekly: { weekday: friday }',
        '    at: "14:00"',
        '    quota: { regular: 120 }',
        '    cancelledOn: [ { date: 2026-12-24 } ]',
        '',
      ].join('\n'),
    });
    const { config, problems } = loadConfig(dir);
    expect(config).not.toBeNull();
    const warning = problemAt(problems, path.join(dir, 'calendar.yaml'), 6, 28);
    expect(warning.severity).toBe('warning');
    expect(warning.message).toContain('2026-12-24 is a thursday');
  });
});

describe('config/load: templates directory', () => {
  it('prefers the option, then <dir>/templates, then <dir>/../templates, then ./templates', () => {
    const root = writeTempDir({ 'cfg/herald.yaml': '', 'templates/captions/x.hbs': '', 'other/herald.yaml': '', 'other/templates/captions/x.hbs': '' });
    expect(resolveTemplatesDir(path.join(root, 'cfg'), '/srv/tpl')).toBe(path.resolve('/srv/tpl'));
    expect(resolveTemplatesDir(path.join(root, 'other'))).toBe(path.join(root, 'other', 'templates'));
    expect(resolveTemplatesDir(path.join(root, 'cfg'))).toBe(path.join(root, 'templates'));
    const lonely = writeTempDir({ 'herald.yaml': '' });
    expect(resolveTemplatesDir(lonely)).toBe(path.resolve('templates'));
  });
});
