/**
 * A fake platform as the fault tests use it: started in the test process, one
 * channel of the fault office's herald.yaml, its posts as the public would see
 * them, and faults armed on the call that creates a post. One file per driver,
 * `test/faults/platforms/<driver>.platform.ts` exporting `startPlatform`;
 * test/faults/six-channels.test.ts puts every such platform in one office.
 */

/** A misbehaviour of the next call that creates a post (then disarmed). */
export type ArmedFault =
  /** 500/502/503 before anything is created: the driver must retry. */
  | 'server-error'
  /** 429 with the platform's own retry header or field: retried after it, before the deadline. */
  | 'rate-limit'
  /** The post IS created, then the connection is destroyed before the answer: an unclear outcome. */
  | 'drop-after-create'
  /** Answers correctly, but only after a few seconds. */
  | 'slow';

export interface PublishedCopy {
  /** The text as the platform shows it (caption, status, record text, payload text). */
  text: string;
  /** When the platform created it (the test's wall clock). */
  at: Date;
  /** The id the driver gets back and the ledger records. */
  remoteId: string;
}

export interface FaultPlatform {
  /** The channel id in the fault office (also the driver name). */
  readonly id: string;
  /** Environment variables the bot needs, with recognisable values: none may leak into logs or files. */
  readonly secrets: Readonly<Record<string, string>>;
  /** The channel as one YAML flow mapping, e.g. `{ id: mastodon, driver: mastodon, baseUrl: "http://127.0.0.1:1234", credentials: { accessToken: MASTODON_TOKEN } }`. */
  readonly channelYaml: string;
  /** What is public on the platform now, oldest first. */
  published(): PublishedCopy[];
  /** The route names of every call received so far (`POST /api/v1/statuses`), oldest first. */
  calls(): string[];
  /** The route of the call that creates a post: the test kills the bot when it arrives. */
  readonly createRoute: string;
  /**
   * Arms `fault` for the next call to `createRoute`. false when this platform
   * cannot produce it (say why in the file): the test then skips that fault here.
   */
  arm(fault: ArmedFault): boolean;
  close(): Promise<void>;
}

/** What every `<driver>.platform.ts` exports. `mediaBaseUrl`: where the bot's media server serves cards (for platforms that fetch them). */
export type StartPlatform = (options: { mediaBaseUrl: string }) => Promise<FaultPlatform>;
