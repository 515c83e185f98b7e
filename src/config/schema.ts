/**
 * The shape of `herald.yaml` and `calendar.yaml` as zod schemas: types, formats
 * and allowed keys. Cross-references (a quota naming a service, a rule naming a
 * channel) and defaults are checked and filled in `normalize.ts`.
 *
 * Descriptions end up in the published JSON Schema, which editors show as
 * staff type: write them for PR staff, not for programmers.
 *
 * Alternatives (a closure is one day OR a range; a rule is weekly OR monthly)
 * are optional keys of one strict object, not unions: a union error says only
 * "invalid input", while an optional key lets every mistake point at its line.
 */
import { z } from 'zod';
import { CHANNEL_DRIVER_NAMES, PLATFORM_NAMES } from './types';
import { isPlainDate } from '../time/plain-date';

export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const TIME_SOURCE = '([01]?\\d|2[0-3])[:.][0-5]\\d';
const TIME_PATTERN = new RegExp(`^${TIME_SOURCE}$`);
// Seconds are optional and rare: drills and end-to-end tests open quota seconds away.
const DATE_TIME_PATTERN = new RegExp(`^\\d{4}-\\d{2}-\\d{2}[ T]${TIME_SOURCE}(:[0-5]\\d)?$`);
const ENV_NAME_PATTERN = /^[A-Z_][A-Z0-9_]*$/;

/** English and Indonesian weekday names, 0 = Sunday like Date#getDay. */
export const WEEKDAY_NAMES: Record<string, number> = {
  sunday: 0, monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6,
  minggu: 0, senin: 1, selasa: 2, rabu: 3, kamis: 4, jumat: 5, sabtu: 6,
};
const weekdayChoices = Object.keys(WEEKDAY_NAMES).flatMap((name) => [name, name[0]!.toUpperCase() + name.slice(1)]);

const id = (what: string) =>
  z
    .string()
    .regex(ID_PATTERN, { error: `use letters, digits, \`-\`, \`_\` or \`.\` for ${what}, starting with a letter or digit (e.g. \`h-1\`).` })
    .describe(`Unique id of the ${what}: letters, digits, -, _ or . (e.g. h-1). Used in post ids: changing it re-plans the posts.`);

export const dateText = z
  .string()
  .regex(DATE_PATTERN, { error: 'write the date as YYYY-MM-DD, e.g. 2026-12-24.' })
  .refine(isPlainDate, { error: 'this date does not exist in the calendar: check the day and month.' })
  .describe('A date, YYYY-MM-DD (e.g. 2026-12-24).');

export const timeText = z
  .string()
  .regex(TIME_PATTERN, { error: 'write the time as HH:mm or HH.mm between 00:00 and 23:59, e.g. 14:00.' })
  .describe('Local time in the office time zone, HH:mm or HH.mm (e.g. 14:00). Quote it: "14.00".');

const dateTimeText = z
  .string()
  .regex(DATE_TIME_PATTERN, { error: 'write the opening as "YYYY-MM-DD HH:mm", e.g. "2026-12-11 09:00".' })
  .refine((text) => isPlainDate(text.slice(0, 10)), { error: 'this date does not exist in the calendar: check the day and month.' })
  .describe('Local date and time in the office time zone, "YYYY-MM-DD HH:mm" (e.g. "2026-12-11 09:00").');

/**
 * Free text that posts show, bounded: the shipped templates are written and
 * tested (test/render/caption-fit.test.ts) to fit every platform for texts up
 * to these lengths, so a longer one is refused here rather than cut off on X.
 */
const shownText = (max: number, advice: string) =>
  z.string().max(max, {
    error: (issue) =>
      `is ${typeof issue.input === 'string' ? issue.input.length : 'over ' + max} characters long; posts have room for ${max}: ${advice}.`,
  });

/** The bounds of `shownText`, for tests and docs. */
export const TEXT_LIMITS = {
  officeName: 100,
  officeShortName: 40,
  serviceName: 50,
  serviceShortName: 20,
  bookingChannel: 80,
  website: 60,
  city: 60,
  hashtags: 5,
  hashtag: 30,
  note: 200,
  cancelReason: 200,
  closureReason: 100,
} as const;

const count = z
  .number()
  .int({ error: 'a quota count is a whole number of slots, without decimals.' })
  .min(0, { error: 'a quota count cannot be negative: write 0 for no slots.' })
  .describe('Number of slots (a whole number, 0 or more).');

const minutes = (what: string) =>
  z
    .number()
    .int({ error: 'write whole minutes, without decimals.' })
    .min(0, { error: 'minutes cannot be negative.' })
    .describe(what);

const weekday = z.enum(weekdayChoices).describe('A weekday, in English or Indonesian (friday or jumat).');

const quota = z
  .record(z.string(), count)
  .describe('Slots per service for one service day: service id → count, e.g. { regular: 120, express: 20 }.');

const channelList = z
  .array(z.string())
  .describe('Channel ids (from `channels` in herald.yaml) to post on.');

const templateName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: 'a template name is a file name without extension, e.g. `h-1`.' })
  .describe('Template name: captions/NAME.hbs in the templates folder (cards/NAME.svg.hbs and alt/NAME.hbs optional). Default: the rule id.');

const cron = z
  .string()
  .describe('Five-field cron expression in the office time zone: minute hour day-of-month month weekday, e.g. "0 18 * * 0" (Sundays 18:00).');

// ---------------------------------------------------------------- herald.yaml

export const officeInfoSchema = z
  .strictObject({
    bookingChannel: shownText(TEXT_LIMITS.bookingChannel, 'name just the app or site, e.g. "aplikasi M-Paspor"').optional().describe('Where the public books, e.g. "aplikasi M-Paspor".'),
    website: shownText(TEXT_LIMITS.website, 'give the address without https:// or a path').optional().describe('Office website shown in posts, e.g. pontianak.imigrasi.go.id.'),
    address: z.string().optional().describe('Street address shown in posts.'),
    city: shownText(TEXT_LIMITS.city, 'write the city or regency alone, e.g. "Pontianak"').optional().describe('City or regency of the office, for the public index of offices (searchable), e.g. Pontianak.'),
    phone: z.string().optional().describe('Phone or WhatsApp number shown in posts.'),
    hashtags: z
      .array(shownText(TEXT_LIMITS.hashtag, 'use a shorter hashtag'))
      .max(TEXT_LIMITS.hashtags, { error: `list at most ${TEXT_LIMITS.hashtags} hashtags: X has room for no more next to the text.` })
      .optional().describe('Hashtags added to posts, without #, e.g. [ImigrasiPontianak].'),
  })
  .describe('Facts the templates may show.');

export const officeSchema = z
  .strictObject({
    id: id('office'),
    name: shownText(TEXT_LIMITS.officeName, 'use the name as the public knows it and put the rest in the website')
      .min(1, { error: 'the office name cannot be empty.' }).describe('Full office name shown in posts.'),
    shortName: shownText(TEXT_LIMITS.officeShortName, 'use a short form such as "Imigrasi Pontianak"').min(1).optional()
      .describe('Short name for cards and X posts, up to 40 characters (default: name).'),
    timezone: z.string().describe('IANA time zone of the office, e.g. Asia/Pontianak (WIB), Asia/Makassar (WITA), Asia/Jayapura (WIT).'),
    locale: z.string().optional().describe('Language for dates and numbers, e.g. id-ID (default).'),
    info: officeInfoSchema.optional(),
  })
  .describe('The office that opens the quota.');

export const serviceSchema = z
  .strictObject({
    id: id('service'),
    name: shownText(TEXT_LIMITS.serviceName, 'use a shorter name, e.g. "Paspor Reguler"')
      .min(1, { error: 'the service name cannot be empty.' }).describe('Full name shown in captions, e.g. "Paspor Reguler".'),
    shortName: shownText(TEXT_LIMITS.serviceShortName, 'use one word, e.g. "Reguler"').min(1).optional()
      .describe('Short label for card tables and X posts, up to 20 characters, e.g. "Reguler" (default: name).'),
  })
  .describe('A kind of appointment with its own quota.');

const dailyCap = z.number().int({ error: 'write a whole number of posts.' }).min(1, { error: 'a daily cap is at least 1 post.' });

export const channelSchema = z
  .strictObject({
    id: id('channel'),
    driver: z.enum(CHANNEL_DRIVER_NAMES).describe('How posts are sent: outbox (dry run, writes files), x, instagram, facebook (a Page), telegram (a channel), threads, mastodon, bluesky, or webhook (an HTTPS POST to your own system).'),
    platform: z
      .enum(PLATFORM_NAMES)
      .optional()
      .describe('Whose text limits, counting and image format apply (default: the driver; generic for outbox).'),
    baseUrl: z.string().optional().describe('Send API calls to this address instead (a proxy or a test server).'),
    credentials: z
      .record(
        z.string(),
        z.string().regex(ENV_NAME_PATTERN, {
          error: 'name an environment variable (e.g. X_APP_KEY) and put the secret in .env; never write the secret itself here.',
        }),
      )
      .optional()
      .describe('Credential → name of the environment variable holding it (in .env), e.g. { appKey: X_APP_KEY }.'),
    enabled: z.boolean().optional().describe('Set to false to stop posting on this channel (default true).'),
    dailyCap: dailyCap
      .optional()
      .describe("Posts this account may publish per rolling 24 h (default: settings.dailyCaps for its platform, else the platform's: Instagram 50, X 100; set X's to your access tier)."),
    pricing: z
      .strictObject({
        perPost: z.number().min(0).describe('US$ per post (X default 0.015).'),
        perPostWithUrl: z.number().min(0).describe('US$ per post containing a URL (X default 0.20).'),
      })
      .optional()
      .describe('What the platform charges per post, for the cost estimate of `check` (X only).'),
    login: z
      .enum(['instagram', 'facebook'])
      .optional()
      .describe('Instagram only: which login the token comes from: instagram (graph.instagram.com, default) or facebook (graph.facebook.com).'),
    apiVersion: z
      .string()
      .regex(/^v\d+\.\d+$/, { error: 'write the Graph API version as vNN.N, e.g. v23.0.' })
      .optional()
      .describe('Instagram and Facebook: Graph API version (default v23.0 for Instagram, v25.0 for Facebook).'),
    accountId: z
      .string()
      .regex(/^\d+$/, { error: 'the Instagram account id is a number, e.g. 17841400000000000.' })
      .optional()
      .describe('Instagram and Threads: the account id (IG user id, Threads user id). Not a secret; may also come from the credential userId.'),
    pageId: z
      .string()
      .regex(/^\d+$/, { error: 'the Facebook Page id is a number, e.g. 104857600000000 (Page → About → Page transparency, or Meta Business Suite).' })
      .optional()
      .describe('Facebook only: the Page id. Not a secret.'),
    chatId: z
      .string()
      .regex(/^(@[A-Za-z][A-Za-z0-9_]{3,31}|-100\d{5,})$/, { error: 'write the Telegram channel as @username or its numeric id (-100…).' })
      .optional()
      .describe('Telegram only: the channel, @username or numeric id (-100…). Not a secret.'),
    handle: z
      .string()
      .regex(/^(did:[a-z]+:[A-Za-z0-9._:%-]+|([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,})$/i, { error: 'write the Bluesky handle without @, e.g. kanimpontianak.bsky.social, or the account DID.' })
      .optional()
      .describe('Bluesky only: the handle (e.g. kanimpontianak.bsky.social) or DID that signs in. Not a secret.'),
    url: z
      .string()
      .optional()
      .describe('Webhook only: the https address that receives each post as JSON.'),
  })
  .describe('An account posts go to.');

export const holidaysSchema = z
  .strictObject({
    country: z
      .string()
      .nullable()
      .describe('Country whose national holidays close the office (e.g. ID); null for none.'),
    region: z.string().optional().describe('Region code for regional holidays (optional).'),
    openAnyway: z.array(dateText).optional().describe('Holidays on which the office opens anyway.'),
  })
  .describe('National holidays; add cuti bersama as closures in calendar.yaml.');

export const whenSchema = z
  .strictObject({
    daysBefore: z.number().int({ error: 'write whole days.' }).min(0, { error: 'days cannot be negative.' }).optional()
      .describe('Post this many days before the opening day, at `at` (1 = the day before).'),
    at: timeText.optional(),
    minutesBefore: minutes('Post this many minutes before the opening.').optional(),
    atOpening: z.literal(true, { error: 'write `atOpening: true`, or use minutesBefore/daysBefore.' }).optional()
      .describe('Post at the moment the quota opens.'),
  })
  .describe('When to post: { daysBefore: 1, at: "19:00" }, { minutesBefore: 60 } or { atOpening: true }.');

export const announcementSchema = z
  .strictObject({
    id: id('announcement rule'),
    when: whenSchema,
    channels: channelList,
    template: templateName.optional(),
    deadlineMinutesAfterOpening: minutes(
      'Minutes after the opening after which the post is no longer sent (default 0 before opening, 60 at opening).',
    ).optional(),
  })
  .describe('A post announcing each quota opening.');

export const digestSchema = z
  .strictObject({
    id: id('digest rule'),
    cron,
    rangeDays: z.number().int().min(1, { error: 'a digest covers at least 1 day.' }).optional()
      .describe('Number of days the digest covers (default 7).'),
    startOffsetDays: z.number().int().min(0, { error: 'write 0 (today) or more.' }).optional()
      .describe('First covered day relative to the posting day (default 1 = tomorrow).'),
    channels: channelList,
    template: templateName.optional(),
    deadlineMinutes: minutes('Minutes after the due time after which the digest is not sent (default 180).').optional(),
  })
  .describe('A periodic schedule post (e.g. weekly).');

const envName = (what: string) =>
  z
    .string()
    .regex(ENV_NAME_PATTERN, {
      error: 'name an environment variable (e.g. ALERT_SMTP_PASSWORD) and put the secret in .env; never write the secret itself here.',
    })
    .describe(`Name of the environment variable (in .env) holding ${what}.`);

const emailAddress = z
  .string()
  .regex(/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/, { error: 'write a plain e-mail address, e.g. pr@imigrasi.go.id.' })
  .describe('An e-mail address, e.g. pr@imigrasi.go.id.');

export const emailAlertsSchema = z
  .strictObject({
    host: z.string().min(1, { error: 'write the SMTP server name, e.g. smtp.gmail.com.' }).describe('SMTP server, e.g. smtp.gmail.com.'),
    port: z.number().int().min(1).max(65535, { error: 'a port is a number from 1 to 65535.' }).describe('SMTP port: 587 (STARTTLS) or 465 (TLS).'),
    secure: z.boolean().optional().describe('true for TLS from the first byte (port 465); default: true on port 465, else STARTTLS.'),
    from: emailAddress.describe('Sender address of the alert e-mails.'),
    to: z.array(emailAddress).min(1, { error: 'list at least one recipient.' }).describe('Who receives the alerts.'),
    credentials: z
      .strictObject({ user: envName('the SMTP user name'), password: envName('the SMTP password') })
      .optional()
      .describe('SMTP login: names of environment variables, e.g. { user: ALERT_SMTP_USER, password: ALERT_SMTP_PASSWORD }. Leave out for a relay without login.'),
  })
  .describe('Send alerts by e-mail (SMTP).');

export const telegramAlertsSchema = z
  .strictObject({
    chatId: z
      .union([z.number().int(), z.string().regex(/^(-?\d+|@[A-Za-z][A-Za-z0-9_]{3,})$/)], {
        error: 'write the chat id as a number (e.g. -1001234567890) or a channel name (@officealerts).',
      })
      .describe('Telegram chat that receives the alerts: a number (-1001234567890 for a group) or @channelname.'),
    credentials: z
      .strictObject({ botToken: envName('the bot token from @BotFather') })
      .describe('Bot login: the name of an environment variable, e.g. { botToken: ALERT_TELEGRAM_TOKEN }.'),
    baseUrl: z.string().optional().describe('Send Bot API calls to this address instead of https://api.telegram.org (a proxy or a test server).'),
  })
  .describe('Send alerts to a Telegram chat through a bot.');

export const alertsSchema = z
  .strictObject({
    email: emailAlertsSchema.optional(),
    telegram: telegramAlertsSchema.optional(),
    rateLimit: z
      .strictObject({
        max: z.number().int().min(1, { error: 'allow at least 1 alert.' }).describe('Alerts per window and sink (default 10).'),
        windowMinutes: z.number().int().min(1, { error: 'a window is at least 1 minute.' }).describe('Window length in minutes (default 10).'),
      })
      .optional()
      .describe('At most `max` alerts per `windowMinutes` per sink; the rest are summed up in one message.'),
  })
  .describe('Where alerts for staff go besides the log and `status`: e-mail and/or a Telegram chat.');

export const approvalSchema = z
  .strictObject({
    required: z.boolean().optional()
      .describe('true (default when `approval` is written): posts wait for a staff approval before they go out; false turns it off (e.g. one office under shared settings that require it).'),
    hoursBefore: z.number().int({ error: 'write whole hours.' }).min(0, { error: 'hours cannot be negative.' }).max(24 * 14, { error: 'approve at most 14 days (336 hours) ahead.' }).optional()
      .describe('Approve each post at least this many hours before it is due (default 24); past that, staff are alerted. A later approval still lets the post out before its deadline.'),
    rules: z.array(z.string()).min(1, { error: 'list at least one rule id, or leave `rules` out for every rule.' }).optional()
      .describe('Rule ids whose posts need approval, e.g. [opening, h-60m]; `correction` and `cancellation` name the correction posts. Default: every rule.'),
  })
  .describe('Staff approve posts before they go out: { required: true, hoursBefore: 24, rules: [opening, h-60m] }. An unapproved post is never sent; a post changed after its approval needs approval again.');

export const settingsSchema = z
  .strictObject({
    renderAheadMinutes: minutes('Prepare captions and images this many minutes before posting (default 10).').optional(),
    horizonDays: z.number().int().min(1, { error: 'plan at least 1 day ahead.' }).optional()
      .describe('How many days ahead posts are planned and checked (default 35).'),
    replanCron: cron.optional().describe('How often the calendar is re-read, as a cron expression (default "*/10 * * * *").'),
    mediaServer: z
      .strictObject({
        publicBaseUrl: z
          .string()
          .describe('Public HTTPS address where Instagram fetches the card images, e.g. https://media.example.go.id/herald (a reverse proxy or tunnel to this server).'),
        host: z.string().optional().describe('Interface the media server listens on (default 127.0.0.1).'),
        port: z.number().int().min(0).max(65535).optional().describe('Port the media server listens on (default 8787; 0 picks a free one).'),
      })
      .optional()
      .describe('The built-in HTTP server that serves rendered images to Instagram (needed for the instagram driver).'),
    web: z
      .strictObject({
        publicBaseUrl: z
          .string()
          .optional()
          .describe('Public HTTPS address of the public pages, e.g. https://kuota.example.go.id: every card carries a QR code to {publicBaseUrl}/v/{CODE} and prints "cek di" this address, so the public can check a card against the office\'s archive. Without it cards show only the code.'),
        metricsToken: z
          .string()
          .regex(/^[A-Z_][A-Z0-9_]*$/, { error: 'name an environment variable (capitals, digits and _), e.g. METRICS_TOKEN; the token itself goes in .env.' })
          .optional()
          .describe('Environment variable holding the bearer token Prometheus sends to /metrics from another machine (at least 16 characters). Without it /metrics answers this machine (loopback) only.'),
        host: z.string().optional().describe('Interface the web server (console, public pages, /healthz) listens on (default 127.0.0.1: put a reverse proxy in front).'),
        port: z.number().int().min(0).max(65535).optional().describe('Port the web server listens on (default 8080; 0 picks a free one).'),
        secureCookies: z
          .boolean()
          .optional()
          .describe('Mark the console session cookie Secure (sent over HTTPS only). Set true behind an HTTPS reverse proxy; default false (plain http://127.0.0.1 for a local try-out).'),
        trustProxy: z
          .union([z.boolean(), z.array(z.string())])
          .optional()
          .describe('Believe X-Forwarded-For / X-Forwarded-Proto from these reverse-proxy addresses (IPs or CIDRs, e.g. [127.0.0.1]), or from any (true). Default false: the client address is the TCP peer.'),
        auditRetentionDays: z
          .number()
          .int({ error: 'write whole days.' })
          .min(30, { error: 'keep the audit log at least 30 days.' })
          .optional()
          .describe('Days the console audit log (sign-ins, changes) is kept before the hourly clean-up deletes older entries (default 366: a year, leap day included; at least 30).'),
      })
      .optional()
      .describe('The web server of `run` and `serve`: staff console at /admin/, public pages, /healthz.'),
    alerts: alertsSchema.optional(),
    dailyCaps: z
      .strictObject({
        x: dailyCap.optional().describe('Posts per rolling 24 h of every X channel (your access tier; default 100).'),
        instagram: dailyCap.optional().describe('Posts per rolling 24 h of every Instagram channel (default 50).'),
        facebook: dailyCap.optional().describe('Posts per rolling 24 h of every Facebook Page channel (no platform cap; set one to stay clear of spam limits).'),
        telegram: dailyCap.optional().describe('Posts per rolling 24 h of every Telegram channel (no platform cap).'),
        threads: dailyCap.optional().describe('Posts per rolling 24 h of every Threads channel (default 250).'),
        mastodon: dailyCap.optional().describe('Posts per rolling 24 h of every Mastodon channel (no platform cap; the instance may set one).'),
        bluesky: dailyCap.optional().describe("Posts per rolling 24 h of every Bluesky channel (default: the platform's, see README \"Connect Bluesky\")."),
        webhook: dailyCap.optional().describe('Posts per rolling 24 h of every webhook channel (no cap).'),
      })
      .optional()
      .describe("Default daily cap of each platform's channels; a channel's own dailyCap wins. In the shared herald.yaml of many offices: every office's default, which an office's own settings.dailyCaps overrides per platform."),
    approval: approvalSchema.optional(),
  })
  .describe('Bot settings. Many offices: alerts, dailyCaps, horizonDays and approval may be set per office; the others only in the shared herald.yaml.');

export const heraldSchema = z
  .strictObject({
    office: officeSchema,
    services: z.array(serviceSchema).min(1, { error: 'list at least one service.' }).describe('Services with their own quota.'),
    channels: z.array(channelSchema).describe('Accounts to post on.'),
    holidays: holidaysSchema.optional(),
    announcements: z.array(announcementSchema).optional().describe('Posts before or at each opening.'),
    digests: z.array(digestSchema).optional().describe('Periodic schedule posts.'),
    settings: settingsSchema.optional(),
  })
  .describe('quota-herald office configuration (herald.yaml).');

// --------------------------------------------------------------- calendar.yaml

export const cancelledOnSchema = z
  .strictObject({
    date: dateText,
    reason: shownText(TEXT_LIMITS.cancelReason, 'say why in one sentence').optional().describe('Shown in the cancellation post (up to 200 characters).'),
  })
  .describe('An opening date on which this rule does not open.');

export const recurringSchema = z
  .strictObject({
    id: id('recurring release'),
    weekly: z
      .strictObject({
        weekday: weekday.describe('Day the quota opens, e.g. friday / jumat.'),
        weeksAhead: z.number().int().min(1, { error: 'write 1 (next week) or more.' }).optional()
          .describe('Which week it covers: 1 = the next week (default).'),
      })
      .optional()
      .describe('Opens every week on a weekday.'),
    monthly: z
      .strictObject({
        day: z
          .union([z.number().int().min(1).max(31), z.literal('last-working-day')])
          .describe('Day of the month it opens (1–31, clamped to the month end) or last-working-day.'),
        monthsAhead: z.number().int().min(1, { error: 'write 1 (next month) or more.' }).optional()
          .describe('Which month it covers: 1 = the next month (default).'),
      })
      .optional()
      .describe('Opens every month.'),
    twiceMonthly: z
      .strictObject({
        days: z
          .tuple([z.number().int().min(1).max(31), z.number().int().min(1).max(31)], { error: 'write two days of the month, e.g. [1, 16].' })
          .describe('The two opening days, e.g. [1, 16]: the first covers the rest of the month, the second the first half of the next.'),
      })
      .optional()
      .describe('Opens twice a month.'),
    at: timeText,
    closesAfterMinutes: minutes('Minutes after opening when booking closes (optional).').optional(),
    serviceWeekdays: z.array(weekday).optional().describe('Weekdays of the covered period that are service days (default monday–friday).'),
    quota,
    from: dateText.optional().describe('First opening date of this rule (optional).'),
    until: dateText.optional().describe('Last opening date of this rule (optional).'),
    cancelledOn: z.array(cancelledOnSchema).optional().describe('Opening dates on which this rule does not open.'),
    note: shownText(TEXT_LIMITS.note, 'keep the note to one or two sentences').optional().describe('Extra text shown in the posts, up to 200 characters.'),
  })
  .describe('A release that repeats: give exactly one of weekly, monthly, twiceMonthly.');

export const releaseDaySchema = z
  .strictObject({ date: dateText.describe('The service day.'), quota })
  .describe('One service day and its slots.');

/**
 * A release's id: a code, or the id the loader gives a release written without
 * one (`release@2026-12-11T09:00`, normalize-calendar.ts) written out. The
 * console writes that one when the time of such a release changes, so its
 * posts keep their ids (console/edit/opening-edits.ts `changeOpening`).
 */
const releaseId = z
  .string()
  .regex(new RegExp(`${ID_PATTERN.source}|^release@\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}$`), {
    error: 'use letters, digits, `-`, `_` or `.` for release, starting with a letter or digit (e.g. `h-1`).',
  })
  .describe('Unique id of the release: letters, digits, -, _ or . (e.g. simpatik-januari). Default: release@YYYY-MM-DDTHH:mm from the opening time. Used in post ids: changing it re-plans the posts.');

export const releaseSchema = z
  .strictObject({
    id: releaseId.optional(),
    opensAt: dateTimeText,
    closesAt: z
      .string()
      .optional()
      .describe('When booking closes: "YYYY-MM-DD HH:mm", or just HH:mm on the opening day (optional).'),
    days: z.array(releaseDaySchema).min(1, { error: 'list at least one service day under `days`.' }).describe('Service days this opening covers.'),
    note: shownText(TEXT_LIMITS.note, 'keep the note to one or two sentences').optional().describe('Extra text shown in the posts, up to 200 characters.'),
    cancelled: z.boolean().optional().describe('true keeps the release visible as cancelled (default false).'),
    cancelReason: shownText(TEXT_LIMITS.cancelReason, 'say why in one sentence').optional()
      .describe('Why it was cancelled; shown in the cancellation post (up to 200 characters).'),
  })
  .describe('One opening of quota.');

export const closureSchema = z
  .strictObject({
    date: dateText.optional().describe('A single closed day.'),
    from: dateText.optional().describe('First closed day of a range.'),
    to: dateText.optional().describe('Last closed day of a range (included).'),
    reason: shownText(TEXT_LIMITS.closureReason, 'a short reason such as "Cuti bersama Hari Raya Natal"')
      .min(1, { error: 'write a reason: posts show why a day has no quota.' }).describe('Why the office is closed, shown in posts (e.g. Cuti bersama Natal).'),
  })
  .describe('Days without service: { date, reason } or { from, to, reason }.');

export const importSchema = z
  .strictObject({
    file: z.string().min(1).describe('CSV file, relative to the config folder.'),
    delimiter: z.enum([',', ';']).optional().describe('Column separator (default: detected from the header line).'),
  })
  .describe('Quota kept in a spreadsheet, exported as CSV.');

export const calendarSchema = z
  .strictObject({
    recurring: z.array(recurringSchema).optional().describe('Releases that repeat.'),
    releases: z.array(releaseSchema).optional().describe('One-off releases.'),
    closures: z.array(closureSchema).optional().describe('Closed days (cuti bersama, office events).'),
    imports: z.array(importSchema).optional().describe('CSV files merged into the calendar.'),
  })
  .describe('quota-herald quota calendar (calendar.yaml).');

export type HeraldInput = z.infer<typeof heraldSchema>;
export type CalendarInput = z.infer<typeof calendarSchema>;
export type OfficeInput = z.infer<typeof officeSchema>;
export type ServiceInput = z.infer<typeof serviceSchema>;
export type ChannelInput = z.infer<typeof channelSchema>;
export type HolidaysInput = z.infer<typeof holidaysSchema>;
export type AnnouncementInput = z.infer<typeof announcementSchema>;
export type DigestInput = z.infer<typeof digestSchema>;
export type SettingsInput = z.infer<typeof settingsSchema>;
export type AlertsInput = z.infer<typeof alertsSchema>;
export type ApprovalInput = z.infer<typeof approvalSchema>;
export type RecurringInput = z.infer<typeof recurringSchema>;
export type ReleaseInput = z.infer<typeof releaseSchema>;
export type ClosureInput = z.infer<typeof closureSchema>;
export type ImportInput = z.infer<typeof importSchema>;

// ------------------------------------------- shared defaults of many offices

/**
 * config/herald.yaml when the config holds many offices (config/offices/ID/):
 * defaults every office may override. No channels (each office has its own
 * accounts) and no office id or name.
 */
export const sharedHeraldSchema = z
  .strictObject({
    office: officeSchema.omit({ id: true, name: true }).partial().optional()
      .describe('Defaults for every office: time zone, locale, info (an office overrides each key).'),
    services: heraldSchema.shape.services.optional(),
    holidays: holidaysSchema.optional(),
    announcements: heraldSchema.shape.announcements,
    digests: heraldSchema.shape.digests,
    settings: settingsSchema.optional(),
  })
  .describe('quota-herald shared defaults for many offices (config/herald.yaml beside config/offices/).');
