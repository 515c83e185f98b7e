/**
 * `check` days ahead with a webhook channel: the sample office plus a webhook
 * whose opening caption (an override, `opening.webhook.hbs`) is over the
 * webhook's 65,536 characters. The post is named, with the limit, before it is due.
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

describe('cli/check: a webhook channel', () => {
  let dir: string;
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reports a caption over the webhook limit days ahead, naming the post and the limit', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-check-webhook-'));
    fs.cpSync(path.join(REPO_ROOT, 'config'), path.join(dir, 'config'), { recursive: true });
    fs.cpSync(path.join(REPO_ROOT, 'templates'), path.join(dir, 'templates'), { recursive: true });
    const heraldFile = path.join(dir, 'config', 'herald.yaml');
    const herald = fs
      .readFileSync(heraldFile, 'utf8')
      .replace('  - { id: x, driver: outbox, platform: x }', '  - { id: x, driver: outbox, platform: x }\n  - { id: situs, driver: webhook, url: "https://humas.example.go.id/hooks/quota-herald", credentials: { secret: WEBHOOK_SECRET } }')
      .replace(/(- id: opening[^\n]*\n\s+when: \{ atOpening: true \}\n\s+channels: \[instagram, x)\]/, '$1, situs]');
    expect(herald).toContain('channels: [instagram, x, situs]');
    fs.writeFileSync(heraldFile, herald);
    const captions = path.join(dir, 'templates', 'captions');
    fs.writeFileSync(path.join(captions, 'opening.webhook.hbs'), `${fs.readFileSync(path.join(captions, 'opening.hbs'), 'utf8')}\n${'Jangan lewatkan! '.repeat(4_000)}`);

    const stdout = new Capture();
    const stderr = new Capture();
    const code = await main(['node', 'quota-herald', 'check', '--config', path.join(dir, 'config'), '--days', '7'], {
      clock: createVirtualClock(new Date('2026-11-28T01:00:00Z')),
      env: {},
      stdout,
      stderr,
      cwd: dir,
    });
    expect(code).toBe(1);
    expect(stderr.text).toMatch(/^[0-9a-f]{20} \(situs, opening, [^)]*\): caption is \d{5} characters, over the limit of 65536/m);
    // Only the webhook's opening is over: the other channels and rules stay clean.
    expect(stderr.text.split('\n').filter((line) => /over the limit/.test(line)).every((line) => line.includes('(situs, opening,'))).toBe(true);
  }, 120_000);
});
