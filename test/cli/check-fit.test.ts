/**
 * `check` on an office unlike the sample: a monthly release of four services
 * with a long booking text, posting to an X channel whose id is not "x". The
 * shipped captions and alt text must fit (no caption or alt text problem), and
 * the X channel must get the X caption (an Instagram-length one would be over
 * 280). Before: "caption is 2351 characters" on Instagram and over 280 on X.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createVirtualClock } from '../../src/clock';
import { main } from '../../src/cli/main';
import { REPO_ROOT } from '../support/cli';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

const CALENDAR = `recurring:
  - id: bulanan
    monthly: { day: 25, monthsAhead: 1 }
    at: "09:00"
    quota: { regular: 200, express: 35, priority: 50, simpatik: 10 }
    note: Pemohon lansia, ibu hamil dan penyandang disabilitas didahulukan.
`;

describe('cli/check: a monthly office with four services and a long booking text', () => {
  let dir: string;
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('renders every caption and alt text within the limits, the X one for channel "tw"', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-check-fit-'));
    fs.cpSync(path.join(REPO_ROOT, 'config'), path.join(dir, 'config'), { recursive: true });
    fs.cpSync(path.join(REPO_ROOT, 'templates'), path.join(dir, 'templates'), { recursive: true });
    const heraldFile = path.join(dir, 'config', 'herald.yaml');
    const herald = fs
      .readFileSync(heraldFile, 'utf8')
      .replace('bookingChannel: aplikasi M-Paspor', 'bookingChannel: "aplikasi M-Paspor (unduh di Play Store atau App Store)"')
      .replace(
        '  - { id: express, name: Paspor Percepatan, shortName: Percepatan }',
        [
          '  - { id: express, name: Paspor Percepatan, shortName: Percepatan }',
          '  - { id: priority, name: Paspor Prioritas, shortName: Prioritas }',
          '  - { id: simpatik, name: Paspor Simpatik, shortName: Simpatik }',
        ].join('\n'),
      )
      .replace('  - { id: x, driver: outbox, platform: x }', '  - { id: tw, driver: outbox, platform: x }')
      .replaceAll('channels: [instagram, x]', 'channels: [instagram, tw]');
    fs.writeFileSync(heraldFile, herald);
    fs.writeFileSync(path.join(dir, 'config', 'calendar.yaml'), CALENDAR);
    fs.rmSync(path.join(dir, 'config', 'kuota.csv'));

    const stdout = new Capture();
    const stderr = new Capture();
    await main(['node', 'quota-herald', 'check', '--config', path.join(dir, 'config'), '--days', '60'], {
      clock: createVirtualClock(new Date('2027-02-01T01:00:00Z')),
      env: {},
      stdout,
      stderr,
      cwd: dir,
    });
    expect(stdout.text).toMatch(/checked \d+ post\(s\) on 2 channel\(s\)/);
    const [, checked] = /checked (\d+) post\(s\)/.exec(stdout.text)!;
    expect(Number(checked)).toBeGreaterThan(10);
    expect(stderr.text.split('\n').filter((line) => /caption is|alt text is|render/i.test(line))).toEqual([]);
  }, 120_000);
});
