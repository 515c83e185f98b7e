/**
 * herald.yaml → the office part of `Config`: defaults filled in, references
 * between rules and channels checked, templates and cron expressions verified.
 */
import Holidays from 'date-holidays';
import type {
  AnnouncementRule,
  AnnouncementTiming,
  ChannelConfig,
  DigestRule,
  HolidaySettings,
  OfficeConfig,
  PlatformName,
  ServiceConfig,
  Settings,
} from './types';
import { isValidTimeZone } from '../time/zone';
import {
  checkCron,
  checkDuplicateIds,
  checkTemplate,
  normalizeTime,
  rawIdEntries,
  rawIds,
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
  type AnnouncementInput,
  type ChannelInput,
} from './schema';
import { didYouMean } from './suggest';

export const DEFAULT_SETTINGS: Settings = { renderAheadMinutes: 10, horizonDays: 35, replanCron: '*/10 * * * *' };

/** The office without its calendar, plus the ids other files may refer to. */
export interface HeraldResult {
  office: Omit<OfficeConfig, 'calendar'> | undefined;
  settings: Settings;
  /** Service ids as written (valid entries or not), for quota references in calendar.yaml. */
  serviceIds: string[];
}

/** Normalises the parsed herald.yaml; problems go to `checker`. */
export function normalizeHerald(checker: Checker, templatesDir: string): HeraldResult {
  const raw = (checker.source.data ?? {}) as Record<string, unknown>;
  const serviceIds = rawIds(raw.services);
  const channelIds = rawIds(raw.channels);

  const office = salvage(officeSchema, raw.office);
  if (office) {
    if (!isValidTimeZone(office.timezone)) {
      checker.error(['office', 'timezone'],
        `unknown time zone \`${office.timezone}\`: use an IANA name such as Asia/Pontianak (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT).`);
    }
    if (office.locale !== undefined && !isValidLocale(office.locale)) {
      checker.error(['office', 'locale'], `unknown locale \`${office.locale}\`: use a language tag such as id-ID or en-US.`);
    }
  }

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

  const announcements = salvageList(announcementSchema, raw.announcements).flatMap(({ value, index }) => {
    const rule = normalizeAnnouncement(checker, value, index);
    checkRuleChannels(checker, value.channels, ['announcements', index], channelIds);
    checkTemplate(checker, templatesDir, value.template ?? value.id, ['announcements', index, value.template ? 'template' : 'id']);
    return rule ? [rule] : [];
  });

  const digests = salvageList(digestSchema, raw.digests).map(({ value, index }): DigestRule => {
    const at = ['digests', index];
    checkCron(checker, value.cron, [...at, 'cron']);
    checkRuleChannels(checker, value.channels, at, channelIds);
    checkTemplate(checker, templatesDir, value.template ?? value.id, [...at, value.template ? 'template' : 'id']);
    return {
      id: value.id,
      cron: value.cron,
      rangeDays: value.rangeDays ?? 7,
      startOffsetDays: value.startOffsetDays ?? 1,
      channels: value.channels,
      template: value.template ?? value.id,
      deadlineMinutes: value.deadlineMinutes ?? 180,
      location: checker.at(at),
    };
  });
  // Rule ids name posts in the ledger: an announcement and a digest must not share one.
  checkDuplicateIds(
    checker,
    [...rawIdEntries(raw.announcements, 'announcements'), ...rawIdEntries(raw.digests, 'digests')],
    'rule',
  );

  const settingsInput = raw.settings === undefined ? {} : salvage(settingsSchema, raw.settings);
  const settings: Settings = {
    renderAheadMinutes: settingsInput?.renderAheadMinutes ?? DEFAULT_SETTINGS.renderAheadMinutes,
    horizonDays: settingsInput?.horizonDays ?? DEFAULT_SETTINGS.horizonDays,
    replanCron: settingsInput?.replanCron ?? DEFAULT_SETTINGS.replanCron,
  };
  if (settingsInput?.replanCron !== undefined) checkCron(checker, settingsInput.replanCron, ['settings', 'replanCron']);

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
    },
    settings,
    serviceIds,
  };
}

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

function checkRuleChannels(checker: Checker, channels: string[], at: (string | number)[], known: string[]): void {
  if (channels.length === 0) checker.warn([...at, 'channels'], 'this rule lists no channels, so it never posts: add channel ids or remove the rule.');
  channels.forEach((channel, i) => {
    if (!known.includes(channel)) {
      checker.error([...at, 'channels', i],
        `unknown channel \`${channel}\`: add it under \`channels\` in herald.yaml or use one of ${known.join(', ') || '(none defined)'}.${didYouMean(channel, known)}`);
    }
  });
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
