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

export interface ConfigFile {
  /** As shown to staff: the watched directory joined with the file's relative path. */
  file: string;
  modifiedAt: Date;
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
  return { hash: hash.digest('hex'), files: files.map((f) => ({ file: f.shown, modifiedAt: f.modifiedAt })) };
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
