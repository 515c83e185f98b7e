/**
 * Loads a config directory (herald.yaml, calendar.yaml, CSV imports) into the
 * one validated, deep-frozen `Config`, or reports every problem found.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { CalendarConfig, Config } from './types';
import type { Problem } from '../errors';
import { createChecker, isRecord } from './checks';
import { validateShape } from './issues';
import { normalizeCalendar } from './normalize-calendar';
import { normalizeHerald, type HeraldResult, type NormalizeHeraldOptions } from './normalize-herald';
import { calendarSchema, heraldSchema } from './schema';
import { readYamlFile, type YamlSource } from './yaml-source';

export interface LoadOptions {
  /** Templates directory; default `<dir>/templates`, else `<dir>/../templates`, else `./templates`. */
  templatesDir?: string;
}

export interface LoadResult {
  /** null when any problem is an error. */
  config: Config | null;
  /** Every problem found, sorted by file, line and column. */
  problems: Problem[];
}

/**
 * Reads and validates the config directory `dir`. Never throws for bad input:
 * problems carry `file:line:col` (file names are `dir` joined with the file,
 * as given) and say what to do.
 */
export function loadConfig(dir: string, options: LoadOptions = {}): LoadResult {
  const absDir = path.resolve(dir);
  if (!isDirectory(absDir)) {
    return {
      config: null,
      problems: [{ message: `config directory ${dir} not found: pass --config with the folder holding herald.yaml and calendar.yaml.`, severity: 'error' }],
    };
  }
  const templatesDir = resolveTemplatesDir(absDir, options.templatesDir);
  const problems: Problem[] = [];
  const heraldFile = path.join(dir, 'herald.yaml');
  const herald = readYamlFile(path.join(absDir, 'herald.yaml'), heraldFile);
  const { heraldResult, calendar } = loadOfficeFiles({ herald, heraldFile, absDir, shownDir: dir, templateLayers: [templatesDir] }, problems);

  const sorted = sortProblems(problems);
  if (sorted.some((p) => p.severity === 'error') || !heraldResult?.office) return { config: null, problems: sorted };
  const config: Config = {
    dir: absDir,
    templatesDir,
    offices: [{ ...heraldResult.office, calendar }],
    settings: heraldResult.settings,
  };
  return { config: deepFreeze(config), problems: sorted };
}

export interface OfficeFiles {
  /** herald.yaml as read (or layered over the shared defaults); null when missing. */
  herald: YamlSource | null;
  /** herald.yaml as shown in problems. */
  heraldFile: string;
  /** The folder holding calendar.yaml and its CSV imports, absolute and as shown. */
  absDir: string;
  shownDir: string;
  /** Where templates are looked up, most specific first. */
  templateLayers: readonly string[];
  normalize?: NormalizeHeraldOptions;
}

/**
 * Validates one office's herald.yaml and reads its calendar.yaml (+ CSV);
 * problems go to `problems`. Shared by both layouts (load-offices.ts).
 */
export function loadOfficeFiles(input: OfficeFiles, problems: Problem[]): { heraldResult: HeraldResult | undefined; calendar: CalendarConfig } {
  const { herald, heraldFile, absDir, shownDir: dir } = input;
  if (!herald) {
    problems.push({
      location: { file: heraldFile, line: 1, col: 1 },
      message: `missing herald.yaml: create ${heraldFile} with the office, services, channels and rules (copy config/herald.yaml of the sample office to start).`,
      severity: 'error',
    });
  }
  const heraldResult = herald && checkFile(herald, problems, 'herald') ? normalizeHerald(createChecker(herald, problems), input.templateLayers, input.normalize) : undefined;

  const calendarFile = path.join(dir, 'calendar.yaml');
  const calendarSource = readYamlFile(path.join(absDir, 'calendar.yaml'), calendarFile);
  if (!calendarSource) {
    problems.push({
      location: { file: calendarFile, line: 1, col: 1 },
      message: `missing calendar.yaml: no quota openings will be announced; create ${calendarFile} with recurring or one-off releases.`,
      severity: 'warning',
    });
  }
  if (calendarSource) warnIfNoOpenings(calendarSource, problems);
  const calendar =
    calendarSource && checkFile(calendarSource, problems, 'calendar')
      ? normalizeCalendar(createChecker(calendarSource, problems), {
          dir: absDir,
          shownDir: dir,
          serviceIds: heraldResult ? [...new Set(heraldResult.serviceIds)] : undefined,
        })
      : { releases: [], recurring: [], closures: [], imported: [] };
  return { heraldResult, calendar };
}

/**
 * The templates directory in use: `explicit`, else `<dir>/templates`, else
 * `<dir>/../templates`, else `./templates` (absolute in every case).
 */
export function resolveTemplatesDir(dir: string, explicit?: string): string {
  if (explicit !== undefined) return path.resolve(explicit);
  for (const candidate of [path.join(dir, 'templates'), path.join(dir, '..', 'templates')]) {
    if (isDirectory(candidate)) return path.resolve(candidate);
  }
  return path.resolve('templates');
}

/**
 * A calendar.yaml that is empty, only comments, or lists nothing announces
 * nothing, like a missing one: say so (an editor that saved an empty buffer,
 * a ConfigMap key left blank) instead of running quietly.
 */
function warnIfNoOpenings(source: YamlSource, problems: Problem[]): void {
  if (source.data === undefined) return; // unreadable: its problems say why
  const data = source.data;
  const listed = (key: string): boolean => isRecord(data) && Array.isArray(data[key]) && data[key].length > 0;
  if (data !== null && (!isRecord(data) || listed('recurring') || listed('releases') || listed('imports'))) return;
  const what = data === null ? 'is empty (nothing but comments or blank lines)' : 'lists no recurring, releases or imports entries';
  problems.push({
    location: { file: source.file, line: 1, col: 1 },
    message: `calendar.yaml ${what}: no quota openings will be announced; add recurring or one-off releases (see docs/config.md).`,
    severity: 'warning',
  });
}

/** Adds the file's parse problems and shape problems; false when there is nothing to normalise. */
function checkFile(source: YamlSource, problems: Problem[], kind: 'herald' | 'calendar'): boolean {
  problems.push(...source.problems);
  if (source.data === undefined) return false;
  if (source.data === null && kind === 'calendar') return true;
  if (source.data === null) {
    problems.push({
      location: { file: source.file, line: 1, col: 1 },
      message: 'the file is empty: add office, services, channels and announcements (see config/herald.yaml of the sample office).',
      severity: 'error',
    });
    return false;
  }
  const schema: z.ZodType = kind === 'herald' ? heraldSchema : calendarSchema;
  problems.push(...validateShape(schema, source).problems);
  return typeof source.data === 'object' && !Array.isArray(source.data);
}

export function sortProblems(problems: Problem[]): Problem[] {
  const fileOrder = new Map<string, number>();
  for (const p of problems) if (p.location && !fileOrder.has(p.location.file)) fileOrder.set(p.location.file, fileOrder.size);
  const seen = new Set<string>();
  return problems
    .filter((p) => {
      const key = `${p.location?.file}:${p.location?.line}:${p.location?.col}:${p.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((p, i) => ({ p, i }))
    .sort((a, b) => {
      const la = a.p.location;
      const lb = b.p.location;
      if (!la || !lb) return la ? 1 : lb ? -1 : a.i - b.i;
      return (fileOrder.get(la.file)! - fileOrder.get(lb.file)!) || la.line - lb.line || la.col - lb.col || a.i - b.i;
    })
    .map(({ p }) => p);
}

export function isDirectory(dir: string): boolean {
  return existsSync(dir) && statSync(dir).isDirectory();
}

/** Freezes `value` and everything reachable from it, so no stage can edit the config another reads. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
