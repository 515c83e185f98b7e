/**
 * A fake Telegram Bot API on 127.0.0.1: `POST /bot<token>/sendMessage` with
 * Telegram's JSON answers (ok/result, ok:false with error_code, description and
 * parameters.retry_after), and faults on request through `faults`.
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeTelegramMessage {
  chatId: string;
  text: string;
  messageId: number;
}

/** One misbehaviour, used by the next sendMessage call (then removed). */
export type TelegramFault =
  | { kind: 'status'; status: 500 | 502 | 503 }
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  /** The socket is destroyed before any answer. */
  | { kind: 'drop' }
  /** Never answers (the client's timeout must fire). */
  | { kind: 'hang' }
  /** 200 with a body that is not JSON. */
  | { kind: 'malformed' };

export interface FakeTelegramServer {
  /** `http://127.0.0.1:PORT`: the sink's baseUrl. */
  readonly url: string;
  readonly messages: FakeTelegramMessage[];
  /** Every sendMessage call, answered or not. */
  readonly calls: { at: number; outcome: string }[];
  readonly faults: TelegramFault[];
  /** Emits `message` (FakeTelegramMessage) when one is accepted, `call` on every request. */
  readonly events: EventEmitter;
  /** The bot token stops working (revoked in @BotFather): every call answers 401. */
  revokeToken(): void;
  close(): Promise<void>;
}

export async function startFakeTelegramServer(options: { token: string; chats: string[] }): Promise<FakeTelegramServer> {
  const messages: FakeTelegramMessage[] = [];
  const calls: { at: number; outcome: string }[] = [];
  const faults: TelegramFault[] = [];
  const events = new EventEmitter();
  const hanging = new Set<http.ServerResponse>();
  let revoked = false;

  const answer = (res: http.ServerResponse, status: number, body: unknown, outcome: string): void => {
    calls.push({ at: Date.now(), outcome });
    events.emit('call', outcome);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const refuse = (res: http.ServerResponse, status: number, description: string, extra: object = {}): void =>
    answer(res, status, { ok: false, error_code: status, description, ...extra }, `${status}`);

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const match = /^\/bot([^/]+)\/sendMessage$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !match) return refuse(res, 404, 'Not Found');
      if (decodeURIComponent(match[1]!) !== options.token || revoked) return refuse(res, 401, 'Unauthorized');
      const fault = faults.shift();
      if (fault?.kind === 'drop') {
        calls.push({ at: Date.now(), outcome: 'drop' });
        events.emit('call', 'drop');
        return req.socket.destroy();
      }
      if (fault?.kind === 'hang') {
        calls.push({ at: Date.now(), outcome: 'hang' });
        events.emit('call', 'hang');
        hanging.add(res);
        return;
      }
      if (fault?.kind === 'malformed') {
        calls.push({ at: Date.now(), outcome: 'malformed' });
        events.emit('call', 'malformed');
        return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":tru');
      }
      if (fault?.kind === 'status') return refuse(res, fault.status, fault.status === 502 ? 'Bad Gateway' : 'Internal Server Error');
      if (fault?.kind === 'rate-limit') {
        return refuse(res, 429, `Too Many Requests: retry after ${fault.retryAfterSeconds}`, { parameters: { retry_after: fault.retryAfterSeconds } });
      }
      let body: { chat_id?: unknown; text?: unknown };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
      } catch {
        return refuse(res, 400, "Bad Request: can't parse JSON");
      }
      const chatId = String(body.chat_id ?? '');
      if (!options.chats.includes(chatId)) return refuse(res, 400, 'Bad Request: chat not found');
      if (typeof body.text !== 'string' || body.text.length === 0) return refuse(res, 400, 'Bad Request: message text is empty');
      if (body.text.length > 4096) return refuse(res, 400, 'Bad Request: message is too long');
      const message = { chatId, text: body.text, messageId: messages.length + 1 };
      messages.push(message);
      events.emit('message', message);
      answer(res, 200, { ok: true, result: { message_id: message.messageId, chat: { id: chatId }, text: body.text } }, 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    messages,
    calls,
    faults,
    events,
    revokeToken: () => {
      revoked = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        hanging.forEach((res) => res.destroy());
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
