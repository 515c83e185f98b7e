/**
 * Between config files on disk and config revisions in the store: which files
 * make an office's revision, how a revision is checked (the same loader as
 * `check`), and writing a revision back as files (`config export`).
 *
 * An office's files, relative to the config directory:
 * - one-office layout: every file of the directory (herald.yaml, calendar.yaml,
 *   CSV imports, templates/ if it is there);
 * - many offices: the shared files at the top (herald.yaml, templates/) and
 *   the office's folder `offices/<id>/`. The shared files are in each office's
 *   revision, so a revision alone loads and exports to a directory `check` accepts.
 * Names starting with a dot are left out (`.env` holds secrets; editors' swap files).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Problem } from '../errors';
import { isManyOffices, listOfficeIds, OFFICES_DIR } from '../config/load-offices';
import { resolveTemplatesDir } from '../config/load';
import { parse as parseYaml } from 'yaml';
import type { RevisionFiles } from '../store/config-revisions';
import { isValidTimeZone } from '../time/zone';
import { loadDeployment, type Loaded } from './load-all';

/** How deep below the config directory files are read (offices/ID/templates/partials/FILE). */
const MAX_DEPTH = 6;

/** Every file below `dir` by its `/`-separated relative path, `skip` returning true for paths to leave out. */
export function readFiles(dir: string, skip: (relative: string) => boolean = () => false): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (folder: string, prefix: string, depth: number): void => {
    let entries: string[];
    try {
      entries = fs.readdirSync(folder).sort();
    } catch {
      return;
    }
    for (const name of entries) {
      if (name.startsWith('.')) continue;
      const relative = prefix === '' ? name : `${prefix}/${name}`;
      if (skip(relative)) continue;
      const full = path.join(folder, name);
      let stat: fs.Stats;
      try {
        stat = fs.statSync(full); // through symlinks (ConfigMap volumes)
      } catch {
        continue;
      }
      if (stat.isDirectory() && depth < MAX_DEPTH) walk(full, relative, depth + 1);
      else if (stat.isFile()) files[relative] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(dir, '', 0);
  return files;
}

export interface OfficeFiles {
  /**
   * The office id; '' when the one-office config is too broken to say. In the
   * one-office layout telling it takes a load of the whole config, done when
   * this is first read.
   */
  readonly officeId: string;
  /**
   * The id as written, read without loading anything: the folder name, or
   * herald.yaml's `office.id` (null when it cannot be read). Unchecked: only
   * for finding the office's current revision to compare the files with.
   */
  readonly statedId: string | null;
  files: Record<string, string>;
}

/** The revision content of each office in `configDir` (only `only`, when given). */
export function readOfficeFiles(configDir: string, options: { only?: readonly string[]; templatesDir?: string; now: Date }): OfficeFiles[] {
  if (!isManyOffices(configDir)) {
    const files = readFiles(configDir);
    let officeId: string | undefined;
    return [
      {
        get officeId() {
          return (officeId ??= officeIdOf(files, { ...options, sourceDir: configDir }));
        },
        statedId: statedOfficeId(files),
        files,
      },
    ];
  }
  const shared = readFiles(configDir, (relative) => relative === OFFICES_DIR);
  return listOfficeIds(configDir)
    .filter((id) => !options.only || options.only.includes(id))
    .map((id) => {
      const own = readFiles(path.join(configDir, OFFICES_DIR, id));
      return { officeId: id, statedId: id, files: { ...shared, ...Object.fromEntries(Object.entries(own).map(([name, text]) => [`${OFFICES_DIR}/${id}/${name}`, text])) } };
    });
}

export interface RevisionCheck {
  /** The office id the files declare ('' when they cannot be read). */
  officeId: string;
  problems: Problem[];
  loaded: Loaded | null;
}

/**
 * Checks a revision's files as `check` would: writes them to a private
 * temporary directory and loads that. Problem paths come back relative to the
 * revision (`calendar.yaml`). `sourceDir` is where the files came from: when
 * they hold no templates/, templates are found from there, as for the files on disk.
 */
export function checkRevisionFiles(files: RevisionFiles, options: { sourceDir: string; templatesDir?: string; now: Date; officeId?: string }): RevisionCheck {
  return withRevisionLoaded(files, options, (checked) => checked);
}

/**
 * `checkRevisionFiles`, with `work` run while the files are still on disk:
 * for what reads the office's template folders itself (the console's live
 * caption preview). `dir` is the private directory holding them; gone after.
 */
export function withRevisionLoaded<T>(
  files: RevisionFiles,
  options: { sourceDir: string; templatesDir?: string; now: Date; officeId?: string },
  work: (checked: RevisionCheck, dir: string) => T,
): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-revision-'));
  try {
    writeFiles(dir, files);
    const hasTemplates = Object.keys(files).some((name) => name.startsWith('templates/'));
    const templatesDir = options.templatesDir ?? (hasTemplates ? undefined : resolveTemplatesDir(options.sourceDir));
    const many = isManyOffices(dir);
    const deployment = loadDeployment(dir, {
      now: options.now,
      ...(templatesDir === undefined ? {} : { templatesDir }),
      ...(many && options.officeId !== undefined ? { only: [options.officeId] } : {}),
    });
    const office = deployment.offices[0];
    const problems = [...deployment.shared, ...(office?.problems ?? [])].map((problem) => relativeTo(dir, problem));
    if (!office) problems.push({ message: 'no office in these files: expected herald.yaml and calendar.yaml, or offices/<id>/ folders', severity: 'error' });
    const sharedBroken = deployment.shared.some((p) => p.severity === 'error');
    return work({ officeId: office?.id ?? '', problems, loaded: sharedBroken ? null : (office?.loaded ?? null) }, dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The office's time zone as a revision's herald.yaml says it (the office's own,
 * else the shared one), without loading the revision: for showing times
 * (`status` with no config files). Null when neither names a valid zone.
 */
export function revisionZone(files: RevisionFiles, officeId: string): string | null {
  for (const name of [`${OFFICES_DIR}/${officeId}/herald.yaml`, 'herald.yaml']) {
    const text = files[name];
    if (text === undefined) continue;
    try {
      const zone = (parseYaml(text) as { office?: { timezone?: unknown } } | null)?.office?.timezone;
      if (typeof zone === 'string' && isValidTimeZone(zone)) return zone;
    } catch {
      // A revision too broken to parse says nothing about its zone.
    }
  }
  return null;
}

/** Writes `files` below `dir` (created if missing); returns the paths written. */
export function writeFiles(dir: string, files: RevisionFiles): string[] {
  const written: string[] = [];
  for (const [name, text] of Object.entries(files)) {
    const target = path.resolve(dir, name);
    // A stored path never leaves the directory it is written to (a hand-made revision could say `../x`).
    if (!target.startsWith(path.resolve(dir) + path.sep)) continue;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
    written.push(target);
  }
  return written;
}

function officeIdOf(files: RevisionFiles, options: { sourceDir: string; templatesDir?: string; now: Date }): string {
  return checkRevisionFiles(files, options).officeId;
}

/** herald.yaml's `office.id` of one-office files, as written (null when it cannot be read). */
function statedOfficeId(files: RevisionFiles): string | null {
  const text = files['herald.yaml'];
  if (text === undefined) return null;
  try {
    const id = (parseYaml(text) as { office?: { id?: unknown } } | null)?.office?.id;
    return typeof id === 'string' && id !== '' ? id : null;
  } catch {
    return null;
  }
}

function relativeTo(dir: string, problem: Problem): Problem {
  // Messages may name the private directory too ("not found in /tmp/herald-revision-…"): staff never saw it.
  const message = problem.message.split(`${dir}${path.sep}`).join('').split(dir).join('the revision');
  const shown = message === problem.message ? problem : { ...problem, message };
  if (!shown.location || !path.isAbsolute(shown.location.file)) return shown;
  const relative = path.relative(dir, shown.location.file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return shown;
  return { ...shown, location: { ...shown.location, file: relative.split(path.sep).join('/') } };
}
