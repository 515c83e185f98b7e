/**
 * Reads one YAML file into plain data plus a way back from any data path to
 * the line and column staff see in their editor. Every syntax error of the
 * file is reported, not just the first.
 */
import { readFileSync, statSync } from 'node:fs';
import {
  Document,
  LineCounter,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  visit,
  type Node,
  type Pair,
} from 'yaml';
import type { Problem, SourceLocation } from '../errors';

/** Files above this size are refused: a calendar is a few kilobytes. */
export const MAX_CONFIG_BYTES = 1_000_000;
/** A handful of anchors is normal; thousands of alias expansions is a "billion laughs" attack. */
export const MAX_ALIAS_COUNT = 100;

/** Keys whose values are wall times: `at: 14.00` must stay "14.00", not the number 14. */
const TIME_KEYS = new Set(['at', 'opensAt', 'closesAt']);
const DOTTED_TIME = /^\d{1,2}\.\d{2}$/;

export type DataPath = readonly (string | number)[];

/** A parsed YAML file: its data (undefined when unusable) and locators into it. */
export interface YamlSource {
  file: string;
  /** Plain data; `undefined` when the file could not be read or has syntax errors. */
  data: unknown;
  problems: Problem[];
  /** Where the value at `path` starts (or its nearest existing parent, for a missing key). */
  locate(path: DataPath): SourceLocation;
  /** Where the key of the entry at `path` starts (for unknown keys); falls back to `locate`. */
  locateKey(path: DataPath): SourceLocation;
}

/** Reads `absPath` (shown as `file` in problems); `null` if it does not exist. */
export function readYamlFile(absPath: string, file: string): YamlSource | null {
  let size: number;
  try {
    const stat = statSync(absPath);
    if (!stat.isFile()) return null;
    size = stat.size;
  } catch {
    return null;
  }
  if (size > MAX_CONFIG_BYTES) {
    return unusable(file, {
      location: { file, line: 1, col: 1 },
      message: `file is ${size} bytes, over the ${MAX_CONFIG_BYTES}-byte limit for config files: split it up or remove unused entries.`,
      severity: 'error',
    });
  }
  return parseYamlText(readFileSync(absPath, 'utf8'), file);
}

/** Parses YAML text (YAML 1.2 core schema, so dates stay `YYYY-MM-DD` strings). */
export function parseYamlText(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, schema: 'core', uniqueKeys: true });
  const at = (offset: number): SourceLocation => {
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, col: pos.col };
  };
  const problems: Problem[] = [];
  for (const error of doc.errors) {
    problems.push({
      location: at(error.pos[0]),
      message: `YAML syntax error: ${firstLine(error.message)}. ${syntaxHint(error.code)}`,
      severity: 'error',
    });
  }
  for (const warning of doc.warnings) {
    problems.push({ location: at(warning.pos[0]), message: `YAML: ${firstLine(warning.message)}.`, severity: 'warning' });
  }
  // `? [a, b]: c` is valid YAML but no config key is a list: refuse it here
  // rather than letting it turn into the text "[ a, b ]".
  visit(doc, {
    Pair(_, pair) {
      if (pair.key !== null && !isScalar(pair.key)) {
        problems.push({ location: at((pair.key as Node).range?.[0] ?? 0), message: 'a key must be a plain word (like `quota`), not a list or block.', severity: 'error' });
      }
    },
  });
  const locator = createLocator(doc, at);
  if (problems.some((p) => p.severity === 'error')) return { file, data: undefined, problems, ...locator };

  keepDottedTimes(doc);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    problems.push({
      location: firstAliasOffset(doc) === undefined ? at(0) : at(firstAliasOffset(doc)!),
      message: `too many YAML alias expansions (aliases like \`*name\` may expand at most ${MAX_ALIAS_COUNT} times): write the values out instead of nesting anchors.`,
      severity: 'error',
    });
    return { file, data: undefined, problems, ...locator };
  }
  return { file, data, problems, ...locator };
}

function unusable(file: string, problem: Problem): YamlSource {
  const start = (): SourceLocation => ({ file, line: 1, col: 1 });
  return { file, data: undefined, problems: [problem], locate: start, locateKey: start };
}

function createLocator(
  doc: Document,
  at: (offset: number) => SourceLocation,
): Pick<YamlSource, 'locate' | 'locateKey'> {
  const start = (node: unknown): SourceLocation => {
    const range = (node as Node | null)?.range;
    return at(range ? range[0] : 0);
  };
  /** Follows `path` as far as it exists; returns the deepest node and, if the last step matched a map entry, its pair. */
  const walk = (path: DataPath): { node: unknown; pair?: Pair; complete: boolean } => {
    let node: unknown = doc.contents;
    let pair: Pair | undefined;
    for (const step of path) {
      pair = undefined;
      if (isMap(node)) {
        const found = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(step));
        if (!found) return { node, complete: false };
        pair = found as Pair;
        // `key:` with nothing after it has no value node: point at the key.
        node = found.value ?? found.key;
      } else if (isSeq(node) && typeof step === 'number' && step < node.items.length) {
        node = node.items[step];
      } else {
        return { node, complete: false };
      }
      if (isAlias(node)) return { node, complete: false };
    }
    return { node, pair, complete: true };
  };
  return {
    locate: (path) => start(walk(path).node),
    locateKey: (path) => {
      const found = walk(path);
      return found.complete && found.pair && isPair(found.pair) ? start(found.pair.key) : start(found.node);
    },
  };
}

function keepDottedTimes(doc: Document): void {
  visit(doc, {
    Pair(_, pair) {
      if (!isScalar(pair.key) || !TIME_KEYS.has(String(pair.key.value))) return;
      const value = pair.value;
      if (isScalar(value) && typeof value.value === 'number' && value.source && DOTTED_TIME.test(value.source)) {
        value.value = value.source;
      }
    },
  });
}

function firstAliasOffset(doc: Document): number | undefined {
  let offset: number | undefined;
  visit(doc, {
    Alias(_, alias) {
      offset = alias.range?.[0];
      return visit.BREAK;
    },
  });
  return offset;
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/[.:]\s*$/, '');
}

function syntaxHint(code: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'Each key may appear once in a block: remove or rename the repeated one.';
    case 'TAB_AS_INDENT':
      return 'Indent with spaces, not tabs.';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
      return 'Check the indentation and that every `{` or `[` is closed.';
    case 'MULTIPLE_DOCS':
      return 'Keep one document per file (remove the extra `---`).';
    default:
      return 'Check indentation (spaces), colons after keys, and quotes around text containing `:` or `#`.';
  }
}
