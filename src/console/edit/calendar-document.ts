/**
 * calendar.yaml as an editable YAML document (issue 9, the console's calendar
 * editing): parse with the loader's YAML options, change nodes, print back with
 * every comment, blank line and untouched line as staff wrote them.
 *
 * The `yaml` package keeps comments and blank lines, but reprints some layout
 * its own way (`[monday, friday]` comes back as `[ monday, friday ]`). So the
 * printed edit is laid onto the original text with the three-way line merge of
 * config revisions (store/revision-merge.ts): base = the original as `yaml`
 * reprints it, ours = the original, theirs = the edit as `yaml` prints it. Lines
 * the edit did not touch keep their original bytes; where the edit touched a line
 * `yaml` would have reprinted anyway, the reprint is taken (a cosmetic change).
 */
import { Document, isMap, isScalar, isSeq, parseDocument, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import { AppError } from '../../errors';
import { normalizeTime } from '../../config/checks';
import { mergeRevisionFiles } from '../../store/revision-merge';

/** As the loader reads it (config/yaml-source.ts): YAML 1.2 core schema, dates stay text. */
const PARSE_OPTIONS = { schema: 'core', uniqueKeys: true } as const;
/** Never fold long lines (a note of 200 characters stays on its line). */
const PRINT_OPTIONS = { lineWidth: 0 } as const;

/**
 * An edit that cannot be made to the file as it is (an opening that is not in
 * it, a file that does not parse). `field` is the form field it concerns; the
 * message is for staff, in Indonesian.
 */
export class CalendarEditError extends AppError {
  constructor(
    readonly field: string | null,
    message: string,
  ) {
    super('config-invalid', message);
    this.name = 'CalendarEditError';
  }
}

/** Parses calendar text for editing; an empty text gives an empty calendar. */
export function parseCalendar(text: string): Document {
  const doc: Document = parseDocument(text, PARSE_OPTIONS);
  if (doc.errors.length > 0) {
    const line = doc.errors[0]!.linePos?.[0]?.line;
    throw new CalendarEditError(null, `calendar.yaml tidak dapat dibaca (kesalahan penulisan YAML${line === undefined ? '' : ` di baris ${line}`}): perbaiki berkasnya dulu, lalu ubah lewat formulir.`);
  }
  if (doc.contents === null) doc.contents = doc.createNode({}) as YAMLMap;
  if (!isMap(doc.contents)) throw new CalendarEditError(null, 'calendar.yaml harus berisi daftar recurring, releases, closures atau imports.');
  return doc;
}

/** The edited document as text, keeping the original's untouched lines byte for byte. */
export function printCalendar(original: string, doc: Document): string {
  const edited = unpadFlowLists(doc.toString(PRINT_OPTIONS));
  if (original.trim() === '') return edited;
  const reprinted = unpadFlowLists(parseDocument(original, PARSE_OPTIONS).toString(PRINT_OPTIONS));
  if (reprinted === original) return edited;
  const merged = mergeRevisionFiles({ calendar: reprinted }, { calendar: original }, { calendar: edited });
  return merged.files?.calendar ?? edited;
}

/** A `key: [ a, b ]` line as the sample writes lists: `key: [a, b]` (`yaml` pads flow lists and maps alike; the sample pads only maps). */
const PADDED_FLOW_LIST = /^(\s*(?:- )?[A-Za-z]+: )\[ ([^[\]"'#\n]*) \](\s*(?:#.*)?)$/gm;

/** A line whose value is a flow map (`twiceMonthly: { days: [ 1, 16 ] }`): its lists unpadded too. */
const FLOW_MAP_LINE = /^(\s*(?:- )?[A-Za-z]+: )(\{[^#\n"']*\})(\s*(?:#.*)?)$/gm;
const PADDED_INNER_LIST = /(: )\[ ([^[\]{}\n]*) \]/g;

function unpadFlowLists(text: string): string {
  return text.replace(PADDED_FLOW_LIST, '$1[$2]$3').replace(FLOW_MAP_LINE, (_line, key: string, map: string, rest: string) => `${key}${map.replace(PADDED_INNER_LIST, '$1[$2]')}${rest}`);
}

/** Edits calendar text with `change` on its document. */
export function editCalendar(text: string, change: (doc: Document, root: YAMLMap) => void): string {
  const doc = parseCalendar(text);
  change(doc, doc.contents as YAMLMap);
  return printCalendar(text, doc);
}

/** The top-level list `key` (created, in block style, when missing or empty). */
export function topList(doc: Document, root: YAMLMap, key: string): YAMLSeq {
  const value = root.get(key, true);
  if (isSeq(value)) return value;
  if (value !== undefined && !(isScalar(value) && value.value === null)) {
    throw new CalendarEditError(key, `\`${key}\` di calendar.yaml bukan daftar: perbaiki berkasnya dulu.`);
  }
  const list = new YAMLSeq();
  root.set(doc.createNode(key), list);
  return list;
}

/** The explicit release's id as the loader gives it: its `id`, else `release@DATE'T'TIME`. */
export function releaseIdOf(release: YAMLMap): string | undefined {
  const id = release.get('id');
  if (typeof id === 'string') return id;
  const opensAt = release.get('opensAt');
  if (typeof opensAt !== 'string' || opensAt.length < 16) return undefined;
  return `release@${opensAt.slice(0, 10)}T${normalizeTime(opensAt.slice(11))}`;
}

/** The map in `list` whose id is `id` (explicit releases: also the default id), with its index. */
export function findItem(list: YAMLSeq | undefined, id: string, idOf: (item: YAMLMap) => string | undefined = (item) => stringAt(item, 'id')): { item: YAMLMap; index: number } | undefined {
  if (!list) return undefined;
  for (const [index, item] of list.items.entries()) if (isMap(item) && idOf(item) === id) return { item, index };
  return undefined;
}

export function stringAt(map: YAMLMap, key: string): string | undefined {
  const value = map.get(key);
  return typeof value === 'string' ? value : undefined;
}

/** A double-quoted text scalar: times as the sample writes them (`at: "14:00"`), so `14.00` never turns into a number. */
export function quoted(text: string): Scalar {
  const scalar = new Scalar(text);
  scalar.type = Scalar.QUOTE_DOUBLE;
  return scalar;
}

/** Counts as the form gives them: a number, or text typed in a field. */
export type Counts = Readonly<Record<string, number | string | null>>;

/**
 * A `quota:` flow map from form counts. A count typed as digits becomes a
 * number; anything else is written as typed, so the loader reports it on its
 * field (a count is never "fixed" here). A blank count leaves the service out.
 */
export function quotaNode(doc: Document, counts: Counts): YAMLMap {
  const quota = new YAMLMap();
  quota.flow = true;
  for (const [service, count] of Object.entries(counts)) {
    const value = countValue(count);
    if (value !== undefined) quota.set(doc.createNode(service), doc.createNode(value));
  }
  return quota;
}

export function countValue(count: number | string | null): number | string | undefined {
  if (count === null) return undefined;
  if (typeof count === 'number') return count;
  const text = count.trim();
  if (text === '') return undefined;
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

/** Sets `key` to `value` (a node or plain data), or removes it when `value` is null; undefined leaves it. */
export function setOrDelete(doc: Document, map: YAMLMap, key: string, value: Node | string | number | boolean | null | undefined): void {
  if (value === undefined) return;
  if (value === null) {
    map.delete(key);
    return;
  }
  const node = typeof value === 'object' ? value : doc.createNode(value);
  const existing = map.items.find((pair) => isScalar(pair.key) && pair.key.value === key);
  if (existing) {
    // Keep a comment written after the old value on its line (`cancelled: true # …`,
    // `monthly: { day: 25 } # …`): staff wrote it; a comment that no longer fits is theirs to change.
    const old = existing.value as Node | null;
    const onOneLine = (value: Node): boolean => isScalar(value) || ((isMap(value) || isSeq(value)) && value.flow === true);
    if (old && onOneLine(old) && onOneLine(node) && old.comment && !node.comment) node.comment = old.comment;
    existing.value = node;
  } else map.set(doc.createNode(key), node);
}
