/**
 * The live bot's wiring: `run` as a child process with settings.alerts pointing
 * at a fake SMTP server and a fake Telegram Bot API. A bad config edit must
 * reach staff on both, once, and no secret may reach the logs or the ledger.
 * (Real waiting: the child runs on the wall clock and watches real files.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFakeSmtpServer, type FakeSmtpServer } from '../fakes/fake-smtp-server';
import { startFakeTelegramServer, type FakeTelegramServer } from '../fakes/fake-telegram-server';
import { REPO_ROOT, startCli } from '../support/cli';
import { waitFor } from '../support/process';

const SECRETS = {
  ALERT_SMTP_USER: 'alerts@kanim.example',
  ALERT_SMTP_PASSWORD: 'smtp-RECOGNISABLE-run-password',
  ALERT_TELEGRAM_TOKEN: '777:TG-RECOGNISABLE-run-token',
};
const CHAT = '-1004445556667';

describe('alerts: run delivers alerts by e-mail and Telegram', () => {
  let dir: string;
  let smtp: FakeSmtpServer;
  let telegram: FakeTelegramServer;

  beforeAll(async () => {
    smtp = await startFakeSmtpServer({ login: { user: SECRETS.ALERT_SMTP_USER, password: SECRETS.ALERT_SMTP_PASSWORD } });
    telegram = await startFakeTelegramServer({ token: SECRETS.ALERT_TELEGRAM_TOKEN, chats: [CHAT] });
  });
  afterAll(async () => {
    await smtp.close();
    await telegram.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reports an invalid config edit once on both sinks, and leaks no secret', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-run-alerts-'));
    const configDir = path.join(dir, 'config');
    const dataDir = path.join(dir, 'data');
    fs.mkdirSync(configDir);
    const herald = `${fs.readFileSync(path.join(REPO_ROOT, 'config', 'herald.yaml'), 'utf8')}  alerts:
    email:
      host: 127.0.0.1
      port: ${smtp.port}
      from: herald@kanim.example
      to: [humas@kanim.example]
      credentials: { user: ALERT_SMTP_USER, password: ALERT_SMTP_PASSWORD }
    telegram:
      chatId: ${CHAT}
      credentials: { botToken: ALERT_TELEGRAM_TOKEN }
      baseUrl: ${telegram.url}
`;
    fs.writeFileSync(path.join(configDir, 'herald.yaml'), herald);
    // The sample calendar and its CSV import: one problem only, the typo below.
    for (const file of ['calendar.yaml', 'kuota.csv']) fs.copyFileSync(path.join(REPO_ROOT, 'config', file), path.join(configDir, file));

    const child = startCli(['run', '--config', configDir, '--data', dataDir], { env: { ...SECRETS, LOG_LEVEL: 'debug' } });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await waitFor(() => child.output().stderr.includes('quota-herald running'), 20_000, () => `the bot to start:\n${child.output().stderr}`);

      // A typo staff might make; saved twice, as editors do.
      const broken = herald.replace('  renderAheadMinutes: 10', '  renderAheadMinutez: 10');
      fs.writeFileSync(path.join(configDir, 'herald.yaml'), broken);
      await waitFor(() => telegram.messages.length >= 1 && smtp.mails.length >= 1, 20_000, () => `the alerts:\n${child.output().stderr}`);
      fs.writeFileSync(path.join(configDir, 'herald.yaml'), `${broken}\n`);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);

    expect(telegram.messages).toHaveLength(1);
    expect(smtp.mails).toHaveLength(1);
    expect(telegram.messages[0]!.text).toContain('Kantor Imigrasi Kelas I TPI Pontianak: config-invalid');
    expect(telegram.messages[0]!.text).toContain('the last good schedule keeps running');
    expect(telegram.messages[0]!.text).toContain('renderAheadMinutez');
    expect(smtp.mails[0]!.subject).toMatch(/^\[quota-herald\] config-invalid: the config edit has 1 problem\(s\)/);
    expect(smtp.mails[0]!.to).toEqual(['humas@kanim.example']);

    const stored = fs.readdirSync(dataDir).filter((name) => fs.statSync(path.join(dataDir, name)).isFile()).map((name) => fs.readFileSync(path.join(dataDir, name)).toString('latin1'));
    const everywhere = [child.output().stderr, child.output().stdout, ...stored].join('\n');
    expect(everywhere).toContain('alert delivered');
    for (const secret of [SECRETS.ALERT_SMTP_PASSWORD, SECRETS.ALERT_TELEGRAM_TOKEN, Buffer.from(SECRETS.ALERT_SMTP_PASSWORD).toString('base64')]) {
      expect(everywhere).not.toContain(secret);
    }
  });
});
