/**
 * One `run` per SQLite data directory. Two bots on one ledger would each
 * believe they own the timers; SQLite would keep the data consistent, but
 * staff would see doubled log lines and confusing status. PostgreSQL setups
 * share a database on purpose and rely on claims instead.
 *
 * The lock file is also the SQLite bot's liveness mark: its schedule loop
 * touches the file's modification time now and then (`touch`), and `health`
 * reads it (`readDataDirLock`). A touch is an inode update the kernel writes
 * back when it likes: no fsync, no ledger write, nothing that wakes an idle
 * machine beyond the loop's own wake-ups.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors';
import { describeError, ensureWritableDir } from './open';

/** The lock file inside the data directory. */
export const LOCK_FILE = 'herald.lock';

interface LockContent {
  pid: number;
  command: string;
  /** Distinguishes two holders with the same pid (a pid reused after a crash). */
  token: string;
  /** ISO instant the holder started (the file's mtime is its liveness mark, not its start). */
  startedAt?: string;
}

/** A held lock; `release` is idempotent and also runs on process exit. */
export interface DataDirLock {
  release(): void;
  /** Marks the holder alive at `now` (the lock file's modification time), for `health`. Never throws. */
  touch(now: Date): void;
}

export interface LockHolderInfo {
  pid: number;
  command: string;
  /**
   * How the refusal shows when the holder started. Staff read office time
   * (`Jum 4 Des 14.00 WIB`), but the store knows no zone: the caller that
   * does passes it. Default ISO 8601.
   */
  showTime?: (instant: Date) => string;
  /** When the holder started (the caller's clock; the store reads none). */
  startedAt?: Date;
}

/**
 * Takes the data directory's lock, creating the directory if missing.
 * A lock left by a process that no longer exists is taken over.
 * @throws AppError('data-dir-locked') when a live process holds it.
 * @throws AppError('store-failed') when the directory cannot be created or written.
 */
export function acquireDataDirLock(dataDir: string, info: LockHolderInfo): DataDirLock {
  ensureWritableDir(dataDir);
  const file = path.join(dataDir, LOCK_FILE);
  const content: LockContent = {
    pid: info.pid,
    command: info.command,
    token: `${info.pid}-${process.hrtime.bigint()}`,
    ...(info.startedAt ? { startedAt: info.startedAt.toISOString() } : {}),
  };
  const lockedError = (holder: LockContent): AppError => describeLocked(dataDir, file, holder, info.showTime ?? ((instant) => instant.toISOString()));
  // Create; if a stale lock is in the way, move it aside and create again
  // (a few rounds, in case another starter races us for the same stale lock).
  for (let round = 0; round < 3; round += 1) {
    if (tryCreate(file, content)) return holdLock(file, content);
    const holder = readLock(file);
    if (holder && isAlive(holder.pid)) throw lockedError(holder);
    removeStale(file, holder);
  }
  const holder = readLock(file);
  throw holder ? lockedError(holder) : new AppError('data-dir-locked', `Could not take the lock ${file}: another quota-herald is starting on ${dataDir}. Try again in a moment.`);
}

function tryCreate(file: string, content: LockContent): boolean {
  try {
    // `wx`: fails if the file exists, atomically; two starters cannot both succeed.
    fs.writeFileSync(file, `${JSON.stringify(content)}\n`, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new AppError(
      'store-failed',
      `Cannot create the lock file ${file} (${describeError(error)}): give this user write access to the data directory, or point --data at another directory.`,
      { cause: error },
    );
  }
}

function readLock(file: string): LockContent | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockContent>;
    if (typeof parsed.pid !== 'number') return null;
    return {
      pid: parsed.pid,
      command: String(parsed.command ?? 'quota-herald'),
      token: String(parsed.token ?? ''),
      ...(typeof parsed.startedAt === 'string' ? { startedAt: parsed.startedAt } : {}),
    };
  } catch {
    // Missing (released meanwhile) or half-written / garbage: treat as stale.
    return null;
  }
}

/** Signal 0 checks existence only. EPERM: it exists but belongs to another user. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Moves a stale lock aside with rename (atomic), then checks that what moved
 * is the stale lock we judged: if another starter replaced it with a fresh
 * lock in between, put that one back (link fails if a third file appeared).
 */
function removeStale(file: string, judged: LockContent | null): boolean {
  const aside = `${file}.stale-${process.pid}-${process.hrtime.bigint()}`;
  try {
    fs.renameSync(file, aside);
  } catch {
    return false; // someone else removed or replaced it; just try again
  }
  const moved = readLock(aside);
  const same = moved === null ? judged === null : judged !== null && moved.token === judged.token && moved.pid === judged.pid;
  if (!same) {
    try {
      fs.linkSync(aside, file);
    } catch {
      // a newer lock is already in place; ours to judge in the next round
    }
  }
  fs.rmSync(aside, { force: true });
  return same;
}

function holdLock(file: string, content: LockContent): DataDirLock {
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    process.removeListener('exit', release);
    // Remove only our own lock: never one a later process took over.
    if (readLock(file)?.token === content.token) fs.rmSync(file, { force: true });
  };
  process.on('exit', release);
  const touch = (now: Date): void => {
    if (!held) return;
    try {
      fs.utimesSync(file, now, now);
    } catch {
      // Removed by hand, or the disk is gone: `health` will say the bot looks dead, which is the truth worth telling.
    }
  };
  return { release, touch };
}

/** What `health` reads from a data directory's lock. */
export interface DataDirLockStatus {
  pid: number;
  command: string;
  /** Whether a process with that pid exists on this machine (pid namespace). */
  running: boolean;
  /** The holder's last liveness mark: the lock file's modification time. */
  aliveAt: Date;
  startedAt: Date | null;
}

/** The lock of `dataDir` as its holder left it; null when no process holds it (no lock file, or an unreadable one). */
export function readDataDirLock(dataDir: string): DataDirLockStatus | null {
  const file = path.join(dataDir, LOCK_FILE);
  const content = readLock(file);
  if (!content) return null;
  let aliveAt: Date;
  try {
    aliveAt = new Date(fs.statSync(file).mtimeMs);
  } catch {
    return null; // released while we looked
  }
  const startedAt = content.startedAt ? new Date(content.startedAt) : null;
  return { pid: content.pid, command: content.command, running: isAlive(content.pid), aliveAt, startedAt: startedAt && !Number.isNaN(startedAt.getTime()) ? startedAt : null };
}

function describeLocked(dataDir: string, file: string, holder: LockContent, showTime: (instant: Date) => string): AppError {
  let started = '';
  try {
    // The holder's own record of its start; a lock from an older version has only the file's time.
    // mtimeMs, not mtime: a Date built by `fs` may come from another realm (a jest sandbox), which date helpers do not take.
    const at = holder.startedAt ? new Date(holder.startedAt) : new Date(fs.statSync(file).mtimeMs);
    if (!Number.isNaN(at.getTime())) started = `, started ${showTime(at)}`;
  } catch {
    // released while we looked
  }
  return new AppError(
    'data-dir-locked',
    `Another quota-herald (pid ${holder.pid}${started}, \`${holder.command}\`) is running on ${dataDir}. Stop it first, or point --data at another directory.`,
  );
}
