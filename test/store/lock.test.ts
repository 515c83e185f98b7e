import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../src/errors';
import { acquireDataDirLock, LOCK_FILE, readDataDirLock } from '../../src/store/lock';

const ROOT = path.resolve(__dirname, '../..');
const children: ChildProcess[] = [];
const dirs: string[] = [];

function tempParent(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-lock-'));
  dirs.push(dir);
  return dir;
}

function tempDataDir(): string {
  return path.join(tempParent(), 'data');
}

afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** Starts a real process that takes the lock; resolves once it holds it. */
function startHolder(dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/run-ts.js'), path.join(__dirname, 'fixtures/hold-lock.ts'), dataDir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('locked')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`lock holder exited early (${code}): ${err}`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
}

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited(child);
    }
  }
});

describe('store/lock', () => {
  it('refuses a second run while another process holds the data directory', async () => {
    const dataDir = tempDataDir();
    const holder = await startHolder(dataDir);
    let error: unknown;
    try {
      acquireDataDirLock(dataDir, { pid: process.pid, command: 'quota-herald run' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'data-dir-locked' });
    expect((error as Error).message).toMatch(
      new RegExp(`^Another quota-herald \\(pid ${holder.pid}, started \\d{4}-\\d\\d-\\d\\dT[^)]*\\) is running on ${dataDir}\\. Stop it first, or point --data at another directory\\.$`),
    );
  });

  it('takes over the lock of a process that died without releasing it', async () => {
    const dataDir = tempDataDir();
    const holder = await startHolder(dataDir);
    holder.kill('SIGKILL'); // no exit hook runs: the lock file stays behind
    await exited(holder);
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: holder.pid });
    const lock = acquireDataDirLock(dataDir, { pid: process.pid, command: 'test' });
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, command: 'test' });
    lock.release();
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
    expect(fs.readdirSync(dataDir)).toEqual([]); // no stale leftovers
  });

  it('is released when the holder exits normally', async () => {
    const dataDir = tempDataDir();
    const holder = await startHolder(dataDir);
    holder.kill('SIGTERM');
    await exited(holder);
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
    acquireDataDirLock(dataDir, { pid: process.pid, command: 'test' }).release();
  });

  it('refuses a second lock in the same process until released; release is idempotent', () => {
    const dataDir = tempDataDir();
    const first = acquireDataDirLock(dataDir, { pid: process.pid, command: 'a' });
    expect(() => acquireDataDirLock(dataDir, { pid: process.pid, command: 'b' })).toThrow(/Another quota-herald/);
    first.release();
    first.release();
    const second = acquireDataDirLock(dataDir, { pid: process.pid, command: 'b' });
    second.release();
  });

  it('treats an unreadable lock file as stale', () => {
    const dataDir = tempDataDir();
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(path.join(dataDir, LOCK_FILE), '{"pid": tru');
    const lock = acquireDataDirLock(dataDir, { pid: process.pid, command: 'test' });
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it('never removes a lock another process took over meanwhile', () => {
    const dataDir = tempDataDir();
    const lock = acquireDataDirLock(dataDir, { pid: process.pid, command: 'test' });
    const foreign = JSON.stringify({ pid: 1, command: 'other', token: 'someone-else' });
    fs.writeFileSync(path.join(dataDir, LOCK_FILE), foreign);
    lock.release();
    expect(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8')).toBe(foreign);
  });

  it('touch marks the holder alive (the file time) for health; a second starter is still told when the holder started', () => {
    const dataDir = tempDataDir();
    const startedAt = new Date('2026-12-04T05:45:00Z');
    const lock = acquireDataDirLock(dataDir, { pid: process.pid, command: 'run', startedAt });
    try {
      lock.touch(new Date('2026-12-04T06:29:00Z'));
      expect(readDataDirLock(dataDir)).toEqual({ pid: process.pid, command: 'run', running: true, aliveAt: new Date('2026-12-04T06:29:00Z'), startedAt });
      expect(() => acquireDataDirLock(dataDir, { pid: process.pid, command: 'run' })).toThrow(`Another quota-herald (pid ${process.pid}, started 2026-12-04T05:45:00.000Z, \`run\`)`);
    } finally {
      lock.release();
    }
    // Released: no holder, and a touch after release writes nothing back.
    lock.touch(new Date('2026-12-04T06:30:00Z'));
    expect(readDataDirLock(dataDir)).toBeNull();
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
  });

  it('explains a data directory that cannot be created', () => {
    const parent = tempParent();
    fs.writeFileSync(path.join(parent, 'file'), 'x');
    expect(() => acquireDataDirLock(path.join(parent, 'file', 'data'), { pid: process.pid, command: 'test' })).toThrow(
      expect.objectContaining({ code: 'store-failed', message: expect.stringContaining('point --data at another directory') }),
    );
  });
});
