import path from 'node:path';
import { createAlertSenders } from '../../src/alerts/create-senders';
import { loadConfig } from '../../src/config/load';
import { MINIMAL_HERALD, MINIMAL_TEMPLATES, errorsOf, problemAt, writeTempDir } from '../config/helpers';

/** herald.yaml with `settings:` appended at line 12 (`alerts:` on 13, its first key on 14). */
function load(settings: string) {
  const dir = writeTempDir({ 'herald.yaml': `${MINIMAL_HERALD}settings:\n${settings}`, ...MINIMAL_TEMPLATES });
  return { ...loadConfig(dir), file: path.join(dir, 'herald.yaml') };
}

const VALID = `  alerts:
    email:
      host: smtp.example.go.id
      port: 465
      from: herald@example.go.id
      to: [pr@example.go.id]
      credentials: { user: ALERT_SMTP_USER, password: ALERT_SMTP_PASSWORD }
    telegram:
      chatId: -1001234567890
      credentials: { botToken: ALERT_TELEGRAM_TOKEN }
`;

describe('config: settings.alerts', () => {
  it('reads e-mail and Telegram with their defaults', () => {
    const { config, problems, file } = load(VALID);
    expect(errorsOf(problems)).toEqual([]);
    expect(config!.settings.alerts).toEqual({
      email: {
        host: 'smtp.example.go.id',
        port: 465,
        secure: true, // port 465 is TLS from the first byte
        from: 'herald@example.go.id',
        to: ['pr@example.go.id'],
        credentials: { user: 'ALERT_SMTP_USER', password: 'ALERT_SMTP_PASSWORD' },
      },
      telegram: { chatId: '-1001234567890', credentials: { botToken: 'ALERT_TELEGRAM_TOKEN' }, baseUrl: 'https://api.telegram.org' },
      rateLimit: { max: 10, windowMinutes: 10 },
      location: { file, line: 14, col: 5 },
    });
  });

  it('has no alert settings when none are written', () => {
    const { config } = load('  horizonDays: 35\n');
    expect(config!.settings.alerts).toBeUndefined();
  });

  it('reports unknown keys with a hint, at their line', () => {
    const { config, problems, file } = load(VALID.replace('    telegram:', '    telegarm:').replace('port: 465', 'port: 465\n      tls: true'));
    expect(config).toBeNull();
    expect(problemAt(problems, file, 17, 7).message).toContain('unknown key `tls`');
    expect(problemAt(problems, file, 21, 5).message).toMatch(/unknown key `telegarm`.*Did you mean `telegram`\?/s);
  });

  it('refuses a secret written where an environment variable name belongs, and a missing name', () => {
    const { problems, file } = load(
      VALID.replace('password: ALERT_SMTP_PASSWORD', 'password: hunter2-secret').replace('{ botToken: ALERT_TELEGRAM_TOKEN }', '{}'),
    );
    const literal = problemAt(problems, file, 19, 55).message;
    expect(literal).toContain('name an environment variable');
    expect(literal).not.toContain('hunter2');
    expect(problemAt(problems, file, 22, 20).message).toMatch(/botToken/);
    const onlyUser = load(VALID.replace(', password: ALERT_SMTP_PASSWORD', ''));
    expect(problemAt(onlyUser.problems, onlyUser.file, 19, 20).message).toMatch(/password/);
  });

  it('checks addresses, the chat id and the Telegram base URL', () => {
    const { problems, file } = load(
      VALID.replace('to: [pr@example.go.id]', 'to: [pr-at-example]').replace('chatId: -1001234567890', 'chatId: "office alerts"').replace(
        '      credentials: { botToken',
        '      baseUrl: "ftp://proxy"\n      credentials: { botToken',
      ),
    );
    expect(problemAt(problems, file, 18, 12).message).toContain('write a plain e-mail address');
    expect(problemAt(problems, file, 21, 15).message).toContain('a number (-1001234567890 for a group) or @channelname');
    expect(problemAt(problems, file, 22, 16).message).toContain('is not an http(s) address');
  });

  it('turns a sink off, naming the variable, when its secret is not set; never the other secrets', () => {
    const { config } = load(VALID);
    const env = { ALERT_SMTP_USER: 'alerts@example.go.id', ALERT_SMTP_PASSWORD: '   ', ALERT_TELEGRAM_TOKEN: '42:TG-RECOGNISABLE' };
    const { senders, problems } = createAlertSenders(config!.settings.alerts, { env, fetch });
    expect(senders.map((s) => s.name)).toEqual(['telegram']);
    expect(problems).toEqual([expect.stringMatching(/herald\.yaml:14:5: e-mail alerts are off: environment variable ALERT_SMTP_PASSWORD is not set/)]);
    expect(problems.join('')).not.toContain('TG-RECOGNISABLE');
    senders.forEach((s) => s.close());
  });
});
