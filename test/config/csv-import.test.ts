import path from 'node:path';
import fs from 'node:fs';
import { loadAll } from '../../src/app/load-all';
import { importQuotaCsv, parseDateCell, parseQuotaCsv, parseTimeCell } from '../../src/config/csv-import';
import { errorsOf, MINIMAL_HERALD, MINIMAL_TEMPLATES, problemAt, writeTempDir } from './helpers';

const services = { serviceIds: ['regular', 'express'] };
const parse = (text: string) => parseQuotaCsv(text, 'kuota.csv', 'kuota.csv', services);

describe('config/csv-import', () => {
  it('groups rows with the same opening into one release with a stable id', () => {
    const { releases, problems } = parse(
      [
        'opens_on,opens_at,service_date,service,count,closes_at,note',
        '2027-01-08,10:00,2027-01-16,regular,60,16:00,Layanan Sabtu',
        '2027-01-08,10:00,2027-01-16,express,10,16:00,Layanan Sabtu',
        '2027-01-08,10:00,2027-01-15,regular,30,,',
        '2027-01-09,08:30,2027-01-23,regular,40,,',
        '',
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    expect(releases).toEqual([
      {
        id: 'csv:kuota.csv@2027-01-08T10:00',
        origin: 'csv',
        opensAt: { date: '2027-01-08', time: '10:00' },
        closesAt: { date: '2027-01-08', time: '16:00' },
        note: 'Layanan Sabtu',
        cancelled: false,
        location: { file: 'kuota.csv', line: 2, col: 1 },
        days: [
          {
            date: '2027-01-15',
            quota: { regular: 30 },
            location: { file: 'kuota.csv', line: 4, col: 1 },
            quotaLocations: { regular: { file: 'kuota.csv', line: 4, col: 29 } },
          },
          {
            date: '2027-01-16',
            quota: { regular: 60, express: 10 },
            location: { file: 'kuota.csv', line: 2, col: 1 },
            quotaLocations: { regular: { file: 'kuota.csv', line: 2, col: 29 }, express: { file: 'kuota.csv', line: 3, col: 29 } },
          },
        ],
      },
      expect.objectContaining({ id: 'csv:kuota.csv@2027-01-09T08:30', days: [expect.objectContaining({ date: '2027-01-23', quota: { regular: 40 } })] }),
    ]);
  });

  it('reads an Indonesian Excel export: `;` delimiter, Indonesian headers with spaces and capitals, DD/MM/YYYY, HH.mm', () => {
    const { releases, problems } = parse(
      '\uFEFFTanggal Buka;Jam Buka;Tanggal Layanan;LAYANAN;Kuota;Catatan\r\n08/01/2027;10.00;16/01/2027;Regular;60;Sabtu, 16 Januari\r\n',
    );
    expect(problems).toEqual([]);
    expect(releases).toEqual([
      expect.objectContaining({
        id: 'csv:kuota.csv@2027-01-08T10:00',
        note: 'Sabtu, 16 Januari',
        days: [expect.objectContaining({ date: '2027-01-16', quota: { regular: 60 } })],
      }),
    ]);
  });

  it('reports a bad date at its row and column, and keeps the good rows', () => {
    const { releases, problems } = parse('opens_on,opens_at,service_date,service,count\n2027-01-08,10:00,31/02/2027,regular,5\n2027-01-08,10:00,2027-01-11,regular,5\n');
    expect(problemAt(problems, 'kuota.csv', 2, 18).message).toContain('bad date `31/02/2027`');
    expect(releases.map((r) => r.days.map((d) => d.date))).toEqual([['2027-01-11']]);
  });

  it('reports a missing column at the header, suggesting a near-miss header', () => {
    const missing = parse('opens_on,opens_at,service_date,service\n2027-01-08,10:00,2027-01-11,regular\n');
    expect(problemAt(missing.problems, 'kuota.csv', 1, 1).message).toContain('missing column `count` (or `kuota`)');
    expect(missing.releases).toEqual([]);

    const typo = parse('opens_on,opens_at,service_date,service,kouta\n2027-01-08,10:00,2027-01-11,regular,4\n');
    expect(problemAt(typo.problems, 'kuota.csv', 1, 40).message).toContain('the header has `kouta`; rename it');
  });

  describe('a row with too few cells', () => {
    const HEADER = 'opens_on,opens_at,service_date,service,count';
    // `2027-01-08,10:00,2027-01-11,regular` is 35 characters: column 35 is its last, 36 would be past the end.
    it.each([
      ['LF', `${HEADER}\n2027-01-08,10:00,2027-01-11,regular\n`, 2, 35],
      ['CRLF', `${HEADER}\r\n2027-01-08,10:00,2027-01-11,regular\r\n`, 2, 35],
      ['CRLF after a blank line', `${HEADER}\r\n\r\n2027-01-08,10:00,2027-01-11,regular\r\n\r\n`, 3, 35],
      ['without a final line end', `${HEADER}\n2027-01-08,10:00,2027-01-11,regular`, 2, 35],
    ])('%s: reported once, at the last character of the line, saying which cell is missing', (_label, text, line, col) => {
      const { problems, releases } = parse(text);
      expect(problems).toEqual([
        {
          location: { file: 'kuota.csv', line, col },
          message: 'the row ends after 4 cell(s) but the header has 5: the `count/kuota` cell is missing; add it after a `,` at the end of the line, or delete the row.',
          severity: 'error',
        },
      ]);
      expect(releases).toEqual([]);
    });

    it('names every missing cell in one problem', () => {
      const { problems } = parse(`${HEADER}\n2027-01-08,10:00,2027-01-11\n`);
      expect(problems).toEqual([
        expect.objectContaining({
          location: { file: 'kuota.csv', line: 2, col: 27 },
          message: 'the row ends after 3 cell(s) but the header has 5: the `service/layanan`, `count/kuota` cells are missing; add them after a `,` at the end of the line, or delete the row.',
        }),
      ]);
    });
  });

  it('finds columns in a CRLF file after a blank line (a leftover \\r shifted them by one)', () => {
    const { problems } = parse('opens_on,opens_at,service_date,service,count\r\n\r\n2027-01-08,10:00,31/02/2027,regular,5\r\n');
    expect(problems).toEqual([expect.objectContaining({ location: { file: 'kuota.csv', line: 3, col: 18 } })]);
  });

  it('reports an overlap with a YAML release at the CSV row that overlaps, not the first row of that day', () => {
    const dir = writeTempDir({
      'herald.yaml': MINIMAL_HERALD,
      ...MINIMAL_TEMPLATES,
      'calendar.yaml': [
        'releases:',
        '  - id: percepatan',
        '    opensAt: "2027-01-07 09:00"',
        '    days:',
        '      - { date: 2027-01-16, quota: { express: 10 } }',
        'imports:',
        '  - file: kuota.csv',
        '',
      ].join('\n'),
      'kuota.csv': ['opens_on,opens_at,service_date,service,count', '2027-01-08,10:00,2027-01-16,regular,60', '2027-01-08,10:00,2027-01-16,express,10', ''].join('\n'),
    });
    try {
      const { problems } = loadAll(dir, { now: new Date('2027-01-01T00:00:00Z') });
      const csv = path.join(dir, 'kuota.csv');
      // (The minimal templates lack cards and alt texts: those errors have no file location.)
      expect(errorsOf(problems).filter((p) => p.location !== undefined)).toEqual([
        {
          location: { file: csv, line: 3, col: 29 },
          message: `csv release csv:kuota.csv@2027-01-08T10:00 and explicit release percepatan (${path.join(dir, 'calendar.yaml')}:5:9) both give counts for Paspor Percepatan on 2027-01-16: keep the day in one of them only.`,
          severity: 'error',
        },
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects formula injection in text cells', () => {
    for (const lead of ['=', '+', '-', '@']) {
      const { problems, releases } = parse(`opens_on,opens_at,service_date,service,count,note\n2027-01-08,10:00,2027-01-11,regular,4,${lead}cmd|' /C calc'!A0\n`);
      expect(problemAt(problems, 'kuota.csv', 2, 39).message).toContain(`starts with \`${lead}\`, which spreadsheets run as a formula`);
      expect(releases).toEqual([]);
    }
  });

  it('rejects bad counts, duplicate rows, closing before opening and days before the opening', () => {
    const { problems } = parse(
      [
        'opens_on,opens_at,service_date,service,count,closes_at',
        '2027-01-08,10:00,2027-01-11,regular,1.250,',
        '2027-01-08,10:00,2027-01-11,express,4,09:00',
        '2027-01-08,10:00,2027-01-12,express,4,',
        '2027-01-08,10:00,2027-01-12,express,5,',
        '2027-01-08,10:00,2027-01-07,regular,5,',
      ].join('\n'),
    );
    expect(problemAt(problems, 'kuota.csv', 2, 37).message).toContain('bad count `1.250`');
    expect(problemAt(problems, 'kuota.csv', 3, 39).message).toContain('not after it opens');
    expect(problemAt(problems, 'kuota.csv', 5, 29).message).toContain('express on 2027-01-12 is already given on line 4');
    expect(problemAt(problems, 'kuota.csv', 6, 18).message).toContain('before the opening on 2027-01-08');
  });

  it('finds columns of quoted cells spanning lines', () => {
    const { problems } = parse('opens_on,opens_at,service_date,service,count,note\n2027-01-08,10:00,2027-01-11,regular,4,"two\nlines"\n2027-01-08,10:00,2027-01-12,regular,x,\n');
    expect(errorsOf(problems)).toEqual([expect.objectContaining({ location: { file: 'kuota.csv', line: 4, col: 37 } })]);
  });

  it('reports an unclosed quote instead of throwing', () => {
    const { problems } = parse('opens_on,opens_at,service_date,service,count,note\n2027-01-08,10:00,2027-01-11,regular,4,"open\n');
    expect(errorsOf(problems)).toHaveLength(1);
    expect(problems[0]!.message).toContain('cannot read the CSV');
  });

  it('reads a file from disk and refuses files over 1 MB', () => {
    const dir = writeTempDir({
      'kuota.csv': 'opens_on,opens_at,service_date,service,count\n2027-01-08,10:00,2027-01-11,regular,4\n',
      'besar.csv': `opens_on,opens_at,service_date,service,count\n${'2027-01-08,10:00,2027-01-11,regular,4\n'.repeat(30_000)}`,
    });
    expect(importQuotaCsv(path.join(dir, 'kuota.csv'), 'kuota.csv', 'kuota.csv', services).releases).toHaveLength(1);
    const big = importQuotaCsv(path.join(dir, 'besar.csv'), 'besar.csv', 'besar.csv', services);
    expect(big.releases).toEqual([]);
    expect(problemAt(big.problems, 'besar.csv', 1, 1).message).toContain('byte limit');
  });

  it('parses the date and time forms staff spreadsheets produce', () => {
    expect(parseDateCell('2027-1-8')).toBe('2027-01-08');
    expect(parseDateCell('8/1/2027')).toBe('2027-01-08');
    expect(parseDateCell('29/02/2027')).toBeUndefined();
    expect(parseDateCell('01-08-2027')).toBeUndefined();
    expect(parseTimeCell('9.30')).toBe('09:30');
    expect(parseTimeCell('14:00:00')).toBe('14:00');
    expect(parseTimeCell('24:00')).toBeUndefined();
  });
});
