/**
 * The loader's problems (`calendar.yaml:12:7: …`) mapped back to the console
 * form field they concern: the YAML node at that line and column gives the data
 * path (`releases[3].days[0].quota.regular`), named with the form's words
 * (`openings[3].days[0].counts.regular`). Keys are stable: the list position
 * in the file, then the keys as the file writes them; top-level `releases`
 * reads `openings`, `quota` reads `counts`. A problem in a CSV import points at
 * that import (`imports[0]`); one in another file (herald.yaml, a template) has
 * no field. The message is said again in Indonesian (messages-id.ts); the
 * loader's own words and the `file:line:col` stay for reference.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { formatProblem, type Problem } from '../../errors';
import type { RevisionFiles } from '../../store/config-revisions';
import { inIndonesian } from './messages-id';

export interface FieldProblem {
  /** The form field (`openings[3].days[0].counts.regular`), or null when the problem is not about one. */
  field: string | null;
  /** The id of the opening, rule or closure's list entry the field belongs to, when it has one. */
  itemId?: string;
  /** What is wrong and what to do, in Indonesian, for the form. */
  message: string;
  /** The loader's message as `check` prints it (`calendar.yaml:12:7: …`), for reference. */
  detail: string;
  /** `calendar.yaml:12:7`, when the problem has a place. */
  location?: string;
  severity: Problem['severity'];
}

type Path = (string | number)[];

const FORM_NAMES: Record<string, string> = { quota: 'counts' };
const TOP_NAMES: Record<string, string> = { releases: 'openings' };

/** Each problem with its field; `calendarFile` is the office's calendar.yaml in `files`. */
export function toFieldProblems(problems: readonly Problem[], files: RevisionFiles, calendarFile: string): FieldProblem[] {
  const calendar = files[calendarFile];
  const located = calendar === undefined ? undefined : createPathFinder(calendar);
  const folder = calendarFile.includes('/') ? calendarFile.slice(0, calendarFile.lastIndexOf('/') + 1) : '';
  return problems.map((problem) => {
    const where = problem.location;
    let path: Path | undefined;
    let itemId: string | undefined;
    if (where && where.file === calendarFile && located) {
      path = located.pathAt(where.line, where.col, /^unknown key /.test(problem.message));
      itemId = located.itemId(path);
    } else if (where && located && where.file.startsWith(folder) && /\.csv$/i.test(where.file)) {
      const index = located.importIndex(where.file.slice(folder.length));
      if (index !== undefined) path = ['imports', index];
    }
    const field = path && path.length > 0 ? fieldKey(path) : null;
    return {
      field,
      ...(itemId === undefined ? {} : { itemId }),
      message: inIndonesian(problem, path),
      detail: formatProblem(problem),
      ...(where ? { location: `${where.file}:${where.line}:${where.col}` } : {}),
      severity: problem.severity,
    };
  });
}

/** `['releases', 3, 'days', 0, 'quota', 'regular']` → `openings[3].days[0].counts.regular`. */
export function fieldKey(path: readonly (string | number)[]): string {
  return path
    .map((step, i) => {
      if (typeof step === 'number') return `[${step}]`;
      const name = (i === 0 ? TOP_NAMES[step] : FORM_NAMES[step]) ?? step;
      return i === 0 ? name : `.${name}`;
    })
    .join('');
}

function createPathFinder(text: string): { pathAt(line: number, col: number, key: boolean): Path; itemId(path: Path): string | undefined; importIndex(file: string): number | undefined } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, schema: 'core' });
  const data = doc.errors.length === 0 ? (doc.toJS() as unknown) : undefined;
  return {
    pathAt(line, col, key) {
      const offset = (lineCounter.lineStarts[line - 1] ?? 0) + col - 1;
      return pathAt(doc.contents as Node | null, offset, [], key);
    },
    itemId(path) {
      if (path.length < 2 || typeof path[1] !== 'number') return undefined;
      const item = (data as Record<string, unknown[]> | undefined)?.[String(path[0])]?.[path[1]] as Record<string, unknown> | undefined;
      return typeof item?.id === 'string' ? item.id : undefined;
    },
    importIndex(file) {
      const imports = (data as { imports?: { file?: unknown }[] } | undefined)?.imports;
      const index = Array.isArray(imports) ? imports.findIndex((entry) => entry?.file === file) : -1;
      return index === -1 ? undefined : index;
    },
  };
}

/**
 * The path of the deepest node at `offset`. A map's start is also its first
 * key's: a problem there is about the map (a missing key) unless it names a
 * key (`key`: an unknown key).
 */
function pathAt(node: Node | null, offset: number, path: Path, key: boolean): Path {
  if (!node?.range) return path;
  if (isMap(node)) {
    if (offset === node.range[0] && !key) return path;
    for (const pair of node.items) {
      const k = pair.key as Node | null;
      const v = pair.value as Node | null;
      const name = isScalar(k) ? String(k.value) : undefined;
      if (name === undefined) continue;
      if (k?.range && offset >= k.range[0] && offset < k.range[1]) return [...path, name];
      if (v?.range && offset >= v.range[0] && offset < v.range[1]) return pathAt(v, offset, [...path, name], key);
    }
  } else if (isSeq(node)) {
    for (const [i, item] of node.items.entries()) {
      const child = item as Node | null;
      if (child?.range && offset >= child.range[0] && offset < Math.max(child.range[1], child.range[0] + 1)) return pathAt(child, offset, [...path, i], key);
    }
  }
  return path;
}
