/**
 * The helpers templates may call, registered on a private Handlebars
 * environment. Each declares the shape of its result so the load-time checker
 * knows what `{{#each (wrap …)}}` iterates over.
 *
 * Helpers read the office locale and zone from the render context's root
 * (`office.locale`, `office.timezone`) and "now" from `post.dueAt`: a post
 * rendered ahead of time says "besok" relative to when it goes out.
 */
import type { HelperDelegate, HelperOptions } from 'handlebars';
import { getFontSet } from '../fonts';
import {
  formatDate,
  formatDateRange,
  formatDayRange,
  formatList,
  formatNumber,
  formatPeriod,
  formatQuotaList,
  formatRelativeDate,
  formatRelativeDay,
  formatShortDate,
  formatTime,
  formatWeekday,
  type CountLike,
  type FormatEnv,
} from './format';
import { joinWith } from './join-with';
import { textWidth } from './measure';
import { wrapText } from './wrap';

/** What a helper returns, for the template checker: plain text/number, or a list of texts. */
export type HelperResult = 'scalar' | 'list';

interface HelperSpec {
  fn: (args: unknown[], options: HelperOptions) => unknown;
  result: HelperResult;
}

interface RootLike {
  office: { locale: string; timezone: string };
  post: { dueAt: string };
}

function envOf(options: HelperOptions): FormatEnv {
  const root = (options.data as { root: RootLike }).root;
  return { locale: root.office.locale, zone: root.office.timezone };
}

function num(value: unknown, helper: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    throw new TypeError(`helper "${helper}" expects numbers, got ${JSON.stringify(value)}`);
  }
  return n;
}

function field(item: unknown, name: string | undefined): unknown {
  if (name === undefined) return item;
  if (item !== null && typeof item === 'object' && Object.hasOwn(item, name)) return (item as Record<string, unknown>)[name];
  throw new TypeError(`list item has no field "${name}"`);
}

function list(value: unknown, helper: string): unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`helper "${helper}" expects a list, got ${JSON.stringify(value)}`);
  return value;
}

const HELPERS: Record<string, HelperSpec> = {
  date: { result: 'scalar', fn: ([d], o) => formatDate(d as string, envOf(o)) },
  shortDate: { result: 'scalar', fn: ([d], o) => formatShortDate(d as string, envOf(o), o.hash.year === true) },
  weekday: { result: 'scalar', fn: ([d], o) => formatWeekday(d as string, envOf(o), o.hash.short === true) },
  time: { result: 'scalar', fn: ([d], o) => formatTime(d as string, envOf(o), o.hash.zone !== false) },
  number: { result: 'scalar', fn: ([n], o) => formatNumber(num(n, 'number'), envOf(o)) },
  relativeDay: {
    result: 'scalar',
    fn: ([d], o) => formatRelativeDay(d as string, (o.data as { root: RootLike }).root.post.dueAt, envOf(o)),
  },
  /**
   * `relativeDate release.opensAt`: `besok, Senin, 18 Januari 2027` — the word
   * right at the post's due time in the office zone, and always the date; `short=true`: `besok, Sen, 18 Jan`.
   */
  relativeDate: {
    result: 'scalar',
    fn: ([d], o) => formatRelativeDate(d as string, (o.data as { root: RootLike }).root.post.dueAt, envOf(o), o.hash.short === true),
  },
  /** `quotaList release.totals`: `Paspor Reguler 480 dan Paspor Percepatan 80`; `short=true`, `countFirst=true`. */
  quotaList: {
    result: 'scalar',
    fn: ([items], o) =>
      formatQuotaList(list(items, 'quotaList') as CountLike[], envOf(o), { short: o.hash.short === true, countFirst: o.hash.countFirst === true }),
  },
  /** `periodName digest.when digest.from digest.to`: `pekan depan, 4–10 Jan 2027`, or the dates alone. */
  periodName: {
    result: 'scalar',
    fn: ([when, a, b], o) => formatPeriod(String(when), a as string, b as string, envOf(o)),
  },
  dateRange: { result: 'scalar', fn: ([a, b], o) => formatDateRange(a as string, b as string, envOf(o)) },
  /** `dayRange row.from row.to`: `Sen–Jum, 4–8 Jan`, `Sen, 4 Jan`; `long=true`: `Senin–Jumat, 4–8 Januari 2027`. */
  dayRange: { result: 'scalar', fn: ([a, b], o) => formatDayRange(a as string, b as string, envOf(o), o.hash.long === true) },
  /** `sum 1 2 3`, or `sum list "count"` for a field of each item. */
  sum: {
    result: 'scalar',
    fn: (args) => {
      if (Array.isArray(args[0])) {
        const name = typeof args[1] === 'string' ? args[1] : undefined;
        return args[0].reduce((total: number, item) => total + num(field(item, name), 'sum'), 0);
      }
      return args.reduce((total: number, value) => total + num(value, 'sum'), 0);
    },
  },
  /** `join list` or `join list "name"`: "Senin, Selasa dan Rabu". */
  join: {
    result: 'scalar',
    fn: ([items, name], o) =>
      formatList(
        list(items, 'join').map((item) => field(item, typeof name === 'string' ? name : undefined)),
        envOf(o),
      ),
  },
  /** `pluck list "name"`: the field of each item, as a list. */
  pluck: { result: 'list', fn: ([items, name]) => list(items, 'pluck').map((item) => field(item, String(name))) },
  eq: { result: 'scalar', fn: ([a, b]) => a === b },
  ne: { result: 'scalar', fn: ([a, b]) => a !== b },
  gt: { result: 'scalar', fn: ([a, b]) => num(a, 'gt') > num(b, 'gt') },
  lt: { result: 'scalar', fn: ([a, b]) => num(a, 'lt') < num(b, 'lt') },
  and: { result: 'scalar', fn: (args) => args.every(Boolean) },
  or: { result: 'scalar', fn: (args) => args.some(Boolean) },
  not: { result: 'scalar', fn: ([a]) => !a },
  add: { result: 'scalar', fn: (args) => args.reduce((t: number, v) => t + num(v, 'add'), 0) },
  sub: { result: 'scalar', fn: ([a, b]) => num(a, 'sub') - num(b, 'sub') },
  mul: { result: 'scalar', fn: (args) => args.reduce((t: number, v) => t * num(v, 'mul'), 1) },
  div: { result: 'scalar', fn: ([a, b]) => num(a, 'div') / num(b, 'div') },
  /**
   * `{{#if (compact)}}`: true when the post has to be shorter to fit its
   * platform (compact level 1 and up); `(compact 2)` from level 2. The renderer
   * raises the level until the caption or alt text fits (caption.ts).
   */
  compact: {
    result: 'scalar',
    fn: ([level], o) => ((o.data as { compact?: number }).compact ?? 0) >= (level === undefined ? 1 : num(level, 'compact')),
  },
  /** `choose cond a b`: a when cond is true, else b (the built-in `if` only opens blocks). */
  choose: { result: 'scalar', fn: ([cond, a, b]) => (cond ? a : b) },
  concat: { result: 'scalar', fn: (args) => args.map((a) => (a === null || a === undefined ? '' : String(a))).join('') },
  upper: { result: 'scalar', fn: ([s], o) => String(s).toLocaleUpperCase(envOf(o).locale) },
  /**
   * `wrap text maxWidthPx fontSizePx [weight=700] [maxLines=3]`: the lines of
   * `text` as drawn in the card font, for `{{#each}}` over `<tspan>`s.
   */
  wrap: {
    result: 'list',
    fn: ([text, maxWidth, fontSize], o) =>
      wrapText(
        text === null || text === undefined ? '' : String(text),
        {
          maxWidthPx: num(maxWidth, 'wrap'),
          fontSizePx: num(fontSize, 'wrap'),
          weight: o.hash.weight === undefined ? 400 : num(o.hash.weight, 'wrap'),
          maxLines: o.hash.maxLines === undefined ? undefined : num(o.hash.maxLines, 'wrap'),
        },
        getFontSet(),
      ),
  },
  /** `joinWith list "   "`: items joined by a literal separator (`join` reads "A, B dan C"). */
  joinWith: { result: 'scalar', fn: ([items, separator]) => joinWith(list(items, 'joinWith'), separator === undefined ? ' ' : String(separator)) },
  /** `textWidth text fontSizePx [weight=800] [letterSpacing=2]`: px width in the card font (e.g. a badge sized to its text). */
  textWidth: {
    result: 'scalar',
    fn: ([text, fontSize], o) =>
      textWidth(
        text === null || text === undefined ? '' : String(text),
        num(fontSize, 'textWidth'),
        o.hash.weight === undefined ? 400 : num(o.hash.weight, 'textWidth'),
        o.hash.letterSpacing === undefined ? 0 : num(o.hash.letterSpacing, 'textWidth'),
        getFontSet(),
      ),
  },
};

/** Helpers built into Handlebars that templates may use, and what they yield. */
export const BUILTIN_HELPERS: Record<string, HelperResult> = {
  if: 'scalar',
  unless: 'scalar',
  each: 'scalar',
  with: 'scalar',
  lookup: 'scalar',
  log: 'scalar',
};

/** Every helper name a template may call, with its result shape. */
export const HELPER_RESULTS: Record<string, HelperResult> = {
  ...BUILTIN_HELPERS,
  ...Object.fromEntries(Object.entries(HELPERS).map(([name, spec]) => [name, spec.result])),
};

/** Registers our helpers on a Handlebars environment (never the global one). */
export function registerHelpers(env: { registerHelper(name: string, fn: HelperDelegate): void }): void {
  for (const [name, spec] of Object.entries(HELPERS)) {
    env.registerHelper(name, function helper(this: unknown, ...args: unknown[]) {
      const options = args.pop() as HelperOptions;
      return spec.fn(args, options);
    });
  }
}
