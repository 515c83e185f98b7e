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

/** The value if it matches `schema`, else undefined (its problems are reported by the full-file validation). */
export function salvage<T>(schema: z.ZodType<T>, raw: unknown): T | undefined {
  const result = schema.safeParse(raw);
  return result.success ? result.data : undefined;
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
  const [h, m] = text.split(/[:.]/);
  return `${h!.padStart(2, '0')}:${m}`;
}

/** Reports a missing caption template, naming the file to create. */
export function checkTemplate(checker: Checker, templatesDir: string, name: string, at: DataPath): void {
  const file = path.join(templatesDir, 'captions', `${name}.hbs`);
  if (!existsSync(file)) {
    checker.error(at, `template \`${name}\` not found: create ${file} or use an existing template name.`);
  }
}

/** Reports a cron expression node-cron would refuse. */
export function checkCron(checker: Checker, expression: string, at: DataPath): void {
  const parsed = parseCron(expression);
  if (!parsed.ok) checker.error(at, `invalid cron expression \`${expression}\`: ${parsed.message}.`);
}
