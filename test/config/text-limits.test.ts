/**
 * Texts that posts show are bounded (schema.ts TEXT_LIMITS): the shipped
 * templates are tested to fit every platform up to these lengths
 * (test/render/caption-fit.test.ts), so a longer text is refused at load time
 * with its file, line and column.
 */
import path from 'node:path';
import { loadConfig } from '../../src/config/load';
import { parseQuotaCsv } from '../../src/config/csv-import';
import { TEXT_LIMITS } from '../../src/config/schema';
import { errorsOf, MINIMAL_TEMPLATES, problemAt, writeTempDir } from './helpers';

const long = (n: number): string => 'x'.repeat(n);

function heraldWith(office: string, services: string): string {
  return `office:
${office}
services:
${services}
channels:
  - { id: x, driver: outbox, platform: x }
announcements:
  - { id: h-1, when: { daysBefore: 1, at: "19:00" }, channels: [x] }
`;
}

const CALENDAR = `releases:
  - opensAt: "2027-01-08 10:00"
    days: [{ date: 2027-01-11, quota: { regular: 10 } }]
`;

describe('config/schema: lengths of texts shown in posts', () => {
  it('accepts every text at its limit', () => {
    const herald = heraldWith(
      `  id: kanim-test
  name: ${long(TEXT_LIMITS.officeName)}
  shortName: ${long(TEXT_LIMITS.officeShortName)}
  timezone: Asia/Pontianak
  info:
    bookingChannel: ${long(TEXT_LIMITS.bookingChannel)}
    website: ${long(TEXT_LIMITS.website)}
    hashtags: [${Array.from({ length: TEXT_LIMITS.hashtags }, () => long(TEXT_LIMITS.hashtag)).join(', ')}]`,
      `  - { id: regular, name: ${long(TEXT_LIMITS.serviceName)}, shortName: ${long(TEXT_LIMITS.serviceShortName)} }`,
    );
    const dir = writeTempDir({ 'herald.yaml': herald, 'calendar.yaml': CALENDAR, ...MINIMAL_TEMPLATES });
    expect(errorsOf(loadConfig(dir).problems)).toEqual([]);
  });

  it('refuses each herald.yaml text one character over its limit, at its line and column, saying what to do', () => {
    const herald = heraldWith(
      `  id: kanim-test
  name: ${long(TEXT_LIMITS.officeName + 1)}
  shortName: ${long(TEXT_LIMITS.officeShortName + 1)}
  timezone: Asia/Pontianak
  info:
    bookingChannel: ${long(TEXT_LIMITS.bookingChannel + 1)}
    website: ${long(TEXT_LIMITS.website + 1)}
    hashtags: [a, b, c, d, e, f]`,
      `  - { id: regular, name: ${long(TEXT_LIMITS.serviceName + 1)}, shortName: ${long(TEXT_LIMITS.serviceShortName + 1)} }`,
    );
    const dir = writeTempDir({ 'herald.yaml': herald, 'calendar.yaml': CALENDAR, ...MINIMAL_TEMPLATES });
    const { config, problems } = loadConfig(dir);
    expect(config).toBeNull();
    const file = path.join(dir, 'herald.yaml');
    expect(problemAt(problems, file, 3, 9).message).toBe(
      '`office.name`: is 101 characters long; posts have room for 100: use the name as the public knows it and put the rest in the website.',
    );
    expect(problemAt(problems, file, 4, 14).message).toMatch(/^`office\.shortName`: is 41 characters long; posts have room for 40: /);
    expect(problemAt(problems, file, 7, 21).message).toMatch(/^`info\.bookingChannel`: is 81 characters long; posts have room for 80: name just the app/);
    expect(problemAt(problems, file, 8, 14).message).toMatch(/^`info\.website`: is 61 characters long; posts have room for 60/);
    expect(problemAt(problems, file, 9, 15).message).toMatch(/^`info\.hashtags`: list at most 5 hashtags/);
    expect(problemAt(problems, file, 11, 26).message).toMatch(/^`services\.name`: is 51 characters long; posts have room for 50/);
    expect(problemAt(problems, file, 11, 90).message).toMatch(/^`services\.shortName`: is 21 characters long; posts have room for 20/);
  });

  it('refuses a long hashtag', () => {
    const herald = heraldWith(
      `  id: kanim-test\n  name: Kantor Imigrasi Test\n  timezone: Asia/Pontianak\n  info:\n    hashtags: [KuotaPaspor, ${long(TEXT_LIMITS.hashtag + 1)}]`,
      '  - { id: regular, name: Paspor Reguler }',
    );
    const dir = writeTempDir({ 'herald.yaml': herald, 'calendar.yaml': CALENDAR, ...MINIMAL_TEMPLATES });
    expect(problemAt(loadConfig(dir).problems, path.join(dir, 'herald.yaml'), 6, 29).message).toBe(
      'item 2 of `hashtags`: is 31 characters long; posts have room for 30: use a shorter hashtag.',
    );
  });

  it('refuses a long note, cancel reason and closure reason in calendar.yaml', () => {
    const herald = heraldWith('  id: kanim-test\n  name: Kantor Imigrasi Test\n  timezone: Asia/Pontianak', '  - { id: regular, name: Paspor Reguler }');
    const calendar = `releases:
  - opensAt: "2027-01-08 10:00"
    days: [{ date: 2027-01-11, quota: { regular: 10 } }]
    note: ${long(TEXT_LIMITS.note + 1)}
    cancelled: true
    cancelReason: ${long(TEXT_LIMITS.cancelReason + 1)}
closures:
  - { date: 2027-01-12, reason: ${long(TEXT_LIMITS.closureReason + 1)} }
`;
    const dir = writeTempDir({ 'herald.yaml': herald, 'calendar.yaml': calendar, ...MINIMAL_TEMPLATES });
    const { problems } = loadConfig(dir);
    const file = path.join(dir, 'calendar.yaml');
    expect(problemAt(problems, file, 4, 11).message).toMatch(/^`releases\.note`: is 201 characters long; posts have room for 200: keep the note/);
    expect(problemAt(problems, file, 6, 19).message).toMatch(/^`releases\.cancelReason`: is 201 characters long; posts have room for 200/);
    expect(problemAt(problems, file, 8, 33).message).toMatch(/^`closures\.reason`: is 101 characters long; posts have room for 100/);
  });

  it('refuses a long note in a CSV import at its cell', () => {
    const { problems } = parseQuotaCsv(
      ['opens_on,opens_at,service_date,service,count,closes_at,note', `2027-01-08,10:00,2027-01-16,regular,60,,${long(TEXT_LIMITS.note + 1)}`, ''].join('\n'),
      'kuota.csv',
      'kuota.csv',
      { serviceIds: ['regular'] },
    );
    expect(problemAt(problems, 'kuota.csv', 2, 41).message).toBe(
      'note is 201 characters long; posts have room for 200: keep the note to one or two sentences.',
    );
  });
});
