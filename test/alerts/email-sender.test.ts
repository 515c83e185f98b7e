import { composeNotice } from '../../src/alerts/alert-notice';
import { AlertDeliveryError } from '../../src/alerts/alert-sender';
import { createEmailSender } from '../../src/alerts/email-sender';
import type { EmailAlertSettings } from '../../src/config/types';
import { startFakeSmtpServer, type FakeSmtpServer } from '../fakes/fake-smtp-server';
import { closedPort } from './support';

const LOGIN = { user: 'alerts@kanim.example', password: 'smtp-RECOGNISABLE-password-77' };
const BASE64_PASSWORD = Buffer.from(LOGIN.password).toString('base64');

function settings(host: string, port: number): EmailAlertSettings {
  return {
    host,
    port,
    secure: false,
    from: 'herald@kanim.example',
    to: ['pr@kanim.example', 'it@kanim.example'],
    credentials: { user: 'ALERT_SMTP_USER', password: 'ALERT_SMTP_PASSWORD' },
  };
}

const notice = composeNotice(
  {
    kind: 'auth',
    message: 'x-main: X refused the access token (401): create a new token pair in the developer portal, put it in .env and restart — Instagram and X posts wait until then',
    post: { id: 'p-1a2b', channelId: 'x-main', dueAt: new Date('2026-11-27T06:00:00Z'), deadline: new Date('2026-11-27T07:00:00Z') },
  },
  { name: 'Kantor Imigrasi Kelas I TPI Pontianak', zone: 'Asia/Pontianak' },
  new Date('2026-11-27T05:59:00Z'),
);

async function failureOf(promise: Promise<void>): Promise<AlertDeliveryError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AlertDeliveryError);
  return error as AlertDeliveryError;
}

describe('alerts/email-sender', () => {
  let server: FakeSmtpServer;
  const live = new AbortController();

  afterEach(() => server.close());

  it.each([['PLAIN'], ['LOGIN']] as const)('logs in with AUTH %s and mails every recipient', async (mechanism) => {
    server = await startFakeSmtpServer({ login: LOGIN, mechanisms: [mechanism] });
    const sender = createEmailSender({ settings: settings(server.host, server.port), auth: LOGIN });
    await sender.send(notice, live.signal);
    sender.close();

    expect(server.auths).toEqual([{ mechanism, user: LOGIN.user, ok: true }]);
    expect(server.mails).toHaveLength(1);
    const mail = server.mails[0]!;
    expect(mail.from).toBe('herald@kanim.example');
    expect(mail.to).toEqual(['pr@kanim.example', 'it@kanim.example']);
    expect(mail.subject).toBe('[quota-herald] auth: x-main: X refused the access token (401): create a new token pair in…');
    expect(mail.text).toContain('Kantor Imigrasi Kelas I TPI Pontianak: auth');
    expect(mail.text).toContain('put it in .env and restart');
    expect(mail.text).toContain('Post: p-1a2b on x-main, due Jum 27 Nov 13.00 WIB, deadline Jum 27 Nov 14.00 WIB');
    expect(mail.text).toContain('quota-herald status');
    expect(mail.raw).not.toContain(LOGIN.password);
  });

  it('mails through a relay without login', async () => {
    server = await startFakeSmtpServer();
    const { credentials: _none, ...open } = settings(server.host, server.port);
    const sender = createEmailSender({ settings: open });
    await sender.send(notice, live.signal);
    sender.close();
    expect(server.mails).toHaveLength(1);
    expect(server.mails[0]!.user).toBeNull();
  });

  it('a refused login is permanent and names the variables, never the password', async () => {
    server = await startFakeSmtpServer({ login: LOGIN });
    const wrong = { user: LOGIN.user, password: 'wrong-RECOGNISABLE-password' };
    const sender = createEmailSender({ settings: settings(server.host, server.port), auth: wrong });
    const error = await failureOf(sender.send(notice, live.signal));
    sender.close();
    expect(error.options.permanent).toBe(true);
    expect(error.message).toContain('ALERT_SMTP_USER and ALERT_SMTP_PASSWORD');
    expect(error.message).not.toContain(wrong.password);
    expect(error.message).not.toContain(Buffer.from(`\0${wrong.user}\0${wrong.password}`).toString('base64'));
    expect(server.mails).toHaveLength(0);
  });

  it('never sends the password in cleartext to a server that is not on this machine', async () => {
    server = await startFakeSmtpServer({ login: LOGIN });
    // 0.0.0.0 reaches the fake on 127.0.0.1 but is not a loopback name: STARTTLS is required.
    const sender = createEmailSender({ settings: settings('0.0.0.0', server.port), auth: LOGIN });
    const error = await failureOf(sender.send(notice, live.signal));
    sender.close();
    expect(error.message).toContain('0.0.0.0');
    expect(error.message).toMatch(/STARTTLS|TLS/);
    expect(server.auths).toEqual([]);
    expect(server.transcript.join('\n')).not.toContain(BASE64_PASSWORD);
    expect(server.mails).toHaveLength(0);
  });

  it.each([
    ['greeting-421', false],
    ['data-451', false],
    ['drop-after-data', false],
    ['data-554', true],
  ] as const)('fault %s: permanent %s', async (kind, permanent) => {
    server = await startFakeSmtpServer({ login: LOGIN });
    server.faults.push({ kind });
    const sender = createEmailSender({ settings: settings(server.host, server.port), auth: LOGIN, timeoutMs: 2_000 });
    const error = await failureOf(sender.send(notice, live.signal));
    sender.close();
    expect(error.options.permanent).toBe(permanent);
    expect(error.message).not.toContain(LOGIN.password);
    expect(server.mails).toHaveLength(0);
  });

  it('a server that is down is transient', async () => {
    server = await startFakeSmtpServer();
    const sender = createEmailSender({ settings: settings('127.0.0.1', await closedPort()), auth: LOGIN });
    const error = await failureOf(sender.send(notice, live.signal));
    sender.close();
    expect(error.options.permanent).toBe(false);
    expect(error.message).toMatch(/could not send through the SMTP server 127\.0\.0\.1:\d+ \(ESOCKET: connect ECONNREFUSED/);
  });
});
