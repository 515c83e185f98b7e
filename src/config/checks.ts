/**
 * Small checks shared by the herald.yaml and calendar.yaml normalisers. Each
 * adds problems to a list and never throws: every problem is reported at once.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { Problem, SourceLocation } from '../errors';
import { parseCron } from '../plan/cron';
import type { DataPath, YamlSource } from './yaml-source';

/** Collects problems with the file they belong to. */
export interface Checker {
  source: YamlSource;
  problems: Problem[];
  error(path: DataPath, message: string): void;
  warn(path: DataPath, message: string): void;
  at(path: DataPath): SourceLocation;
}

export function createChecker(source: YamlSource, problems: Problem[]): Checker {
  const add = (severity: Problem['severity']) => (p: DataPath, message: string) => {
    problems.push({ location: source.locate(p), message, severity });
  };
  return { source, problems, error: add('error'), warn: add('warning'), at: (p) => source.locate(p) };
}

/**
 * The value if it matches `schema`, else undefined (its problems are reported
 * by the full-file validation). Keys with problems are dropped once and the
 * rest retried, so a typo in one optional key does not hide the checks of the
 * others (an unknown key next to an invalid time zone: report both).
 */
export function salvage<T>(schema: z.ZodType<T>, raw: unknown): T | undefined {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  if (!isRecord(raw)) return undefined;
  const trimmed: Record<string, unknown> = { ...raw };
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys' && issue.path.length === 0) issue.keys.forEach((key) => delete trimmed[key]);
    else if (issue.path.length > 0) delete trimmed[String(issue.path[0])];
  }
  const retry = schema.safeParse(trimmed);
  return retry.success ? retry.data : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The entries of a raw list that are blocks of `key: value`, with their index. */
export function rawItems(raw: unknown): { item: Record<string, unknown>; index: number }[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((item: unknown, index) => (isRecord(item) ? [{ item, index }] : []));
}

/** The list items that match `schema`, with their index in the file. */
export function salvageList<T>(schema: z.ZodType<T>, raw: unknown): { value: T; index: number }[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((item, index) => {
    const value = salvage(schema, item);
    return value === undefined ? [] : [{ value, index }];
  });
}

/**
 * The `id`s of a raw list, valid entries or not: cross-references are checked
 * against these, so one broken service entry does not also make every quota
 * that names it "unknown".
 */
export function rawIds(raw: unknown): string[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((item: unknown) => {
    const id = (item as { id?: unknown } | null)?.id;
    return typeof id === 'string' ? [id] : [];
  });
}

/** `{ id, path }` of every raw list entry that has a text id, for duplicate checks. */
export function rawIdEntries(raw: unknown, list: string): { id: string; path: DataPath }[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((item: unknown, index) => {
    const id = (item as { id?: unknown } | null)?.id;
    return typeof id === 'string' ? [{ id, path: [list, index, 'id'] }] : [];
  });
}

/** Reports every repeated id at its second (third, …) occurrence, naming the first. */
export function checkDuplicateIds(
  checker: Checker,
  entries: { id: string; path: DataPath; location?: SourceLocation }[],
  what: string,
): void {
  const first = new Map<string, SourceLocation>();
  for (const entry of entries) {
    const location = entry.location ?? checker.at(entry.path);
    const earlier = first.get(entry.id);
    if (!earlier) {
      first.set(entry.id, location);
      continue;
    }
    checker.problems.push({
      location,
      message: `duplicate ${what} id \`${entry.id}\` (already used at ${earlier.file}:${earlier.line}:${earlier.col}): ids must be unique, rename one.`,
      severity: 'error',
    });
  }
}

/** `9.30` or `9:30` → `09:30` (input already matched the time pattern). */
export function normalizeTime(text: string): string {
  const [h, m, sec] = text.split(/[:.]/);
  return sec === undefined ? `${h!.padStart(2, '0')}:${m}` : `${h!.padStart(2, '0')}:${m}:${sec}`;
}

/** Reports a missing caption template, naming the file to create. */
export function checkTemplate(checker: Checker, templatesDir: string | readonly string[], name: string, at: DataPath): void {
  const layers = typeof templatesDir === 'string' ? [templatesDir] : templatesDir;
  const files = layers.map((dir) => path.join(dir, 'captions', `${name}.hbs`));
  const file = files[0] ?? path.join('templates', 'captions', `${name}.hbs`);
  if (!files.some((candidate) => existsSync(candidate))) {
    checker.error(at, `template \`${name}\` not found: create ${shownPath(file)} or use an existing template name.`);
  }
}

/** `file` relative to the working directory when it lies below it (shorter in messages), else absolute. */
export function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

/** Reports a cron expression croner (planner and live timers alike) would refuse. */
export function checkCron(checker: Checker, expression: string, at: DataPath): void {
  const parsed = parseCron(expression);
  if (!parsed.ok) checker.error(at, `invalid cron expression \`${expression}\`: ${parsed.message}.`);
}
