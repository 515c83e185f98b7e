/**
 * The marker `config export` leaves beside the files it writes (and `config
 * import` brings up to date): per office, the revision those files are. An
 * import of the edited files is then made from that revision, so an edit made
 * while someone else changed the office is merged with their change, or
 * refused — never recorded over it. A dot file: never part of a revision.
 *
 * ```
 * # …
 * kanim-pontianak 12
 * ```
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors';

export const MARKER_FILE = '.quota-herald-revision';

const HEADER = [
  '# Written by `quota-herald config export` and `config import`: the config revision these files are, per office.',
  '# `config import` takes it as the revision the files were edited from. Leave it as it is.',
];

/** office id → revision id; empty when `dir` has no marker. */
export function readRevisionMarker(dir: string): Map<string, number> {
  const file = path.join(dir, MARKER_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  const marker = new Map<string, number>();
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^(\S+)\s+(\d+)$/.exec(line);
    const id = match ? Number(match[2]) : NaN;
    if (!match || !Number.isSafeInteger(id) || id <= 0) {
      throw new AppError('usage', `${file}:${index + 1}:1: expected "OFFICE-ID REVISION", found "${line}": fix the line, or remove the file and pass --parent REV`);
    }
    marker.set(match[1]!, id);
  });
  return marker;
}

/** Records that the files in `dir` are now these revisions (other offices' lines kept). */
export function writeRevisionMarker(dir: string, revisions: ReadonlyMap<string, number>, keep: ReadonlyMap<string, number> = new Map()): void {
  const all = new Map([...keep, ...revisions]);
  const lines = [...all].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([office, id]) => `${office} ${id}`);
  fs.writeFileSync(path.join(dir, MARKER_FILE), [...HEADER, ...lines, ''].join('\n'));
}
