/**
 * What the fake X remembers: the account, uploaded media, created tweets and
 * every request. Exposed on the server so tests (and the next issue's fault
 * tests and benchmark) can assert on what X would hold.
 */

export interface FakeXUser {
  id: string;
  username: string;
  name: string;
}

export interface FakeXMedia {
  id: string;
  mediaKey: string;
  mime: string;
  category: string;
  totalBytes: number;
  /** Appended segments by segment_index; `bytes` joins them in order. */
  segments: Map<number, Buffer>;
  bytes: Buffer;
  finalized: boolean;
  /** STATUS polls left before processing succeeds. */
  pollsLeft: number;
  altText: string | null;
  receivedAt: Date;
}

export interface FakeXTweet {
  id: string;
  text: string;
  mediaIds: string[];
  /** X's `created_at`, from the fake's clock (`now`). */
  createdAt: Date;
  /** Wall-clock moment the POST /2/tweets request reached the server (its headers: the first bytes). */
  receivedAt: Date;
  /** The same moment in epoch milliseconds with sub-millisecond resolution, for benchmarks. */
  receivedAtMs: number;
}

export interface FakeXRequestRecord {
  method: string;
  /** Route template: `POST /2/media/upload/:id/append`; `?` when no route matched. */
  route: string;
  path: string;
  status: number | null;
  /** Why a request was refused with 401, for tests (never sent to the client). */
  authProblem: string | null;
  receivedAt: Date;
}

/** One misbehaviour, consumed by the next request(s) to `route`. */
export interface XFault {
  /** `METHOD /2/path` as in FakeXRequestRecord.route, e.g. `POST /2/tweets`. */
  route: string;
  /** Answer with this status (and `body`, or X's standard problem body for it). */
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long (real time) before answering. */
  delayMs?: number;
  /** Answer only once this settles: a test holds the request in flight as long as it needs. */
  until?: Promise<unknown>;
  /** Never answer; the connection stays open until the client gives up or the server closes. */
  hang?: boolean;
  /** Destroy the connection instead of answering. */
  drop?: boolean;
  /** Answer 200 with a body that is not JSON. */
  malformedJson?: boolean;
  /** Do the real work first (the tweet IS created, the media IS stored), then misbehave. */
  afterEffect?: boolean;
  /** How many requests it hits (default 1). */
  times?: number;
}

let counter = 0n;
/** Snowflake-like ids: 19 digits, increasing, unique within the process. */
export function nextSnowflake(): string {
  counter += 1n;
  return (1_861_000_000_000_000_000n + counter * 4096n).toString();
}
