/**
 * What the config on disk says right now, as one content hash: the bot's
 * safety net against a lost file event. Re-reading a few small files is
 * cheap; comparing hashes tells whether a reload is owed at all.
 *
 * Every file below the watched directories counts (herald.yaml, calendar.yaml,
 * CSV imports, templates), read through symlinks: a Kubernetes ConfigMap
 * volume shows `calendar.yaml -> ..data/calendar.yaml` and swaps `..data` to a
 * new directory on update, so the content behind the names is what matters.
 * Names starting with a dot are skipped: that is where ConfigMap keeps its
 * timestamped copies (`..data`, `..2026_12_02_…`), where editors keep swap
 * files, and where `.env` lives (not hot-reloaded).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { OFFICES_DIR } from '../config/load-offices';

export interface ConfigFile {
  /** As shown to staff: the watched directory joined with the file's relative path. */
  file: string;
  modifiedAt: Date;
  /** sha256 (hex) of the file's bytes: lets a reload tell which office's files changed. */
  sha256: string;
}

export interface ConfigContent {
  /** sha256 (hex) over the sorted files' names and contents. */
  hash: string;
  files: ConfigFile[];
}

/** How deep below each directory files are read (config/offices/ID/templates/partials/FILE is four levels down). */
const MAX_DEPTH = 5;

/** Reads every file below `dirs` (deduplicated by real path) and hashes names and contents. */
export function readConfigContent(dirs: readonly string[]): ConfigContent {
  const byRealPath = new Map<string, { shown: string; bytes: Buffer; modifiedAt: Date }>();
  for (const dir of dirs) collect(dir, dir, 0, byRealPath);
  const files = [...byRealPath.values()].sort((a, b) => (a.shown < b.shown ? -1 : a.shown > b.shown ? 1 : 0));
  const hash = createHash('sha256');
  for (const file of files) {
    // Length-prefixed so that moving bytes between a name and a content cannot collide.
    hash.update(`${Buffer.byteLength(file.shown)}:${file.shown}\0${file.bytes.length}:`);
    hash.update(file.bytes);
  }
  return {
    hash: hash.digest('hex'),
    files: files.map((f) => ({ file: f.shown, modifiedAt: f.modifiedAt, sha256: createHash('sha256').update(f.bytes).digest('hex') })),
  };
}

/** The key of the files every office shares (top-level herald.yaml, shared templates, …) in `contentByOffice`. */
export const SHARED_PART = '';

/**
 * One hash per office folder (`<configDir>/offices/<id>/…`) and one, under
 * SHARED_PART, for every other file: a reload compares them to re-plan only
 * the offices whose files changed, and every office when a shared file did.
 */
export function contentByOffice(content: ConfigContent, configDir: string): Map<string, string> {
  const prefix = path.join(configDir, OFFICES_DIR) + path.sep;
  const byPart = new Map<string, ReturnType<typeof createHash>>();
  for (const file of content.files) {
    const rest = file.file.startsWith(prefix) ? file.file.slice(prefix.length) : '';
    // A file directly in offices/ (not in an office folder) is no office's: shared.
    const key = rest.includes(path.sep) ? rest.slice(0, rest.indexOf(path.sep)) : SHARED_PART;
    const hash = byPart.get(key) ?? createHash('sha256');
    hash.update(`${file.file}\0${file.sha256}\n`);
    byPart.set(key, hash);
  }
  if (!byPart.has(SHARED_PART)) byPart.set(SHARED_PART, createHash('sha256'));
  return new Map([...byPart].map(([part, hash]) => [part, hash.digest('hex')]));
}

/**
 * Which offices' files differ between two `contentByOffice` maps: `all` when
 * the shared files did (every office reads them), else the offices added,
 * removed or edited.
 */
export function changedOffices(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): { all: true } | { all: false; ids: string[] } {
  if (before.get(SHARED_PART) !== after.get(SHARED_PART)) return { all: true };
  const ids = new Set<string>();
  for (const [part, hash] of after) if (part !== SHARED_PART && before.get(part) !== hash) ids.add(part);
  for (const part of before.keys()) if (part !== SHARED_PART && !after.has(part)) ids.add(part);
  return { all: false, ids: [...ids].sort() };
}

/** The first 12 hex digits: enough to tell contents apart in `status`. */
export function shortHash(hash: string): string {
  return hash.slice(0, 12);
}

function collect(dir: string, shownDir: string, depth: number, into: Map<string, { shown: string; bytes: Buffer; modifiedAt: Date }>): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return; // a missing directory has no content (a missing calendar.yaml is the loader's to report)
  }
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const full = path.join(dir, name);
    const shown = path.join(shownDir, name);
    try {
      const stat = fs.statSync(full); // follows symlinks
      if (stat.isDirectory()) {
        if (depth < MAX_DEPTH) collect(full, shown, depth + 1, into);
        continue;
      }
      if (!stat.isFile()) continue;
      const real = fs.realpathSync(full);
      if (into.has(real)) continue;
      into.set(real, { shown, bytes: fs.readFileSync(full), modifiedAt: stat.mtime });
    } catch {
      // Deleted or swapped between listing and reading: the event that follows reads it again.
    }
  }
}
