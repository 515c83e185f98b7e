/**
 * herald.yaml → the office part of `Config`: defaults filled in, references
 * between rules and channels checked, templates and cron expressions verified.
 */
import Holidays from 'date-holidays';
import type {
  AlertSettings,
  AnnouncementRule,
  ApprovalSettings,
  AnnouncementTiming,
  ChannelConfig,
  DigestRule,
  HolidaySettings,
  OfficeConfig,
  PlatformName,
  ServiceConfig,
  Settings,
  WebSettings,
} from './types';
import { isValidTimeZone } from '../time/zone';
import {
  checkCron,
  checkDuplicateIds,
  checkTemplate,
  normalizeTime,
  isRecord,
  rawIdEntries,
  rawIds,
  rawItems,
  salvage,
  salvageList,
  type Checker,
} from './checks';
import {
  announcementSchema,
  channelSchema,
  digestSchema,
  holidaysSchema,
  officeSchema,
  serviceSchema,
  settingsSchema,
  type AlertsInput,
  type AnnouncementInput,
  type ApprovalInput,
  type ChannelInput,
} from './schema';
import { didYouMean } from './suggest';
import { checkPublicBaseUrl } from './public-address';
import { getFontSet } from '../render/fonts';
import { verifyAddressProblem } from '../render/verify-view';
import { webhookUrlProblem } from '../channels/webhook/webhook-url';

/** `settings.web` when not written: loopback only, a reverse proxy in front for anything else. */
export const DEFAULT_WEB: WebSettings = { host: '127.0.0.1', port: 8080, secureCookies: false, trustProxy: false, auditRetentionDays: 366 };

export const DEFAULT_SETTINGS: Settings = { renderAheadMinutes: 10, horizonDays: 35, replanCron: '*/10 * * * *' };

/** The office without its calendar, plus the ids other files may refer to. */
export interface HeraldResult {
  office: Omit<OfficeConfig, 'calendar'> | undefined;
  settings: Settings;
  /** Service ids as written (valid entries or not), for quota references in calendar.yaml. */
  serviceIds: string[];
}

export interface NormalizeHeraldOptions {
  /**
   * Many-office layout: the deployment's settings (config/herald.yaml) under
   * the office's own (office-settings.ts: which ones an office may set).
   */
  inheritedSettings?: Settings;
}

/** Normalises the parsed herald.yaml; problems go to `checker`. `templatesDir` may list layers, most specific first. */
export function normalizeHerald(checker: Checker, templatesDir: string | readonly string[], options: NormalizeHeraldOptions = {}): HeraldResult {
  const base = options.inheritedSettings ?? DEFAULT_SETTINGS;
  const raw = (checker.source.data ?? {}) as Record<string, unknown>;
  const serviceIds = rawIds(raw.services);
  const channelIds = rawIds(raw.channels);

  checkOfficeRaw(checker, isRecord(raw.office) ? raw.office : {});
  const office = salvage(officeSchema, raw.office);

  const services = salvageList(serviceSchema, raw.services).map(({ value, index }): ServiceConfig => ({
    id: value.id,
    name: value.name,
    shortName: value.shortName ?? value.name,
    location: checker.at(['services', index]),
  }));
  checkDuplicateIds(checker, rawIdEntries(raw.services, 'services'), 'service');

  const channels = salvageList(channelSchema, raw.channels).map(({ value, index }) => normalizeChannel(checker, value, index));
  checkDuplicateIds(checker, rawIdEntries(raw.channels, 'channels'), 'channel');

  const holidays = normalizeHolidays(checker, raw.holidays);

  // References are checked on the raw entries: an entry with some other
  // mistake still gets its unknown channel or missing template reported.
  for (const list of ['announcements', 'digests'] as const) {
    for (const { item, index } of rawItems(raw[list])) checkRuleRefs(checker, item, [list, index], channelIds, templatesDir);
  }
  const announcements = salvageList(announcementSchema, raw.announcements).flatMap(({ value, index }) => {
    const rule = normalizeAnnouncement(checker, value, index);
    return rule ? [rule] : [];
  });

  const digests = salvageList(digestSchema, raw.digests).map(({ value, index }): DigestRule => ({
    id: value.id,
    cron: value.cron,
    rangeDays: value.rangeDays ?? 7,
    startOffsetDays: value.startOffsetDays ?? 1,
    channels: value.channels,
    template: value.template ?? value.id,
    deadlineMinutes: value.deadlineMinutes ?? 180,
    location: checker.at(['digests', index]),
  }));
  // Rule ids name posts in the ledger: an announcement and a digest must not share one.
  checkDuplicateIds(
    checker,
    [...rawIdEntries(raw.announcements, 'announcements'), ...rawIdEntries(raw.digests, 'digests')],
    'rule',
  );

  const settings = normalizeSettings(checker, raw.settings, base);
  checkApprovalRules(checker, raw.settings, [...rawIds(raw.announcements), ...rawIds(raw.digests)]);
  channels.forEach((channel, index) => {
    const platformCap = channel.platform === 'generic' ? undefined : settings.dailyCaps?.[channel.platform];
    if (channel.dailyCap === undefined && platformCap !== undefined) channel.dailyCap = platformCap;
    if (channel.driver === 'instagram' && channel.enabled && !settings.mediaServer) {
      checker.error(['channels', index, 'driver'], 'the instagram driver needs the media server: Instagram fetches each image from a public https address. Add settings.mediaServer.publicBaseUrl (see README, "Connect Instagram").');
    }
    if (channel.driver === 'instagram' && !channel.accountId && !channel.credentials.userId) {
      checker.error(['channels', index], 'an instagram channel needs its account id: add accountId (the IG user id, a number) or credentials.userId naming an environment variable.');
    }
    if (channel.driver === 'webhook') {
      const problem = channel.url === undefined ? 'a webhook channel needs url: the https address of the receiver (see README, "Connect a webhook").' : webhookUrlProblem(channel.url);
      if (problem) checker.error(['channels', index, ...(channel.url === undefined ? [] : ['url'])], problem);
      if (!channel.credentials.secret) checker.error(['channels', index], 'a webhook channel needs credentials.secret: the NAME of the environment variable holding its whsec_… signing secret.');
    }
  });

  if (!office || !holidays) return { office: undefined, settings, serviceIds };
  return {
    office: {
      id: office.id,
      name: office.name,
      shortName: office.shortName ?? office.name,
      timezone: office.timezone,
      locale: office.locale ?? 'id-ID',
      info: {
        ...(office.info?.bookingChannel === undefined ? {} : { bookingChannel: office.info.bookingChannel }),
        ...(office.info?.website === undefined ? {} : { website: office.info.website }),
        ...(office.info?.address === undefined ? {} : { address: office.info.address }),
        ...(office.info?.city === undefined ? {} : { city: office.info.city }),
        ...(office.info?.phone === undefined ? {} : { phone: office.info.phone }),
        // Staff paste hashtags with or without '#'; templates add it.
        hashtags: (office.info?.hashtags ?? []).map((tag) => tag.replace(/^#+/, '')),
      },
      services,
      channels,
      holidays,
      announcements,
      digests,
      location: checker.at(['office']),
      ...(settings.approval ? { approval: settings.approval } : {}),
    },
    settings,
    serviceIds,
  };
}

/**
 * `settings` of a herald.yaml with defaults from `base`: the whole file's in
 * the one-office layout, the deployment's (config/herald.yaml) in the
 * many-office one.
 */
export function normalizeSettings(checker: Checker, rawSettings: unknown, base: Settings = DEFAULT_SETTINGS): Settings {
  const raw = { settings: rawSettings };
  const settingsInput = raw.settings === undefined ? {} : salvage(settingsSchema, raw.settings);
  const settings: Settings = {
    renderAheadMinutes: settingsInput?.renderAheadMinutes ?? base.renderAheadMinutes,
    horizonDays: settingsInput?.horizonDays ?? base.horizonDays,
    replanCron: settingsInput?.replanCron ?? base.replanCron,
    ...(base.mediaServer ? { mediaServer: base.mediaServer } : {}),
    ...(base.web ? { web: base.web } : {}),
  };
  const web = settingsInput?.web;
  if (web) {
    const at = ['settings', 'web', 'publicBaseUrl'];
    const publicBaseUrl =
      web.publicBaseUrl === undefined
        ? undefined
        : checkPublicBaseUrl(checker, at, web.publicBaseUrl, 'the QR code on every card leads there, and a phone opens it from anywhere');
    const unprintable = publicBaseUrl === undefined ? null : verifyAddressProblem(publicBaseUrl, getFontSet());
    if (unprintable) checker.error(at, unprintable);
    settings.web = {
      ...(publicBaseUrl === undefined ? {} : { publicBaseUrl }),
      host: web.host ?? DEFAULT_WEB.host,
      port: web.port ?? DEFAULT_WEB.port,
      ...(web.metricsToken === undefined ? {} : { metricsToken: web.metricsToken }),
      secureCookies: web.secureCookies ?? DEFAULT_WEB.secureCookies,
      trustProxy: web.trustProxy ?? DEFAULT_WEB.trustProxy,
      auditRetentionDays: web.auditRetentionDays ?? DEFAULT_WEB.auditRetentionDays,
    };
  }
  // Per platform: an office that sets only its X cap keeps the shared Instagram one.
  const dailyCaps = { ...base.dailyCaps, ...settingsInput?.dailyCaps };
  if (Object.keys(dailyCaps).length > 0) settings.dailyCaps = dailyCaps;
  const media = settingsInput?.mediaServer;
  if (media) {
    // Instagram fetches images itself, over the public internet, and only over HTTPS.
    const publicBaseUrl = checkPublicBaseUrl(checker, ['settings', 'mediaServer', 'publicBaseUrl'], media.publicBaseUrl, 'Instagram only fetches images over HTTPS');
    settings.mediaServer = { publicBaseUrl, host: media.host ?? '127.0.0.1', port: media.port ?? 8787 };
  }
  // On the raw entry: a mistake elsewhere in `alerts` must not hide this one.
  const rawTelegram = isRecord(raw.settings) && isRecord(raw.settings.alerts) ? raw.settings.alerts.telegram : undefined;
  if (isRecord(rawTelegram) && typeof rawTelegram.baseUrl === 'string' && !isHttpUrl(rawTelegram.baseUrl)) {
    checker.error(['settings', 'alerts', 'telegram', 'baseUrl'], `\`${rawTelegram.baseUrl}\` is not an http(s) address: write e.g. http://127.0.0.1:8081, or remove baseUrl.`);
  }
  // An office's `approval` replaces the shared one as a whole (`required: false` turns it off).
  const approval = settingsInput?.approval ? normalizeApproval(checker, settingsInput.approval) : base.approval;
  if (approval) settings.approval = approval;
  if (settingsInput?.alerts) {
    const alerts = normalizeAlerts(checker, settingsInput.alerts);
    if (alerts) settings.alerts = alerts;
  }
  const replanCron = isRecord(raw.settings) ? raw.settings.replanCron : undefined;
  if (typeof replanCron === 'string') checkCron(checker, replanCron, ['settings', 'replanCron']);
  return settings;
}

function checkOfficeRaw(checker: Checker, office: Record<string, unknown>): void {
  if (typeof office.timezone === 'string' && !isValidTimeZone(office.timezone)) {
    checker.error(['office', 'timezone'],
      `unknown time zone \`${office.timezone}\`: use an IANA name such as Asia/Pontianak (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT).`);
  }
  if (typeof office.locale === 'string' && !isValidLocale(office.locale)) {
    checker.error(['office', 'locale'], `unknown locale \`${office.locale}\`: use a language tag such as id-ID or en-US.`);
  }
}

function checkRuleRefs(
  checker: Checker,
  rule: Record<string, unknown>,
  at: (string | number)[],
  channelIds: string[],
  templatesDir: string | readonly string[],
): void {
  if (Array.isArray(rule.channels)) {
    if (rule.channels.length === 0) checker.warn([...at, 'channels'], 'this rule lists no channels, so it never posts: add channel ids or remove the rule.');
    rule.channels.forEach((channel: unknown, i) => {
      if (typeof channel === 'string' && !channelIds.includes(channel)) {
        checker.error([...at, 'channels', i],
          `unknown channel \`${channel}\`: add it under \`channels\` in herald.yaml or use one of ${channelIds.join(', ') || '(none defined)'}.${didYouMean(channel, channelIds)}`);
      }
    });
  }
  const template = typeof rule.template === 'string' ? rule.template : rule.template === undefined ? rule.id : undefined;
  if (typeof template === 'string' && TEMPLATE_NAME.test(template)) {
    checkTemplate(checker, templatesDir, template, [...at, rule.template === undefined ? 'id' : 'template']);
  }
  if (typeof rule.cron === 'string') checkCron(checker, rule.cron, [...at, 'cron']);
}

const TEMPLATE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function normalizeChannel(checker: Checker, value: ChannelInput, index: number): ChannelConfig {
  const at = ['channels', index];
  if (value.baseUrl !== undefined && !isHttpUrl(value.baseUrl)) {
    checker.error([...at, 'baseUrl'], `\`${value.baseUrl}\` is not an http(s) address: write e.g. http://127.0.0.1:8080, or remove baseUrl.`);
  }
  const platform: PlatformName = value.platform ?? (value.driver === 'outbox' ? 'generic' : value.driver);
  return {
    id: value.id,
    driver: value.driver,
    platform,
    ...(value.baseUrl === undefined ? {} : { baseUrl: value.baseUrl }),
    credentials: value.credentials ?? {},
    enabled: value.enabled ?? true,
    ...(value.dailyCap === undefined ? {} : { dailyCap: value.dailyCap }),
    ...(value.pricing === undefined ? {} : { pricing: value.pricing }),
    ...(value.login === undefined ? {} : { login: value.login }),
    ...(value.apiVersion === undefined ? {} : { apiVersion: value.apiVersion }),
    ...(value.accountId === undefined ? {} : { accountId: value.accountId }),
    ...(value.pageId === undefined ? {} : { pageId: value.pageId }),
    ...(value.chatId === undefined ? {} : { chatId: value.chatId }),
    ...(value.handle === undefined ? {} : { handle: value.handle }),
    ...(value.url === undefined ? {} : { url: value.url }),
    location: checker.at(at),
  };
}

function normalizeHolidays(checker: Checker, raw: unknown): HolidaySettings | undefined {
  if (raw === undefined) return { country: null, openAnyway: [] };
  const value = salvage(holidaysSchema, raw);
  if (!value) return undefined;
  if (value.country !== null) {
    const countries = Object.keys(new Holidays().getCountries());
    const code = value.country.toUpperCase();
    if (!countries.includes(code)) {
      checker.error(['holidays', 'country'],
        `unknown holiday country \`${value.country}\`: use a two-letter country code such as ID, or null for no national holidays.${didYouMean(value.country, countries)}`);
    }
    return {
      country: code,
      ...(value.region === undefined ? {} : { region: value.region }),
      openAnyway: value.openAnyway ?? [],
    };
  }
  return { country: null, openAnyway: value.openAnyway ?? [] };
}

function normalizeAnnouncement(checker: Checker, value: AnnouncementInput, index: number): AnnouncementRule | undefined {
  const at = ['announcements', index, 'when'];
  const { daysBefore, minutesBefore, atOpening } = value.when;
  const forms = [daysBefore !== undefined, minutesBefore !== undefined, atOpening !== undefined].filter(Boolean).length;
  if (forms !== 1) {
    checker.error(at, forms === 0
      ? 'say when to post: { daysBefore: 1, at: "19:00" }, { minutesBefore: 60 } or { atOpening: true }.'
      : 'give only one of daysBefore, minutesBefore or atOpening: write a second rule for a second post.');
    return undefined;
  }
  let timing: AnnouncementTiming;
  if (daysBefore !== undefined) {
    if (value.when.at === undefined) {
      checker.error(at, `add the time of day to post: { daysBefore: ${daysBefore}, at: "19:00" }.`);
      return undefined;
    }
    timing = { kind: 'days-before', days: daysBefore, time: normalizeTime(value.when.at) };
  } else {
    if (value.when.at !== undefined) {
      checker.error([...at, 'at'], '`at` goes with daysBefore only: remove it, or post N days before at that time.');
    }
    timing = { kind: 'before-opening', minutes: minutesBefore ?? 0 };
  }
  const atOpeningTime = timing.kind === 'before-opening' && timing.minutes === 0;
  return {
    id: value.id,
    timing,
    channels: value.channels,
    template: value.template ?? value.id,
    deadlineMinutesAfterOpening: value.deadlineMinutesAfterOpening ?? (atOpeningTime ? 60 : 0),
    location: checker.at(['announcements', index]),
  };
}

const DEFAULT_APPROVAL_HOURS = 24;
/** The rule ids of correction and cancellation posts (plan/corrections.ts CORRECTION_RULE, CANCELLATION_RULE). */
const CORRECTION_RULES = ['correction', 'cancellation'];

/** `settings.approval` with defaults; undefined when it turns approval off. */
function normalizeApproval(checker: Checker, value: ApprovalInput): ApprovalSettings | undefined {
  if (value.required === false) return undefined;
  return {
    hoursBefore: value.hoursBefore ?? DEFAULT_APPROVAL_HOURS,
    rules: value.rules ? [...new Set(value.rules)] : null,
    location: checker.at(['settings', 'approval']),
  };
}

/**
 * Every rule `settings.approval.rules` names is one of this file's rules (as
 * written: the shared ones in the many-office layout) or a correction: a
 * misspelt id would silently let that rule's posts out unapproved.
 */
export function checkApprovalRules(checker: Checker, rawSettings: unknown, ruleIds: string[]): void {
  const approval = isRecord(rawSettings) ? rawSettings.approval : undefined;
  if (!isRecord(approval) || !Array.isArray(approval.rules)) return;
  const known = [...ruleIds, ...CORRECTION_RULES];
  approval.rules.forEach((rule: unknown, index) => {
    if (typeof rule === 'string' && !known.includes(rule)) {
      checker.error(['settings', 'approval', 'rules', index],
        `unknown rule \`${rule}\`: name an announcement or digest rule of this office (${ruleIds.join(', ') || 'none defined'}), or ${CORRECTION_RULES.join('/')}.${didYouMean(rule, known)}`);
    }
  });
}

export const DEFAULT_ALERT_RATE_LIMIT = { max: 10, windowMinutes: 10 };
const TELEGRAM_API = 'https://api.telegram.org';

/** `settings.alerts` with defaults; undefined when it names no sink (nothing to send). */
function normalizeAlerts(checker: Checker, value: AlertsInput): AlertSettings | undefined {
  const at = ['settings', 'alerts'];
  const { email, telegram } = value;
  if (!email && !telegram) {
    checker.warn(at, 'settings.alerts names no sink: add email or telegram, or remove it (alerts always go to the log and `status`).');
    return undefined;
  }
  return {
    ...(email
      ? {
          email: {
            host: email.host,
            port: email.port,
            // Port 465 is TLS from the first byte; every other port upgrades with STARTTLS.
            secure: email.secure ?? email.port === 465,
            from: email.from,
            to: email.to,
            ...(email.credentials ? { credentials: email.credentials } : {}),
          },
        }
      : {}),
    ...(telegram
      ? {
          telegram: {
            chatId: String(telegram.chatId),
            credentials: telegram.credentials,
            baseUrl: (telegram.baseUrl ?? TELEGRAM_API).replace(/\/+$/, ''),
          },
        }
      : {}),
    rateLimit: value.rateLimit ?? DEFAULT_ALERT_RATE_LIMIT,
    location: checker.at(at),
  };
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function isValidLocale(locale: string): boolean {
  try {
    return Intl.getCanonicalLocales(locale).length === 1;
  } catch {
    return false;
  }
}
