/**
 * A fake SMTP server on 127.0.0.1 speaking enough of RFC 5321 for nodemailer:
 * greeting, EHLO/HELO, AUTH PLAIN and LOGIN (checked against one login),
 * MAIL/RCPT/DATA with dot-unstuffing, RSET, NOOP, QUIT. No STARTTLS: clients
 * that insist on TLS must refuse to log in here. Faults through `faults`.
 */
import { EventEmitter } from 'node:events';
import net from 'node:net';

export interface FakeSmtpMail {
  /** The login used, if any. */
  user: string | null;
  from: string;
  to: string[];
  /** Decoded header values (lower-case names) and body text. */
  headers: Record<string, string>;
  subject: string;
  text: string;
  /** The message exactly as sent after DATA (dot-unstuffed). */
  raw: string;
}

/** One misbehaviour for the next session that reaches the step (then removed). */
export type SmtpFault =
  /** 421 at connect: the service is not available now. */
  | { kind: 'greeting-421' }
  /** 451 after the message data: a temporary local error. */
  | { kind: 'data-451' }
  /** 554 after the message data: rejected for good. */
  | { kind: 'data-554' }
  /** The connection drops after the message data, before any answer. */
  | { kind: 'drop-after-data' };

export interface FakeSmtpServer {
  readonly host: string;
  readonly port: number;
  readonly mails: FakeSmtpMail[];
  /** Every AUTH attempt: the mechanism and whether it passed (never the password). */
  readonly auths: { mechanism: string; user: string; ok: boolean }[];
  /** Every line the clients sent (for "no secret in cleartext" checks). */
  readonly transcript: string[];
  readonly faults: SmtpFault[];
  /** Emits `mail` (FakeSmtpMail) when one is accepted. */
  readonly events: EventEmitter;
  close(): Promise<void>;
}

export interface FakeSmtpOptions {
  /** The one login accepted; absent: no AUTH advertised (an open relay). */
  login?: { user: string; password: string };
  /** Mechanisms advertised (default PLAIN LOGIN). */
  mechanisms?: ('PLAIN' | 'LOGIN')[];
}

export async function startFakeSmtpServer(options: FakeSmtpOptions = {}): Promise<FakeSmtpServer> {
  const mails: FakeSmtpMail[] = [];
  const auths: FakeSmtpServer['auths'] = [];
  const transcript: string[] = [];
  const faults: SmtpFault[] = [];
  const events = new EventEmitter();
  const sockets = new Set<net.Socket>();
  const mechanisms = options.mechanisms ?? ['PLAIN', 'LOGIN'];
  const takeFault = (kinds: SmtpFault['kind'][]): SmtpFault | undefined => {
    const index = faults.findIndex((fault) => kinds.includes(fault.kind));
    return index < 0 ? undefined : faults.splice(index, 1)[0];
  };

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const reply = (line: string): void => void socket.write(`${line}\r\n`);
    if (takeFault(['greeting-421'])) {
      reply('421 fake.smtp Service not available, try again later');
      socket.end();
      return;
    }
    reply('220 fake.smtp ESMTP ready');

    let user: string | null = null;
    let from: string | null = null;
    let to: string[] = [];
    let inData = false;
    let data: string[] = [];
    /** A multi-step AUTH LOGIN in progress. */
    let login: { step: 'user' | 'password'; user?: string } | null = null;
    let buffered = '';

    const checkLogin = (mechanism: string, name: string, password: string): void => {
      const ok = options.login !== undefined && name === options.login.user && password === options.login.password;
      auths.push({ mechanism, user: name, ok });
      if (ok) {
        user = name;
        reply('235 2.7.0 Authentication successful');
      } else {
        reply('535 5.7.8 Authentication credentials invalid');
      }
    };

    const finishData = (): void => {
      inData = false;
      const raw = data.join('\r\n');
      data = [];
      const fault = takeFault(['data-451', 'data-554', 'drop-after-data']);
      if (fault?.kind === 'drop-after-data') return void socket.destroy();
      if (fault?.kind === 'data-451') return reply('451 4.3.0 Local error in processing, try again');
      if (fault?.kind === 'data-554') return reply('554 5.7.1 Message rejected');
      const mail = { user, from: from ?? '', to, ...parseMessage(raw), raw };
      mails.push(mail);
      events.emit('mail', mail);
      from = null;
      to = [];
      reply('250 2.0.0 Ok: queued');
    };

    const handle = (line: string): void => {
      if (inData) {
        if (line === '.') return finishData();
        data.push(line.startsWith('..') ? line.slice(1) : line);
        return;
      }
      transcript.push(line);
      if (login) {
        const value = Buffer.from(line, 'base64').toString('utf8');
        if (login.step === 'user') {
          login = { step: 'password', user: value };
          return reply('334 UGFzc3dvcmQ6');
        }
        const name = login.user ?? '';
        login = null;
        return checkLogin('LOGIN', name, value);
      }
      const [verb = '', ...rest] = line.split(' ');
      const argument = rest.join(' ');
      switch (verb.toUpperCase()) {
        case 'EHLO':
          return reply(['250-fake.smtp greets you', ...(options.login ? [`250-AUTH ${mechanisms.join(' ')}`] : []), '250-8BITMIME', '250 SMTPUTF8'].join('\r\n'));
        case 'HELO':
          return reply('250 fake.smtp');
        case 'AUTH': {
          const [mechanism = '', initial] = argument.split(' ');
          if (!options.login || !mechanisms.includes(mechanism.toUpperCase() as 'PLAIN')) return reply('504 5.5.4 Unrecognized authentication type');
          if (mechanism.toUpperCase() === 'PLAIN') {
            if (!initial) return reply('334 ');
            const [, name = '', password = ''] = Buffer.from(initial, 'base64').toString('utf8').split('\0');
            return checkLogin('PLAIN', name, password);
          }
          if (initial) {
            login = { step: 'password', user: Buffer.from(initial, 'base64').toString('utf8') };
            return reply('334 UGFzc3dvcmQ6');
          }
          login = { step: 'user' };
          return reply('334 VXNlcm5hbWU6');
        }
        case 'MAIL':
          if (options.login && !user) return reply('530 5.7.0 Authentication required');
          from = /<([^>]*)>/.exec(argument)?.[1] ?? '';
          return reply('250 2.1.0 Ok');
        case 'RCPT':
          if (from === null) return reply('503 5.5.1 MAIL first');
          to.push(/<([^>]*)>/.exec(argument)?.[1] ?? '');
          return reply('250 2.1.5 Ok');
        case 'DATA':
          if (to.length === 0) return reply('503 5.5.1 RCPT first');
          inData = true;
          return reply('354 End data with <CR><LF>.<CR><LF>');
        case 'RSET':
          from = null;
          to = [];
          return reply('250 2.0.0 Ok');
        case 'NOOP':
          return reply('250 2.0.0 Ok');
        case 'QUIT':
          reply('221 2.0.0 Bye');
          return void socket.end();
        default:
          return reply('502 5.5.2 Command not recognized');
      }
    };

    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      for (let end = buffered.indexOf('\r\n'); end >= 0; end = buffered.indexOf('\r\n')) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        handle(line);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    mails,
    auths,
    transcript,
    faults,
    events,
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((socket) => socket.destroy());
        server.close(() => resolve());
      }),
  };
}

/** Headers (unfolded, encoded-words decoded) and the body (transfer encoding undone). */
function parseMessage(raw: string): { headers: Record<string, string>; subject: string; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split + 4);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = decodeWords(line.slice(colon + 1).trim());
  }
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const bytes =
    encoding === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64')
    : encoding === 'quoted-printable' ? decodeQuotedPrintable(body)
    : Buffer.from(body, 'utf8');
  return { headers, subject: headers.subject ?? '', text: bytes.toString('utf8').replace(/\r\n/g, '\n') };
}

/** RFC 2047 `=?UTF-8?B?…?=` / `=?UTF-8?Q?…?=`; adjacent words join without the space between them. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_all, _charset: string, kind: string, text: string) =>
      kind.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeQuotedPrintable(text.replace(/_/g, ' ')).toString('utf8'),
    );
}

function decodeQuotedPrintable(text: string): Buffer {
  const soft = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3);
    if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes);
}
