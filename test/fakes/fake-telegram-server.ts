/**
 * A fake Telegram Bot API on 127.0.0.1, for the alert sink (sendMessage to a
 * staff chat) and the channel driver (posts to a channel):
 *
 * - `POST /bot<token>/<method>` with a JSON or a multipart body (parsed by
 *   undici's real multipart parser, as the Bot API accepts uploads);
 * - `sendMessage`, `sendPhoto` (a `photo` file part: PNG or JPEG, ≤ 10 MB),
 *   `sendMediaGroup` (`media` JSON of 2–10 InputMediaPhoto whose
 *   `attach://<name>` must each name a file part), `getMe`, `getChat`,
 *   `getChatMember`;
 * - Telegram's answers: `{"ok":true,"result":…}` or `{"ok":false,"error_code",
 *   "description","parameters":{"retry_after"}}`; captions over 1,024 and texts
 *   over 4,096 UTF-16 units refused as Telegram does; message ids counted per
 *   chat (shared by every method, as in Telegram), an album's messages with
 *   consecutive ids and one media_group_id;
 * - who may post: a channel accepts posts only from a bot that is its
 *   administrator with `can_post_messages` (else 400 "need administrator
 *   rights"), a bot that left or was kicked gets 403;
 * - faults on the next call that sends (sendMessage, sendPhoto,
 *   sendMediaGroup), before or AFTER the message is stored (`after: true`: the
 *   unclear case), and a revoked token (401 on every call).
 *
 * Assumed rather than verified: the exact 400 texts for a bad album and a bad
 * image (Telegram's wording varies), and that a 429 carries no Retry-After
 * header (the Bot API documents only `parameters.retry_after`).
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeTelegramPhoto {
  bytes: Buffer;
  mime: string;
  fileName: string;
}

export interface FakeTelegramMessage {
  chatId: string;
  /** The text of a sendMessage, or the caption of a photo ('' when none). */
  text: string;
  messageId: number;
  method: 'sendMessage' | 'sendPhoto' | 'sendMediaGroup';
  photo: FakeTelegramPhoto | null;
  mediaGroupId: string | null;
  /** `parse_mode` as sent (null: plain text), of the message or its album item. */
  parseMode: string | null;
  /** The fake's clock when it was stored. */
  at: Date;
}

/** One post as the channel's readers see it: a message, or an album of several. */
export interface FakeTelegramPost {
  chatId: string;
  text: string;
  messageIds: number[];
  photos: FakeTelegramPhoto[];
  at: Date;
}

/** One misbehaviour of the next call that sends (then removed). */
export type TelegramFault =
  | { kind: 'status'; status: 500 | 502 | 503; after?: boolean }
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  /** The socket is destroyed before any answer; with `after`, once the message is stored. */
  | { kind: 'drop'; after?: boolean }
  /** Never answers (the client's timeout must fire); with `after`, once the message is stored. */
  | { kind: 'hang'; after?: boolean }
  /** 200 with a body that is not JSON; with `after`, once the message is stored. */
  | { kind: 'malformed'; after?: boolean }
  /** Answers correctly after `ms`. */
  | { kind: 'slow'; ms: number };

export type BotStatus = 'creator' | 'administrator' | 'member' | 'left' | 'kicked';

/** A chat the bot knows. A plain string in `chats` is a group where the bot may write (the alert sink's case). */
export interface FakeTelegramChat {
  /** `-100…` */
  id: string;
  type?: 'channel' | 'group' | 'supergroup' | 'private';
  title?: string;
  /** Public channels have one; `@username` then addresses the chat too. */
  username?: string;
  botStatus?: BotStatus;
  canPostMessages?: boolean;
}

export interface FakeTelegramServerOptions {
  token: string;
  chats: (string | FakeTelegramChat)[];
  /** The fake's clock (message dates); default: the wall clock. */
  now?: () => Date;
  bot?: { id: number; username: string };
}

export interface FakeTelegramServer {
  /** `http://127.0.0.1:PORT`: the baseUrl. */
  readonly url: string;
  /** Every stored message (an album's photos each one), oldest first. */
  readonly messages: FakeTelegramMessage[];
  /** Every call to a sending method, answered or not (outcome: `ok`, `429`, `drop`, …). */
  readonly calls: { at: number; outcome: string; method: string }[];
  /** Every request by method, reads included (`getMe`, `sendPhoto`, …), in order. */
  readonly requests: string[];
  readonly faults: TelegramFault[];
  /** Emits `message` (FakeTelegramMessage) per stored message, `post` (FakeTelegramPost) per stored post, `call` on every sending call. */
  readonly events: EventEmitter;
  readonly bot: { id: number; username: string };
  /** What the public sees: messages grouped into posts (an album is one post). */
  posts(chatId?: string): FakeTelegramPost[];
  /** The bot token stops working (revoked in @BotFather): every call answers 401. */
  revokeToken(): void;
  /** Change the bot's membership of a chat (removed, rights taken away). */
  setBotStatus(chatId: string, status: BotStatus, canPostMessages?: boolean): void;
  /** Empties messages, calls, faults and counters; restores the token and the chats. */
  reset(): void;
  close(): Promise<void>;
}

const CAPTION_MAX = 1024;
const parseModeOf = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const TEXT_MAX = 4096;
const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
const SENDING = new Set(['sendMessage', 'sendPhoto', 'sendMediaGroup']);

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
  ) {
    super(description);
  }
}

export async function startFakeTelegramServer(options: FakeTelegramServerOptions): Promise<FakeTelegramServer> {
  const now = options.now ?? (() => new Date());
  const bot = options.bot ?? { id: 7_000_000_001, username: 'herald_test_bot' };
  const initialChats = (): FakeTelegramChat[] =>
    options.chats.map((chat) => (typeof chat === 'string' ? { id: chat, type: 'group', title: `chat ${chat}`, botStatus: 'member' } : { botStatus: 'administrator', canPostMessages: true, type: 'channel', ...chat }));
  let chats = initialChats();
  const messages: FakeTelegramMessage[] = [];
  const calls: { at: number; outcome: string; method: string }[] = [];
  const requests: string[] = [];
  const faults: TelegramFault[] = [];
  const events = new EventEmitter();
  const hanging = new Set<http.ServerResponse>();
  const nextId = new Map<string, number>();
  let groups = 0;
  let revoked = false;

  const findChat = (chatId: unknown): FakeTelegramChat => {
    const key = String(chatId ?? '');
    const chat = chats.find((c) => c.id === key || (c.username !== undefined && `@${c.username}` === key));
    if (!chat) throw new Refusal(400, 'Bad Request: chat not found');
    return chat;
  };

  /** Telegram's checks of who may write in `chat`. */
  const mayPost = (chat: FakeTelegramChat): void => {
    if (chat.botStatus === 'kicked') throw new Refusal(403, `Forbidden: bot was kicked from the ${chat.type} chat`);
    if (chat.botStatus === 'left') throw new Refusal(403, `Forbidden: bot is not a member of the ${chat.type} chat`);
    if (chat.type === 'channel' && chat.botStatus !== 'creator' && !(chat.botStatus === 'administrator' && chat.canPostMessages)) {
      throw new Refusal(400, 'Bad Request: need administrator rights in the channel chat');
    }
  };

  const store = (chat: FakeTelegramChat, items: Omit<FakeTelegramMessage, 'chatId' | 'messageId' | 'at'>[]): FakeTelegramMessage[] => {
    const at = now();
    const stored = items.map((item) => {
      const messageId = nextId.get(chat.id) ?? 1;
      nextId.set(chat.id, messageId + 1);
      const message = { ...item, chatId: chat.id, messageId, at };
      messages.push(message);
      events.emit('message', message);
      return message;
    });
    events.emit('post', toPost(stored));
    return stored;
  };

  const chatJson = (chat: FakeTelegramChat) => ({ id: Number(chat.id), type: chat.type, title: chat.title ?? `chat ${chat.id}`, ...(chat.username ? { username: chat.username } : {}) });
  const messageJson = (chat: FakeTelegramChat, message: FakeTelegramMessage) => ({
    message_id: message.messageId,
    date: Math.floor(message.at.getTime() / 1000),
    chat: chatJson(chat),
    ...(chat.type === 'channel' ? { sender_chat: chatJson(chat) } : { from: { id: bot.id, is_bot: true, first_name: 'Herald', username: bot.username } }),
    ...(message.mediaGroupId ? { media_group_id: message.mediaGroupId } : {}),
    ...(message.photo
      ? { photo: [{ file_id: `AgAC-${chat.id}-${message.messageId}`, file_unique_id: `AQAD${message.messageId}`, width: 1080, height: 1350, file_size: message.photo.bytes.length }], ...(message.text ? { caption: message.text } : {}) }
      : { text: message.text }),
  });

  /** The body as Telegram reads it: JSON, or multipart with files. */
  async function readBody(req: http.IncomingMessage, raw: Buffer): Promise<{ fields: Record<string, unknown>; files: Map<string, FakeTelegramPhoto> }> {
    const type = req.headers['content-type'] ?? '';
    const files = new Map<string, FakeTelegramPhoto>();
    if (type.startsWith('multipart/form-data')) {
      let form: FormData;
      try {
        form = await new Response(raw, { headers: { 'content-type': type } }).formData();
      } catch {
        throw new Refusal(400, "Bad Request: can't parse multipart/form-data");
      }
      const fields: Record<string, unknown> = {};
      for (const [name, value] of form.entries()) {
        if (typeof value === 'string') fields[name] = value;
        else files.set(name, { bytes: Buffer.from(await value.arrayBuffer()), mime: value.type, fileName: value.name });
      }
      return { fields, files };
    }
    if (raw.length === 0) return { fields: {}, files };
    try {
      return { fields: JSON.parse(raw.toString('utf8')) as Record<string, unknown>, files };
    } catch {
      throw new Refusal(400, "Bad Request: can't parse JSON");
    }
  }

  const checkPhoto = (photo: FakeTelegramPhoto | undefined): FakeTelegramPhoto => {
    if (!photo) throw new Refusal(400, 'Bad Request: there is no photo in the request');
    if (photo.bytes.length > PHOTO_MAX_BYTES) throw new Refusal(400, 'Bad Request: file is too big');
    const png = photo.bytes.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const jpeg = photo.bytes[0] === 0xff && photo.bytes[1] === 0xd8;
    if (!png && !jpeg) throw new Refusal(400, 'Bad Request: IMAGE_PROCESS_FAILED');
    return photo;
  };

  const checkCaption = (caption: unknown): string => {
    if (caption === undefined) return '';
    const text = String(caption);
    if (text.length > CAPTION_MAX) throw new Refusal(400, 'Bad Request: message caption is too long');
    return text;
  };

  /** Checks a sending call and returns what to store, without storing it. */
  function prepareSend(method: string, fields: Record<string, unknown>, files: Map<string, FakeTelegramPhoto>): { chat: FakeTelegramChat; items: Omit<FakeTelegramMessage, 'chatId' | 'messageId' | 'at'>[] } {
    const chat = findChat(fields.chat_id);
    mayPost(chat);
    if (method === 'sendMessage') {
      const text = typeof fields.text === 'string' ? fields.text : '';
      if (text.length === 0) throw new Refusal(400, 'Bad Request: message text is empty');
      if (text.length > TEXT_MAX) throw new Refusal(400, 'Bad Request: message is too long');
      return { chat, items: [{ text, method, photo: null, mediaGroupId: null, parseMode: parseModeOf(fields.parse_mode) }] };
    }
    if (method === 'sendPhoto') {
      const text = checkCaption(fields.caption);
      return { chat, items: [{ text, method, photo: checkPhoto(files.get('photo')), mediaGroupId: null, parseMode: parseModeOf(fields.parse_mode) }] };
    }
    let media: { type?: unknown; media?: unknown; caption?: unknown; parse_mode?: unknown }[];
    try {
      media = JSON.parse(String(fields.media ?? '')) as typeof media;
    } catch {
      throw new Refusal(400, "Bad Request: can't parse media JSON object");
    }
    if (!Array.isArray(media) || media.length < 2 || media.length > 10) throw new Refusal(400, 'Bad Request: wrong number of media in the album: 2-10 expected');
    const groupId = `1398${String(++groups).padStart(12, '0')}`;
    const items = media.map((item) => {
      if (item.type !== 'photo') throw new Refusal(400, 'Bad Request: unsupported media type in the album');
      const attach = /^attach:\/\/(.+)$/.exec(String(item.media ?? ''));
      if (!attach) throw new Refusal(400, 'Bad Request: wrong file identifier/HTTP URL specified');
      return { text: checkCaption(item.caption), method: 'sendMediaGroup' as const, photo: checkPhoto(files.get(attach[1]!)), mediaGroupId: groupId, parseMode: parseModeOf(item.parse_mode) };
    });
    return { chat, items };
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer): Promise<void> {
    const answer = (status: number, body: unknown): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const refuse = (status: number, description: string, extra: object = {}): void => answer(status, { ok: false, error_code: status, description, ...extra });
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) return refuse(404, 'Not Found');
    const method = match[2]!;
    requests.push(method);
    const sending = SENDING.has(method);
    const record = (outcome: string): void => {
      if (!sending) return;
      calls.push({ at: Date.now(), outcome, method });
      events.emit('call', outcome);
    };
    if (decodeURIComponent(match[1]!) !== options.token || revoked) {
      record('401');
      return refuse(401, 'Unauthorized');
    }
    const fault = sending ? faults.shift() : undefined;
    const before = fault && !('after' in fault && fault.after);
    if (before && fault.kind === 'drop') return void (record('drop'), req.socket.destroy());
    if (before && fault.kind === 'hang') return void (record('hang'), hanging.add(res));
    if (before && fault.kind === 'malformed') return void (record('malformed'), res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":tru'));
    if (before && fault.kind === 'status') {
      record(String(fault.status));
      return refuse(fault.status, fault.status === 502 ? 'Bad Gateway' : 'Internal Server Error');
    }
    if (fault?.kind === 'rate-limit') {
      record('429');
      return refuse(429, `Too Many Requests: retry after ${fault.retryAfterSeconds}`, { parameters: { retry_after: fault.retryAfterSeconds } });
    }
    if (fault?.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, fault.ms));

    let result: unknown;
    try {
      const { fields, files } = await readBody(req, raw);
      if (method === 'getMe') {
        result = { id: bot.id, is_bot: true, first_name: 'Herald', username: bot.username, can_join_groups: true };
      } else if (method === 'getChat') {
        result = { ...chatJson(findChat(fields.chat_id)), accent_color_id: 0, max_reaction_count: 11 };
      } else if (method === 'getChatMember') {
        const chat = findChat(fields.chat_id);
        if (Number(fields.user_id) !== bot.id) throw new Refusal(400, 'Bad Request: user not found');
        const user = { id: bot.id, is_bot: true, first_name: 'Herald', username: bot.username };
        result =
          chat.botStatus === 'administrator'
            ? { status: 'administrator', user, can_be_edited: false, is_anonymous: false, can_manage_chat: true, can_post_messages: chat.canPostMessages === true, can_edit_messages: true, can_delete_messages: true }
            : { status: chat.botStatus, user };
      } else if (sending) {
        const { chat, items } = prepareSend(method, fields, files);
        const stored = store(chat, items);
        const answerJson = method === 'sendMediaGroup' ? stored.map((m) => messageJson(chat, m)) : messageJson(chat, stored[0]!);
        if (fault && 'after' in fault && fault.after) {
          // The message is public; only its answer goes wrong.
          if (fault.kind === 'drop') return void (record('drop-after'), req.socket.destroy());
          if (fault.kind === 'hang') return void (record('hang-after'), hanging.add(res));
          if (fault.kind === 'malformed') return void (record('malformed-after'), res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":tru'));
          if (fault.kind === 'status') {
            record(`${fault.status}-after`);
            return refuse(fault.status, fault.status === 502 ? 'Bad Gateway' : 'Internal Server Error');
          }
        }
        result = answerJson;
      } else {
        throw new Refusal(404, 'Not Found: method not found');
      }
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      record(String(error.status));
      return refuse(error.status, error.description);
    }
    record('ok');
    answer(200, { ok: true, result });
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks)).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error_code: 500, description: `Internal Server Error: ${String(error)}` }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  function toPost(group: FakeTelegramMessage[]): FakeTelegramPost {
    return { chatId: group[0]!.chatId, text: group.find((m) => m.text !== '')?.text ?? '', messageIds: group.map((m) => m.messageId), photos: group.flatMap((m) => (m.photo ? [m.photo] : [])), at: group[0]!.at };
  }

  return {
    url: `http://127.0.0.1:${port}`,
    messages,
    calls,
    requests,
    faults,
    events,
    bot,
    posts(chatId) {
      const posts: FakeTelegramPost[] = [];
      let album: FakeTelegramMessage[] = [];
      const flush = (): void => {
        if (album.length > 0) posts.push(toPost(album));
        album = [];
      };
      for (const message of messages) {
        if (chatId !== undefined && message.chatId !== chatId) continue;
        if (message.mediaGroupId === null || album[0]?.mediaGroupId !== message.mediaGroupId) flush();
        album.push(message);
      }
      flush();
      return posts;
    },
    revokeToken: () => {
      revoked = true;
    },
    setBotStatus(chatId, status, canPostMessages = false) {
      const chat = findChat(chatId);
      chat.botStatus = status;
      chat.canPostMessages = canPostMessages;
    },
    reset() {
      messages.length = 0;
      calls.length = 0;
      requests.length = 0;
      faults.length = 0;
      nextId.clear();
      hanging.forEach((res) => res.destroy());
      hanging.clear();
      chats = initialChats();
      revoked = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        hanging.forEach((res) => res.destroy());
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
