/**
 * Turns zod issues into problems staff can act on: the line and column of the
 * offending value (or of the unknown key), what is wrong, and what to write.
 */
import { z } from 'zod';
import type { Problem } from '../errors';
import { didYouMean } from './suggest';
import type { DataPath, YamlSource } from './yaml-source';

type Issue = z.core.$ZodIssue;

/** zod's own messages start like this; ours (given in schema.ts) are sentences in lower case. */
const DEFAULT_MESSAGE = /^(Invalid|Too (big|small)|Unrecognized|Expected)/;

/** Validates `data` against `schema`; every issue becomes a problem located in `source`. */
export function validateShape<T>(
  schema: z.ZodType<T>,
  source: YamlSource,
): { value: T | undefined; problems: Problem[] } {
  const result = schema.safeParse(source.data, { reportInput: true });
  if (result.success) return { value: result.data, problems: [] };
  return { value: undefined, problems: result.error.issues.flatMap((issue) => describeIssue(issue, schema, source)) };
}

/** Problems for one zod issue (an issue listing several unknown keys gives one problem per key). */
export function describeIssue(issue: Issue, root: z.ZodType, source: YamlSource): Problem[] {
  const path = issue.path.filter((step): step is string | number => typeof step !== 'symbol');
  const target = schemaAt(root, path);
  const hint = target ? descriptionOf(target) : undefined;
  const what = nameOf(path);
  const error = (message: string, location = source.locate(path)): Problem => ({ location, message, severity: 'error' });

  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeys(target);
    return issue.keys.map((key) => {
      const where = path.length === 0 ? 'at the top of the file' : `in ${what}`;
      const tip = didYouMean(key, allowed) || (allowed.length > 0 ? ` Allowed here: ${allowed.join(', ')}.` : '');
      return error(`unknown key \`${key}\` ${where}.${tip} Remove it or fix its spelling.`, source.locateKey([...path, key]));
    });
  }
  if (!DEFAULT_MESSAGE.test(issue.message)) return [error(`${what}: ${issue.message}`)];

  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) {
        const key = path[path.length - 1];
        return [error(`missing \`${String(key)}\`: add it here${hint ? ` (${hint})` : '.'}`, source.locate(path.slice(0, -1)))];
      }
      const expected = issue.expected === 'int' ? 'a whole number' : (EXPECTED_WORDS[issue.expected] ?? issue.expected);
      return [error(`${what} should be ${expected}, not ${kindOf(issue.input)}.${hint ? ` ${hint}` : ''}`)];
    }
    case 'invalid_value': {
      const choices = uniqueIgnoringCase(issue.values.map(String));
      const given = String(issue.input);
      return [error(`${what} cannot be \`${given}\`: use one of ${choices.join(', ')}.${didYouMean(given, choices)}`)];
    }
    case 'too_small':
      return [error(`${what} must be at least ${String(issue.minimum)}.${hint ? ` ${hint}` : ''}`)];
    case 'too_big':
      return [error(`${what} must be at most ${String(issue.maximum)}.${hint ? ` ${hint}` : ''}`)];
    default:
      return [error(`${what} has a value that is not allowed${issue.input === undefined ? '' : ` (\`${String(issue.input)}\`)`}.${hint ? ` ${hint}` : ''}`)];
  }
}

const EXPECTED_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list (`- item` lines or `[a, b]`)',
  object: 'a block of `key: value` entries',
  record: 'a block of `key: value` entries',
  tuple: 'a list',
  null: 'empty (null)',
};

function kindOf(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a block of entries';
  if (typeof value === 'string') return `the text "${value}"`;
  return `${typeof value === 'number' ? 'the number' : typeof value} ${String(value)}`;
}

/** "`quota.regular`": the last two keys of a path (list positions left out: the line number shows which); "item 3 of `channels`" for a list item itself. */
export function nameOf(path: DataPath): string {
  if (path.length === 0) return 'the file';
  const last = path[path.length - 1]!;
  if (typeof last === 'number') {
    const parent = path[path.length - 2];
    return parent === undefined ? `item ${last + 1}` : `item ${last + 1} of \`${String(parent)}\``;
  }
  const keys = path.filter((step): step is string => typeof step === 'string');
  return `\`${keys.slice(-2).join('.')}\``;
}

function uniqueIgnoringCase(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const key = value.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The schema describing the value at `path`, looking through optional and nullable wrappers. */
export function schemaAt(root: z.ZodType, path: DataPath): z.ZodType | undefined {
  let current: z.ZodType | undefined = root;
  for (const step of path) {
    const inner = unwrap(current);
    if (inner instanceof z.ZodObject) current = (inner.shape as Record<string, z.ZodType>)[String(step)];
    else if (inner instanceof z.ZodArray) current = inner.element as z.ZodType;
    else if (inner instanceof z.ZodRecord) current = inner.valueType as z.ZodType;
    else if (inner instanceof z.ZodTuple) current = (inner.def.items as z.ZodType[])[Number(step)];
    else return undefined;
    if (!current) return undefined;
  }
  return current;
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodNullable) current = current.unwrap() as z.ZodType;
  return current;
}

function descriptionOf(schema: z.ZodType): string | undefined {
  let current: z.ZodType | undefined = schema;
  while (current) {
    if (current.description) return current.description;
    current = current instanceof z.ZodOptional || current instanceof z.ZodNullable ? (current.unwrap() as z.ZodType) : undefined;
  }
  return undefined;
}

function allowedKeys(schema: z.ZodType | undefined): string[] {
  const inner = unwrap(schema);
  return inner instanceof z.ZodObject ? Object.keys(inner.shape) : [];
}
