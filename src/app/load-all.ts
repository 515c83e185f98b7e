/**
 * Loads and checks everything a run needs — config, calendar, templates — and
 * reports every problem at once. The bot only ever swaps in a complete, valid
 * result: a bad edit leaves the last good one running.
 */
import { checkCalendar, checkOpeningsOnClosedDays } from '../calendar/check';
import { loadConfig } from '../config/load';
import type { Config } from '../config/types';
import type { Problem } from '../errors';
import { CANCELLATION_RULE, CORRECTION_RULE } from '../plan/corrections';
import type { PostKind } from '../plan/types';
import { loadTemplates, type TemplateSet } from '../render/templates';
import { addDays, type PlainDate } from '../time/plain-date';
import { toLocal } from '../time/zone';

export interface Loaded {
  config: Config;
  templates: TemplateSet;
}

export interface LoadOutcome {
  loaded: Loaded | null;
  /** Errors and warnings, in file order. */
  problems: Problem[];
}

export interface LoadOptions {
  templatesDir?: string;
  now: Date;
  /** How far ahead calendar conflicts are looked for (default: the config's horizon). */
  checkDays?: number;
}

export function loadAll(configDir: string, options: LoadOptions): LoadOutcome {
  const { config, problems } = loadConfig(configDir, options.templatesDir ? { templatesDir: options.templatesDir } : undefined);
  if (!config) return { loaded: null, problems: sortProblems(problems) };

  const all = [...problems];
  for (const office of config.offices) {
    const today: PlainDate = toLocal(options.now, office.timezone).date;
    const days = options.checkDays ?? config.settings.horizonDays;
    // From today: old entries are history and must not block today's schedule;
    // the extra two months reach the days that monthly releases cover.
    all.push(...checkCalendar(office, { from: today, to: addDays(today, days + 62) }));
    // Only within the horizon: a holiday opening next year is not today's concern.
    all.push(...checkOpeningsOnClosedDays(office, { from: today, to: addDays(today, days) }));
  }

  const loadedTemplates = loadTemplates(config.templatesDir, templateUses(config));
  all.push(...loadedTemplates.problems);
  const sorted = sortProblems(all);
  if (!loadedTemplates.templates || sorted.some((p) => p.severity === 'error')) return { loaded: null, problems: sorted };
  return { loaded: { config, templates: loadedTemplates.templates }, problems: sorted };
}

/**
 * Which templates the rules use, for which kind of post and which channels.
 * Any announcement can need a correction or cancellation later, on the same
 * channels (plan/corrections.ts): those templates load, and are checked, up front,
 * not when the first correction is due.
 */
export function templateUses(config: Config): Parameters<typeof loadTemplates>[1] {
  const uses = new Map<string, { name: string; kind: PostKind; channelIds: Set<string> }>();
  const add = (name: string, kind: PostKind, channels: string[]): void => {
    const key = `${kind}:${name}`;
    const use = uses.get(key) ?? { name, kind, channelIds: new Set<string>() };
    channels.forEach((c) => use.channelIds.add(c));
    uses.set(key, use);
  };
  for (const office of config.offices) {
    office.announcements.forEach((rule) => add(rule.template, 'announcement', rule.channels));
    office.digests.forEach((rule) => add(rule.template, 'digest', rule.channels));
    for (const rule of office.announcements) {
      add(CORRECTION_RULE, 'correction', rule.channels);
      add(CANCELLATION_RULE, 'cancellation', rule.channels);
    }
  }
  // Overrides are found by channel id, then by platform (captions/NAME.x.hbs serves every X channel).
  const platforms = Object.fromEntries(config.offices.flatMap((office) => office.channels.map((c) => [c.id, c.platform] as const)));
  return [...uses.values()].map((use) => ({ name: use.name, kind: use.kind, channelIds: [...use.channelIds], platforms }));
}

function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort((a, b) => {
    const fa = a.location?.file ?? '';
    const fb = b.location?.file ?? '';
    if (fa !== fb) return fa < fb ? -1 : 1;
    return (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.col ?? 0) - (b.location?.col ?? 0);
  });
}
