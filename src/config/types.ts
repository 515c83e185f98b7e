/**
 * The validated, frozen configuration every later stage reads. Produced only by
 * `loadConfig` (src/config/load.ts); nothing downstream re-validates.
 *
 * Instants are `Date`s in UTC; local wall times are `HH:mm` strings that always
 * travel with the office's IANA zone.
 */
import type { SourceLocation } from '../errors';
import type { PlainDate, Weekday } from '../time/plain-date';

export interface Config {
  /** Absolute path of the config directory. */
  dir: string;
  /** Absolute path of the templates directory in use. */
  templatesDir: string;
  offices: OfficeConfig[];
  settings: Settings;
}

export interface Settings {
  /** Render captions and cards this many minutes before a post is due (default 10). */
  renderAheadMinutes: number;
  /** Planning horizon for the scheduler and `check` (default 35 days). */
  horizonDays: number;
  /** Cron expression (croner, like the digests) for the periodic re-plan, in the first office's zone (default every 10 minutes). */
  replanCron: string;
  /** The built-in media server Instagram fetches images from; absent when no channel needs it. */
  mediaServer?: { publicBaseUrl: string; host: string; port: number };
  /** The web server of `run` and `serve` (`settings.web`); absent: the defaults (web/web-settings.ts). */
  web?: WebSettings;
  /** Alert sinks besides the log and `status`; absent when none is configured. */
  alerts?: AlertSettings;
  /** Default daily cap per platform (`settings.dailyCaps`); a channel's own `dailyCap` wins. Already applied to `ChannelConfig.dailyCap`. */
  dailyCaps?: DailyCaps;
  /** `settings.approval` when it requires approval; absent: posts go out without one. Many offices: every office's default. */
  approval?: ApprovalSettings;
}

/** Staff approve posts before they go out (`settings.approval`). */
export interface ApprovalSettings {
  /** Each post needs its approval this long before it is due: the cut-off, when staff are alerted. */
  hoursBefore: number;
  /** Rule ids whose posts need approval (`correction`, `cancellation` for corrections); null: every rule. */
  rules: readonly string[] | null;
  location: SourceLocation;
}

/** `settings.web`, defaults applied. */
export interface WebSettings {
  /**
   * Where the public pages are reached (`settings.web.publicBaseUrl`), no
   * trailing slash: cards carry a QR code to `{publicBaseUrl}/v/{CODE}`.
   * Absent: cards print only their verification code.
   */
  publicBaseUrl?: string;
  host: string;
  port: number;
  /** The environment variable holding /metrics' bearer token (web/metrics-access.ts); absent: loopback only. */
  metricsToken?: string;
  /** The session cookie is `Secure` (HTTPS behind a reverse proxy). */
  secureCookies: boolean;
  /** Fastify's trustProxy: false, true, or the proxies' addresses/CIDRs. */
  trustProxy: boolean | string[];
  /** Days the console audit log is kept; older entries are deleted by the hourly clean-up (app/console-cleanup.ts). */
  auditRetentionDays: number;
}

/** Posts per rolling 24 h, per platform. */
export type DailyCaps = Partial<Record<Exclude<PlatformName, 'generic'>, number>>;

/** Where alerts go besides the log and `status` (`settings.alerts` in herald.yaml). */
export interface AlertSettings {
  email?: EmailAlertSettings;
  telegram?: TelegramAlertSettings;
  /** At most `max` alerts per window and sink; the rest are summed up in one message. */
  rateLimit: { max: number; windowMinutes: number };
  location: SourceLocation;
}

/** SMTP delivery. Credentials are names of environment variables, never the secrets. */
export interface EmailAlertSettings {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS, required except on loopback. */
  secure: boolean;
  from: string;
  to: string[];
  credentials?: { user: string; password: string };
}

/** Telegram Bot API `sendMessage`. The token is named by an environment variable. */
export interface TelegramAlertSettings {
  /** Numeric chat id or `@channelname`, as text. */
  chatId: string;
  credentials: { botToken: string };
  /** Bot API origin; default https://api.telegram.org. */
  baseUrl: string;
}

export interface OfficeConfig {
  id: string;
  name: string;
  /** Short name for cards and tight captions, e.g. "Imigrasi Pontianak". */
  shortName: string;
  /** IANA zone, e.g. `Asia/Pontianak`. */
  timezone: string;
  /** BCP 47 locale for dates and numbers, e.g. `id-ID`. */
  locale: string;
  /** Free-form facts the templates may show: booking app, website, address, hashtags. */
  info: OfficeInfo;
  services: ServiceConfig[];
  channels: ChannelConfig[];
  holidays: HolidaySettings;
  announcements: AnnouncementRule[];
  digests: DigestRule[];
  calendar: CalendarConfig;
  location: SourceLocation;
  /** Many-office layout: the office's own folder (config/offices/ID). */
  dir?: string;
  /**
   * Many-office layout: where its templates are looked up, most specific first
   * (its `templates/`, the shared one, the shipped one). Absent: `Config.templatesDir`.
   */
  templateDirs?: readonly string[];
  /** Many-office layout: the office's own alert recipients (`settings.alerts` of its herald.yaml), besides the global ones. */
  alerts?: AlertSettings;
  /** Many-office layout: the office's own planning horizon (`settings.horizonDays` of its herald.yaml); absent: the deployment's. */
  horizonDays?: number;
  /** Whether (and which of) this office's posts need approval: its own `settings.approval`, else the deployment's; absent: none. */
  approval?: ApprovalSettings;
}

export interface OfficeInfo {
  /** Where the public books: "aplikasi M-Paspor". */
  bookingChannel?: string;
  website?: string;
  address?: string;
  /** For the public index of offices (not in post facts: a city added later re-renders nothing). */
  city?: string;
  phone?: string;
  hashtags: string[];
}

export interface ServiceConfig {
  id: string;
  /** Full name shown in captions: "Paspor Reguler". */
  name: string;
  /** Short label for card tables: "Reguler". */
  shortName: string;
  location: SourceLocation;
}

/** Every driver a channel may name (../shared/CONTRACT.md "Channels": extend, never rename). */
export const CHANNEL_DRIVER_NAMES = ['outbox', 'x', 'instagram', 'facebook', 'telegram', 'threads', 'mastodon', 'bluesky', 'webhook'] as const;
export type ChannelDriverName = (typeof CHANNEL_DRIVER_NAMES)[number];
/** Whose limits, counting and templates apply: each platform driver's own, `generic` for the outbox unless it stands in for one. */
export const PLATFORM_NAMES = ['x', 'instagram', 'facebook', 'telegram', 'threads', 'mastodon', 'bluesky', 'webhook', 'generic'] as const;
export type PlatformName = (typeof PLATFORM_NAMES)[number];

export interface ChannelConfig {
  id: string;
  driver: ChannelDriverName;
  /** The platform whose limits and image format apply; the outbox stands in for it. */
  platform: PlatformName;
  /** Override the driver's API host (a proxy, or a fake server on 127.0.0.1). */
  baseUrl?: string;
  /** Names of environment variables holding credentials; values never appear in YAML. */
  credentials: Record<string, string>;
  enabled: boolean;
  /** Posts per rolling 24 h: its own, else `settings.dailyCaps` of its platform (the office's, else the shared one); absent: the platform's cap. */
  dailyCap?: number;
  /** US$ per post, for `check`'s cost estimate (X). */
  pricing?: { perPost: number; perPostWithUrl: number };
  /** Instagram: which login issued the token (host graph.instagram.com or graph.facebook.com). */
  login?: 'instagram' | 'facebook';
  /** Instagram: Graph API version, e.g. `v23.0`. */
  apiVersion?: string;
  /** Instagram and Threads: the account (IG user / Threads user) id. */
  accountId?: string;
  /** Facebook: the Page id. */
  pageId?: string;
  /** Telegram: the channel, `@username` or its numeric id (`-100…`). */
  chatId?: string;
  /** Bluesky: the account handle (`kanim.bsky.social`) or DID that signs in. */
  handle?: string;
  /** Webhook: the https address that receives each post. */
  url?: string;
  location: SourceLocation;
}

export interface HolidaySettings {
  /** ISO country for `date-holidays`, e.g. `ID`; null disables national holidays. */
  country: string | null;
  region?: string;
  /** Holidays on which the office opens anyway. */
  openAnyway: PlainDate[];
}

/** When to announce relative to a release. */
export type AnnouncementTiming =
  /** `minutes` before opening (0 = at opening). */
  | { kind: 'before-opening'; minutes: number }
  /** `days` calendar days before the opening day, at local `time`. */
  | { kind: 'days-before'; days: number; time: string };

export interface AnnouncementRule {
  id: string;
  timing: AnnouncementTiming;
  /** Channel ids. */
  channels: string[];
  /** Template name: captions/NAME.hbs, cards/NAME.svg.hbs, alt/NAME.hbs. */
  template: string;
  /**
   * Minutes after opening after which the post is worthless. Default: 0 for posts
   * before opening (a "opens in 60 minutes" post is useless once open), 60 for posts
   * at opening.
   */
  deadlineMinutesAfterOpening: number;
  /** Skip cancelled releases (default true); a cancellation post covers them. */
  location: SourceLocation;
}

export interface DigestRule {
  id: string;
  /** Five-field cron expression in the office zone, e.g. `0 18 * * 0`. */
  cron: string;
  /** Days covered, starting the day after the digest is posted (default 7). */
  rangeDays: number;
  /** Start of the covered range relative to the post day (default 1 = tomorrow). */
  startOffsetDays: number;
  channels: string[];
  template: string;
  /** Minutes after the due time after which the digest is not posted (default 180). */
  deadlineMinutes: number;
  location: SourceLocation;
}

/** Per-service counts for one service day: service id → count. */
export type QuotaCounts = Record<string, number>;

export interface CalendarConfig {
  releases: ExplicitRelease[];
  recurring: RecurringRelease[];
  closures: Closure[];
  /** Rows merged in from CSV files, already grouped into releases. */
  imported: ExplicitRelease[];
}

export interface ExplicitRelease {
  /** Stable id; explicit in YAML or derived from the opening time. */
  id: string;
  /** Local wall time of the opening, in the office zone. */
  opensAt: { date: PlainDate; time: string };
  closesAt?: { date: PlainDate; time: string };
  days: {
    date: PlainDate;
    quota: QuotaCounts;
    location: SourceLocation;
    /** Where each service's count is written when that differs per service (one CSV row each). */
    quotaLocations?: Record<string, SourceLocation>;
  }[];
  note?: string;
  cancelled: boolean;
  cancelReason?: string;
  origin: 'explicit' | 'csv';
  location: SourceLocation;
}

export type RecurrencePattern =
  /** Every week on `weekday` at `time`; covers `weekdays` of the week `weeksAhead` later (1 = next week). */
  | { every: 'weekly'; weekday: Weekday; weeksAhead: number }
  /** Every month on `day` (1–31, clamped to the month end) or the last working day; covers the month `monthsAhead` later. */
  | { every: 'monthly'; day: number | 'last-working-day'; monthsAhead: number }
  /**
   * Twice a month on `days[0]` and `days[1]`; the release on the first day covers
   * days[1]..end of the same month, the one on the second covers 1..days[1]-1 of the next.
   */
  | { every: 'twice-monthly'; days: [number, number] };

export interface RecurringRelease {
  id: string;
  pattern: RecurrencePattern;
  /** Local opening time `HH:mm`. */
  time: string;
  /** Minutes after opening when booking closes; absent = open until full. */
  closesAfterMinutes?: number;
  /** Weekdays of the covered period that are service days. */
  weekdays: Weekday[];
  quota: QuotaCounts;
  /** First and last opening dates this rule produces (inclusive); open-ended if absent. */
  from?: PlainDate;
  until?: PlainDate;
  /** Opening dates on which this rule does not open (the release is cancelled, shown as such). */
  cancelledOn: { date: PlainDate; reason?: string }[];
  note?: string;
  location: SourceLocation;
}

export interface Closure {
  from: PlainDate;
  to: PlainDate;
  reason: string;
  location: SourceLocation;
}
