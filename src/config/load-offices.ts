/**
 * The many-office layout: `config/offices/<office-id>/` each with its
 * herald.yaml, calendar.yaml (+ CSV, + optional templates/), under shared
 * defaults at the top of `config/` (herald.yaml: services, holidays, rules,
 * office defaults and the deployment's settings; templates/).
 *
 * Each office loads on its own: one office's broken files give that office
 * problems and no config, never the others. The shared file is everyone's:
 * when it is broken no office loads (its problems are reported once).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Problem } from '../errors';
import { createChecker, isRecord, rawIds } from './checks';
import { validateShape } from './issues';
import { deepFreeze, isDirectory, loadOfficeFiles, resolveTemplatesDir, sortProblems } from './load';
import { layerSources } from './layered-source';
import { checkApprovalRules, DEFAULT_SETTINGS, normalizeSettings } from './normalize-herald';
import { settingScope } from './office-settings';
import { ID_PATTERN, sharedHeraldSchema } from './schema';
import type { Config, OfficeConfig, Settings } from './types';
import { readYamlFile, type YamlSource } from './yaml-source';

export const OFFICES_DIR = 'offices';

/** The templates that come with quota-herald: the last layer of every office's lookup. */
export const SHIPPED_TEMPLATES_DIR = path.resolve(__dirname, '..', '..', 'templates');

/**
 * Whether `dir` holds any config: false when it is missing or empty (a
 * deployment that runs from the config revisions in its database). Names
 * starting with a dot (`.env`) do not count. A path that cannot be listed for
 * another reason counts as present, so loading it reports the problem.
 */
export function hasConfigFiles(dir: string): boolean {
  try {
    return fs.readdirSync(dir).some((name) => !name.startsWith('.'));
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

/** True when `dir` holds the many-office layout (a `offices/` folder). */
export function isManyOffices(dir: string): boolean {
  return isDirectory(path.join(path.resolve(dir), OFFICES_DIR));
}

export interface OfficeLoadResult {
  /** The office id (its folder name). */
  id: string;
  /** The one-office Config of this office; null when any problem is an error. */
  config: Config | null;
  problems: Problem[];
}

export interface OfficesLoadResult {
  /** Problems of the shared files (and of the layout itself), each reported once. */
  shared: Problem[];
  /** Every office folder found (or only those `only` selects), sorted by id. */
  offices: OfficeLoadResult[];
}

export interface OfficesLoadOptions {
  /** Shared templates folder; default `<dir>/templates`, else `<dir>/../templates`, else `./templates`. */
  templatesDir?: string;
  /** Load only these office ids (the others are not read). */
  only?: readonly string[];
}

/** The office folders below `dir/offices`, sorted (no files read). */
export function listOfficeIds(dir: string): string[] {
  const officesDir = path.join(path.resolve(dir), OFFICES_DIR);
  try {
    return fs
      .readdirSync(officesDir, { withFileTypes: true })
      .filter((entry) => !entry.name.startsWith('.') && (entry.isDirectory() || (entry.isSymbolicLink() && isDirectory(path.join(officesDir, entry.name)))))
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}

export function loadOfficeConfigs(dir: string, options: OfficesLoadOptions = {}): OfficesLoadResult {
  const absDir = path.resolve(dir);
  const sharedTemplates = resolveTemplatesDir(absDir, options.templatesDir);
  const shared: Problem[] = [];

  const sharedFile = path.join(dir, 'herald.yaml');
  const sharedSource = readYamlFile(path.join(absDir, 'herald.yaml'), sharedFile);
  const settings = sharedSource ? checkShared(sharedSource, shared) : DEFAULT_SETTINGS;
  for (const stray of ['calendar.yaml']) {
    if (fs.existsSync(path.join(absDir, stray))) {
      shared.push({
        location: { file: path.join(dir, stray), line: 1, col: 1 },
        message: `${stray} is not read when the config holds many offices (${path.join(dir, OFFICES_DIR)}/ exists): move it to ${path.join(dir, OFFICES_DIR, '<office-id>', stray)}.`,
        severity: 'warning',
      });
    }
  }
  const ids = listOfficeIds(absDir);
  if (ids.length === 0) {
    shared.push({ message: `no office folders in ${path.join(dir, OFFICES_DIR)}: add ${path.join(dir, OFFICES_DIR, '<office-id>', 'herald.yaml')} and calendar.yaml for each office.`, severity: 'error' });
  }
  const selected = options.only ? ids.filter((id) => options.only!.includes(id)) : ids;
  const sharedBroken = shared.some((p) => p.severity === 'error');

  const offices: OfficeLoadResult[] = selected.map((id) => {
    if (sharedBroken) {
      return { id, config: null, problems: [{ subject: `office ${id}`, message: `not loaded: the shared ${sharedFile} has errors (listed once, above).`, severity: 'error' }] };
    }
    return loadOffice({ id, dir, absDir, sharedSource, settings, sharedTemplates });
  });
  return {
    shared: sortProblems(shared),
    offices: offices.map((office) => ({ ...office, config: office.config ? deepFreeze(office.config) : null, problems: sortProblems(office.problems) })),
  };
}

/** The shared herald.yaml: its shape, no channels, the deployment's settings. */
function checkShared(source: YamlSource, problems: Problem[]): Settings {
  problems.push(...source.problems);
  if (!isRecord(source.data)) {
    if (source.data !== undefined && source.data !== null) {
      problems.push({ location: source.locate([]), message: 'the shared herald.yaml must be a block of `key: value` defaults (services, announcements, digests, holidays, office, settings).', severity: 'error' });
    }
    return DEFAULT_SETTINGS;
  }
  const { channels, ...rest } = source.data;
  if (channels !== undefined) {
    problems.push({
      location: source.locateKey(['channels']),
      message: 'channels belong to each office (its own accounts and credentials): move them to config/offices/<office-id>/herald.yaml.',
      severity: 'error',
    });
  }
  problems.push(...validateShape(sharedHeraldSchema, { ...source, data: rest }).problems);
  const checker = createChecker(source, problems);
  checkApprovalRules(checker, source.data.settings, [...rawIds(source.data.announcements), ...rawIds(source.data.digests)]);
  return normalizeSettings(checker, source.data.settings);
}

function loadOffice(input: { id: string; dir: string; absDir: string; sharedSource: YamlSource | null; settings: Settings; sharedTemplates: string }): OfficeLoadResult {
  const { id, dir, absDir, settings } = input;
  const problems: Problem[] = [];
  const officeAbs = path.join(absDir, OFFICES_DIR, id);
  const officeShown = path.join(dir, OFFICES_DIR, id);
  if (!ID_PATTERN.test(id)) {
    problems.push({ subject: officeShown, message: `the folder name "${id}" is not an office id: rename it using letters, digits, \`-\`, \`_\` or \`.\`.`, severity: 'error' });
    return { id, config: null, problems };
  }
  const heraldFile = path.join(officeShown, 'herald.yaml');
  const own = readYamlFile(path.join(officeAbs, 'herald.yaml'), heraldFile);
  if (own && isRecord(own.data)) checkOfficeOwn(own, id, problems);
  const herald = own ? withoutDeploymentSettings(withOfficeId(layerSources(input.sharedSource, own, { officeOnly: ['channels', 'settings'] }), id)) : null;
  const ownTemplates = path.join(officeAbs, 'templates');
  const templateLayers = [...new Set([...(isDirectory(ownTemplates) ? [ownTemplates] : []), input.sharedTemplates, SHIPPED_TEMPLATES_DIR])];
  const { heraldResult, calendar } = loadOfficeFiles(
    { herald, heraldFile, absDir: officeAbs, shownDir: officeShown, templateLayers, normalize: { inheritedSettings: settings } },
    problems,
  );
  if (problems.some((p) => p.severity === 'error') || !heraldResult?.office) return { id, config: null, problems };
  // The office's own settings ride on its OfficeConfig (its channels carry their daily
  // caps already); `settings` stays the deployment's, the same object for every office.
  const alerts = heraldResult.settings.alerts;
  const ownHorizon = herald && isRecord(herald.data) && isRecord(herald.data.settings) && herald.data.settings.horizonDays !== undefined;
  const config: Config = {
    dir: absDir,
    templatesDir: input.sharedTemplates,
    offices: [
      {
        ...qualifyChannels(heraldResult.office),
        calendar,
        dir: officeAbs,
        templateDirs: templateLayers,
        ...(alerts ? { alerts } : {}),
        ...(ownHorizon ? { horizonDays: heraldResult.settings.horizonDays } : {}),
      },
    ],
    settings,
  };
  return { id, config, problems };
}

/** An office's own herald.yaml: its id matches its folder; a deployment-wide setting in it is ignored, and said so. */
function checkOfficeOwn(own: YamlSource, id: string, problems: Problem[]): void {
  const data = own.data as Record<string, unknown>;
  const office = data.office;
  if (isRecord(office) && typeof office.id === 'string' && office.id !== id) {
    problems.push({
      location: own.locate(['office', 'id']),
      message: `office id \`${office.id}\` differs from its folder name \`${id}\`: the folder names the office (in --office and in post ids); rename one, or remove the id.`,
      severity: 'error',
    });
  }
  if (isRecord(data.settings)) {
    for (const key of Object.keys(data.settings)) {
      // Office settings apply; a key that is no setting at all is the schema's to report.
      const scope = settingScope(key);
      if (scope?.scope !== 'deployment') continue;
      problems.push({
        location: own.locateKey(['settings', key]),
        message: `settings.${key} is deployment-wide (${scope.why}): this office's value is ignored. Set it in the shared config/herald.yaml, or remove it here (an office may set alerts, dailyCaps, horizonDays and approval).`,
        severity: 'warning',
      });
    }
  }
}

/** The office's settings without the deployment-wide ones (reported by checkOfficeOwn): they must not take effect. */
function withoutDeploymentSettings(source: YamlSource): YamlSource {
  if (!isRecord(source.data) || !isRecord(source.data.settings)) return source;
  const settings = Object.fromEntries(Object.entries(source.data.settings).filter(([key]) => settingScope(key)?.scope !== 'deployment'));
  return { ...source, data: { ...source.data, settings } };
}

/** The office id defaults to the folder name. */
function withOfficeId(source: YamlSource, id: string): YamlSource {
  if (!isRecord(source.data)) return source;
  const office = isRecord(source.data.office) ? source.data.office : {};
  if (office.id !== undefined) return source;
  return { ...source, data: { ...source.data, office: { ...office, id } } };
}

/** The office of a qualified channel id (`kanim-medan/x` → `kanim-medan`); undefined in the one-office layout (`x`). */
export function officeOfChannel(channelId: string | undefined): string | undefined {
  const slash = channelId?.indexOf('/') ?? -1;
  return slash > 0 ? channelId!.slice(0, slash) : undefined;
}

/**
 * The ledger, the drivers and their state (tokens, rate limits, daily caps)
 * know a channel by its id across the whole deployment, while every office
 * writes its own `x` and `instagram` (and shared rules name them so): inside
 * the running system an office's channel is `<office-id>/<channel-id>`.
 * Template overrides still use the id as written (captions/h-1.x.hbs).
 */
export function qualifyChannels(office: Omit<OfficeConfig, 'calendar'>): Omit<OfficeConfig, 'calendar'> {
  const qualify = (channelId: string): string => `${office.id}/${channelId}`;
  return {
    ...office,
    channels: office.channels.map((channel) => ({ ...channel, id: qualify(channel.id) })),
    announcements: office.announcements.map((rule) => ({ ...rule, channels: rule.channels.map(qualify) })),
    digests: office.digests.map((rule) => ({ ...rule, channels: rule.channels.map(qualify) })),
  };
}
