/**
 * Loads and checks everything a run needs — config, calendar, templates — and
 * reports every problem at once. The bot only ever swaps in a complete, valid
 * result: a bad edit leaves the last good one running.
 */
import { checkCalendar, checkOpeningsOnClosedDays } from '../calendar/check';
import { checkClockChanges } from '../calendar/clock-change-check';
import { loadConfig } from '../config/load';
import { isManyOffices, loadOfficeConfigs } from '../config/load-offices';
import { horizonDaysFor } from '../config/office-settings';
import type { Config } from '../config/types';
import type { Problem } from '../errors';
import { CANCELLATION_RULE, CORRECTION_RULE } from '../plan/corrections';
import type { PostKind } from '../plan/types';
import { loadTemplates, type TemplateSet } from '../render/templates';
import { addDays, type PlainDate } from '../time/plain-date';
import { toLocal } from '../time/zone';

export interface Loaded {
  config: Config;
  /** The templates of the (first) office. */
  templates: TemplateSet;
  /** Many offices in one Loaded (the bot, simulate): each office's own templates, by office id. */
  officeTemplates?: ReadonlyMap<string, TemplateSet>;
}

/** The templates that render `officeId`'s posts. */
export function templatesFor(loaded: Pick<Loaded, 'templates' | 'officeTemplates'>, officeId: string): TemplateSet {
  return loaded.officeTemplates?.get(officeId) ?? loaded.templates;
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
  return completeLoad(config, problems, options);
}

/** One office of a deployment, as loaded. */
export interface OfficeOutcome {
  /** The office id (its folder name in the many-office layout). */
  id: string;
  loaded: Loaded | null;
  problems: Problem[];
}

export interface DeploymentOutcome {
  /** True for the many-office layout (config/offices/ID/). */
  many: boolean;
  /** Problems of the shared files, reported once (many offices only). */
  shared: Problem[];
  offices: OfficeOutcome[];
}

/**
 * Loads either layout, each office on its own: one office's problems leave it
 * out (`loaded: null`) and never stop the others. The one-office layout gives
 * one office, exactly as `loadAll` loads it (its id is unknown when it is broken).
 */
export function loadDeployment(configDir: string, options: LoadOptions & { only?: readonly string[] }): DeploymentOutcome {
  if (!isManyOffices(configDir)) {
    const outcome = loadAll(configDir, options);
    return { many: false, shared: [], offices: [{ id: outcome.loaded?.config.offices[0]?.id ?? '', ...outcome }] };
  }
  const result = loadOfficeConfigs(configDir, { ...(options.templatesDir ? { templatesDir: options.templatesDir } : {}), ...(options.only ? { only: options.only } : {}) });
  return {
    many: true,
    shared: result.shared,
    offices: result.offices.map((office) => (office.config ? { id: office.id, ...completeLoad(office.config, office.problems, options) } : { id: office.id, loaded: null, problems: office.problems })),
  };
}

/**
 * Several offices' Loaded as one, for the scheduler: every office's config,
 * the deployment's settings (`base`), each office's templates.
 */
export function combineLoaded(parts: readonly Loaded[], base: Pick<Config, 'dir' | 'templatesDir' | 'settings'>): Loaded | null {
  const first = parts[0];
  if (!first) return null;
  if (parts.length === 1) return first;
  return {
    config: { dir: base.dir, templatesDir: base.templatesDir, settings: base.settings, offices: parts.flatMap((part) => part.config.offices) },
    templates: first.templates,
    officeTemplates: new Map(parts.flatMap((part) => part.config.offices.map((office) => [office.id, templatesFor(part, office.id)] as const))),
  };
}

/** Calendar checks and templates of a loaded config (one office, or today's whole config). */
function completeLoad(config: Config, problems: Problem[], options: LoadOptions): LoadOutcome {
  const all = [...problems];
  for (const office of config.offices) {
    const today: PlainDate = toLocal(options.now, office.timezone).date;
    const days = options.checkDays ?? horizonDaysFor(office, config.settings);
    // From today: old entries are history and must not block today's schedule;
    // the extra two months reach the days that monthly releases cover.
    all.push(...checkCalendar(office, { from: today, to: addDays(today, days + 62) }));
    // Only within the horizon: a holiday opening next year is not today's concern.
    all.push(...checkOpeningsOnClosedDays(office, { from: today, to: addDays(today, days) }));
    all.push(...checkClockChanges(office, { from: today, to: addDays(today, days) }));
  }

  const loadedTemplates = loadTemplates(config.offices[0]?.templateDirs ?? config.templatesDir, templateUses(config), {
    publicBaseUrl: config.settings.web?.publicBaseUrl ?? null,
  });
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
